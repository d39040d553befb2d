package dev.imapsync.store;

import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One message on a contact's timeline, however many accounts hold it.
 *
 * @param messageKey identifies the message across accounts and folders
 * @param date       the message's date
 * @param subject    the decoded subject, or empty
 * @param sender     who sent it (display name, may be empty, and address)
 * @param roles      the contact's roles in it (FROM, TO, CC, BCC), never empty
 * @param direction  the company's view: OUTBOUND when the sender is a connected account's own address
 * @param locations  where it can be opened: each account, folder and UID that holds it, by account id
 * @param threadKey  the thread it belongs to: Gmail's X-GM-THRID ({@code gm:}), the server's THREADID
 *                   ({@code tid:}), else the root Message-ID ({@code ref:}); see {@link SyncStore}
 * @param preview    the text preview and attachment list, when a sync recorded one
 * @param bulk       recorded as bulk or automated mail ({@link dev.imapsync.policy.BulkMail#FLAG})
 */
public record TimelineEntry(MessageKey messageKey, Instant date, String subject, EmailAddress sender,
                            Set<ParticipantRole> roles, Direction direction, List<Location> locations,
                            Optional<String> threadKey, Optional<MessagePreview> preview, boolean bulk) {
    /** Validates and copies. */
    public TimelineEntry {
        Objects.requireNonNull(messageKey, "messageKey");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(sender, "sender");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("Entry " + messageKey + " has no role: a timeline entry is there"
                    + " because the contact is in the message");
        }
        Objects.requireNonNull(direction, "direction");
        locations = List.copyOf(locations);
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("Entry " + messageKey + " has no location");
        }
        Objects.requireNonNull(threadKey, "threadKey");
        Objects.requireNonNull(preview, "preview");
    }

    /** An entry that is not bulk mail. */
    public TimelineEntry(MessageKey messageKey, Instant date, String subject, EmailAddress sender,
                         Set<ParticipantRole> roles, Direction direction, List<Location> locations,
                         Optional<String> threadKey, Optional<MessagePreview> preview) {
        this(messageKey, date, subject, sender, roles, direction, locations, threadKey, preview, false);
    }

    /** An entry without a preview. */
    public TimelineEntry(MessageKey messageKey, Instant date, String subject, EmailAddress sender,
                         Set<ParticipantRole> roles, Direction direction, List<Location> locations,
                         Optional<String> threadKey) {
        this(messageKey, date, subject, sender, roles, direction, locations, threadKey, Optional.empty(), false);
    }

    /**
     * Where one account holds the message: enough to open it later.
     *
     * @param accountId the account
     * @param folder    the folder's raw name, as the server uses it in commands
     * @param uid       its UID in that folder
     * @param uidValidity the folder's UIDVALIDITY when the UID was recorded, or 0 when the store does
     *                  not know it (recorded before it kept it): a UID means nothing under another
     *                  UIDVALIDITY, and the message must then be found by its Message-ID
     */
    public record Location(String accountId, String folder, long uid, long uidValidity) {
        /** Validates the parts. */
        public Location {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(folder, "folder");
            if (uid < 1) {
                throw new IllegalArgumentException("UID " + uid + " of " + folder + " is not a UID (1 or more)");
            }
            if (uidValidity < 0) {
                throw new IllegalArgumentException("UIDVALIDITY " + uidValidity + " of " + folder
                        + " is negative (0 means unknown)");
            }
        }

        /** A location whose UIDVALIDITY is not known. */
        public Location(String accountId, String folder, long uid) {
            this(accountId, folder, uid, 0);
        }
    }
}
