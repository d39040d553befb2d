package dev.imapsync.contact;

import dev.imapsync.message.MessageKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a contact's history: a message in which the contact appears in a given role.
 * A message with three matched contacts gives three activities; a contact in both To and Cc
 * of one message gives two.
 *
 * @param messageKey identifies the message across folders and syncs
 * @param contact    the matched contact
 * @param role       where the contact appears
 * @param direction  whether the account owner sent or received the message
 * @param date       the message's date (the Date header, else the server's INTERNALDATE)
 * @param subject    the decoded subject, or empty
 * @param from       the first From address as written (the author's, not a Sender's), or empty
 * @param folder     the folder the message was first recorded from
 * @param threadId   a thread identifier where known (Gmail's X-GM-THRID)
 * @param address    the contact's normalized address that matched in this message, so that erasing
 *                   an address finds the entries it made; empty when not known
 */
public record ContactActivity(MessageKey messageKey, ContactRef contact, ParticipantRole role, Direction direction,
                              Instant date, String subject, String from, String folder, Optional<String> threadId,
                              String address) {
    /** Validates that all parts are present. */
    public ContactActivity {
        Objects.requireNonNull(messageKey, "messageKey");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(address, "address");
    }

    /** An activity whose matched address is not known. */
    public ContactActivity(MessageKey messageKey, ContactRef contact, ParticipantRole role, Direction direction,
                           Instant date, String subject, String from, String folder, Optional<String> threadId) {
        this(messageKey, contact, role, direction, date, subject, from, folder, threadId, "");
    }
}
