package dev.imapsync.sync;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.SyncedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the parsed messages of one batch into what the store records: the messages with
 * their keys and direction, and one activity per (message, matched contact, role).
 */
final class MessageMapper {
    private final Set<String> ownAddresses;
    private final String folder;
    private final boolean sentFolder;
    private final boolean keepSubject;

    /**
     * @param ownAddresses the account's own normalized addresses (for the direction)
     * @param folder       the folder's raw name
     * @param sentFolder   whether the folder holds sent mail (everything in it is outbound)
     */
    MessageMapper(Set<String> ownAddresses, String folder, boolean sentFolder) {
        this(ownAddresses, folder, sentFolder, true);
    }

    /**
     * @param keepSubject false for an account whose visibility keeps no subject
     *                    ({@link dev.imapsync.policy.Visibility#METADATA}): messages and history
     *                    entries are recorded with an empty subject
     */
    MessageMapper(Set<String> ownAddresses, String folder, boolean sentFolder, boolean keepSubject) {
        this.ownAddresses = Set.copyOf(ownAddresses);
        this.folder = folder;
        this.sentFolder = sentFolder;
        this.keepSubject = keepSubject;
    }

    /** One message as read: UID, server data and parsed headers. */
    record Parsed(long uid, long internalDateMillis, long size, MessageHeaders headers, long gmailMessageId,
                  long gmailThreadId, String objectThreadId) {
        /** Without a THREADID (tests, servers without OBJECTID). */
        Parsed(long uid, long internalDateMillis, long size, MessageHeaders headers, long gmailMessageId,
               long gmailThreadId) {
            this(uid, internalDateMillis, size, headers, gmailMessageId, gmailThreadId, null);
        }
    }

    /** What a batch maps to. */
    record Mapped(List<SyncedMessage> messages, List<ContactActivity> activities, int matchedMessages) {
    }

    /**
     * Adds a message's normalized From, Sender, To, Cc and Bcc addresses to a batch's set, to ask
     * the contact matcher once.
     */
    static void addAddresses(Set<String> batchAddresses, MessageHeaders h) {
        addAll(batchAddresses, h.from());
        addAll(batchAddresses, h.sender());
        addAll(batchAddresses, h.to());
        addAll(batchAddresses, h.cc());
        addAll(batchAddresses, h.bcc());
    }

    /** The sender of a message without From. */
    private static final EmailAddress NO_SENDER = new EmailAddress("", "", "");

    Mapped map(List<Parsed> batch, Map<String, List<ContactRef>> contacts) {
        return map(batch, new BitSet(), contacts);
    }

    /**
     * @param bulk the indexes in {@code batch} of the messages the policies recorded as bulk mail
     */
    Mapped map(List<Parsed> batch, BitSet bulk, Map<String, List<ContactRef>> contacts) {
        List<SyncedMessage> messages = new ArrayList<>(batch.size());
        List<ContactActivity> activities = new ArrayList<>();
        int matched = 0;
        for (int i = 0; i < batch.size(); i++) {
            Parsed p = batch.get(i);
            MessageHeaders h = p.headers();
            Instant date = date(p);
            EmailAddress sender = h.from().isEmpty() ? NO_SENDER : h.from().get(0);
            String from = sender.address();
            MessageKey key = key(p, date);
            Direction direction = direction(h);
            Optional<String> thread = ThreadKeys.of(p.gmailThreadId(), p.objectThreadId(), h);
            // the key is computed from the real subject (a hash, for messages without Message-ID), so that a
            // message keeps its key whatever an account's visibility; only the stored subject goes
            String subject = keepSubject ? h.subject() : "";
            messages.add(new SyncedMessage(key, folder, p.uid(), date, sender, subject, Math.max(0, p.size()),
                    direction, thread, Optional.empty(), bulk.get(i)));
            int before = activities.size();
            addActivities(activities, before, h.from(), ParticipantRole.FROM, contacts, key, direction, date, subject,
                    from, thread);
            // who sent it on the From's behalf (see ParticipantRole.FROM): a known contact sent it too
            addActivities(activities, before, h.sender(), ParticipantRole.FROM, contacts, key, direction, date, subject,
                    from, thread);
            addActivities(activities, before, h.to(), ParticipantRole.TO, contacts, key, direction, date, subject, from,
                    thread);
            addActivities(activities, before, h.cc(), ParticipantRole.CC, contacts, key, direction, date, subject, from,
                    thread);
            addActivities(activities, before, h.bcc(), ParticipantRole.BCC, contacts, key, direction, date, subject,
                    from, thread);
            if (activities.size() > before) {
                matched++;
            }
        }
        return new Mapped(messages, activities, matched);
    }

    /**
     * Adds one activity per matched contact in the given role, with the address that matched,
     * unless this message already has one for that contact and role (activities from
     * {@code firstOfMessage} on are this message's: a handful, so a scan is cheaper than a set).
     */
    private void addActivities(List<ContactActivity> out, int firstOfMessage, List<EmailAddress> addresses,
                               ParticipantRole role, Map<String, List<ContactRef>> contacts, MessageKey key,
                               Direction direction, Instant date, String subject, String from,
                               Optional<String> thread) {
        for (EmailAddress a : addresses) {
            List<ContactRef> refs = contacts.get(a.normalized());
            if (refs == null) {
                continue;
            }
            for (ContactRef ref : refs) {
                if (!recorded(out, firstOfMessage, ref, role)) {
                    out.add(new ContactActivity(key, ref, role, direction, date, subject, from, folder, thread,
                            a.normalized()));
                }
            }
        }
    }

    private static boolean recorded(List<ContactActivity> out, int firstOfMessage, ContactRef ref,
                                    ParticipantRole role) {
        for (int i = out.size() - 1; i >= firstOfMessage; i--) {
            ContactActivity a = out.get(i);
            if (a.role() == role && a.contact().id().equals(ref.id())) {
                return true;
            }
        }
        return false;
    }

    /** OUTBOUND in a sent folder, or when the owner wrote it (From) or sent it on someone's behalf (Sender). */
    private Direction direction(MessageHeaders h) {
        if (sentFolder || anyOwn(h.from()) || anyOwn(h.sender())) {
            return Direction.OUTBOUND;
        }
        return Direction.INBOUND;
    }

    private boolean anyOwn(List<EmailAddress> addresses) {
        for (EmailAddress a : addresses) {
            if (ownAddresses.contains(a.normalized())) {
                return true;
            }
        }
        return false;
    }

    /** The Date header, else INTERNALDATE, else the epoch (the message still counts, once). */
    private static Instant date(Parsed p) {
        if (p.headers().date().isPresent()) {
            return p.headers().date().get();
        }
        return p.internalDateMillis() >= 0 ? Instant.ofEpochMilli(p.internalDateMillis()) : Instant.EPOCH;
    }

    private static MessageKey key(Parsed p, Instant date) {
        if (p.gmailMessageId() >= 0) {
            return MessageKey.ofGmailId(p.gmailMessageId());
        }
        Optional<String> id = p.headers().messageId();
        if (id.isPresent() && !id.get().isEmpty()) {
            return MessageKey.ofMessageId(id.get());
        }
        MessageHeaders h = p.headers();
        String from = h.from().isEmpty() ? "" : h.from().get(0).normalized();
        return MessageKey.ofContent(date, from, h.subject(), p.size());
    }

    private static void addAll(Set<String> into, List<EmailAddress> addresses) {
        for (EmailAddress a : addresses) {
            into.add(a.normalized());
        }
    }
}
