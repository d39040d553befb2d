package dev.imapsync.store;

import dev.imapsync.contact.Direction;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as recorded by a sync (headers only, never the body).
 *
 * @param key       identifies the message across folders
 * @param folder    the folder it was read from
 * @param uid       its UID in that folder
 * @param date      the Date header, else INTERNALDATE
 * @param sender    the first address of From (display name and address as written); an empty
 *                  address when the message has no From
 * @param subject   the decoded subject, or empty
 * @param size      RFC822.SIZE as the server reported it
 * @param direction sent or received by the account owner
 * @param threadId  the thread key: {@code gm:} X-GM-THRID, {@code tid:} THREADID, or {@code ref:} the root
 *                  Message-ID (see {@link SyncStore})
 * @param preview   the text preview and attachment list, for a message of a matched contact;
 *                  empty for other messages (their bodies are never read)
 * @param bulk      bulk or automated mail (a list, a newsletter, an auto-reply) recorded with a flag
 *                  ({@link dev.imapsync.policy.BulkMail#FLAG})
 */
public record SyncedMessage(MessageKey key, String folder, long uid, Instant date, EmailAddress sender, String subject,
                            long size, Direction direction, Optional<String> threadId,
                            Optional<MessagePreview> preview, boolean bulk) {
    /** Validates that all parts are present. */
    public SyncedMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(preview, "preview");
    }

    /** A message that is not bulk mail. */
    public SyncedMessage(MessageKey key, String folder, long uid, Instant date, EmailAddress sender, String subject,
                         long size, Direction direction, Optional<String> threadId, Optional<MessagePreview> preview) {
        this(key, folder, uid, date, sender, subject, size, direction, threadId, preview, false);
    }

    /** A message recorded without a preview. */
    public SyncedMessage(MessageKey key, String folder, long uid, Instant date, EmailAddress sender, String subject,
                         long size, Direction direction, Optional<String> threadId) {
        this(key, folder, uid, date, sender, subject, size, direction, threadId, Optional.empty(), false);
    }

    /** This message with a preview. */
    public SyncedMessage withPreview(MessagePreview other) {
        return new SyncedMessage(key, folder, uid, date, sender, subject, size, direction, threadId,
                Optional.of(other), bulk);
    }

    /** The sender's address as written, or empty. */
    public String from() {
        return sender.address();
    }
}
