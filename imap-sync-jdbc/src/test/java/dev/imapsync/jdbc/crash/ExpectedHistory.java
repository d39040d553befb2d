package dev.imapsync.jdbc.crash;

import dev.imapsync.jdbc.crash.GeneratedMailbox.Contact;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Mail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What history must hold once the generated mail is synced, worked out from the generated
 * data alone (never by running the engine): one message per normalized Message-ID, with its
 * direction, and one activity per (message, contact, role).
 */
public final class ExpectedHistory {
    /** A message as history records it: its key and direction. */
    public record Message(String key, String direction) {
    }

    /** An activity as history records it. */
    public record Activity(String key, String contactId, String role, String direction) {
    }

    /** A message stored in a folder under a UID, with what history must hold for it. */
    private record Placed(String folder, long uid, Message message, Set<Activity> activities) {
    }

    private final List<Placed> placed = new ArrayList<>();
    private final Map<String, Long> highestUid = new LinkedHashMap<>();
    private final Map<String, List<String>> contactsOf = new HashMap<>();

    public ExpectedHistory(List<Contact> contacts) {
        for (Contact c : contacts) {
            for (String address : c.addresses()) {
                contactsOf.computeIfAbsent(address.toLowerCase(Locale.ROOT), a -> new ArrayList<>()).add(c.id());
            }
        }
    }

    /** Records that {@code mail} was stored in its folder under {@code uid}. */
    public void stored(Mail mail, long uid) {
        String direction = mail.folder().equals(GeneratedMailbox.SENT)
                || mail.from().equalsIgnoreCase(GeneratedMailbox.OWNER) ? "OUTBOUND" : "INBOUND";
        String key = "mid:" + normalizedId(mail.messageId());
        Set<Activity> activities = new LinkedHashSet<>();
        add(activities, key, List.of(mail.from()), "FROM", direction);
        add(activities, key, mail.to(), "TO", direction);
        add(activities, key, mail.cc(), "CC", direction);
        placed.add(new Placed(mail.folder(), uid, new Message(key, direction), activities));
        highestUid.merge(mail.folder(), uid, Math::max);
    }

    private void add(Set<Activity> into, String key, List<String> addresses, String role, String direction) {
        for (String address : addresses) {
            for (String contact : contactsOf.getOrDefault(address.toLowerCase(Locale.ROOT), List.of())) {
                into.add(new Activity(key, contact, role, direction));
            }
        }
    }

    /** RFC 5322 ids compare the local part exactly and the domain case-insensitively. */
    private static String normalizedId(String id) {
        int at = id.lastIndexOf('@');
        return id.substring(0, at + 1) + id.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** The highest UID stored in each folder. */
    public Map<String, Long> highestUids() {
        return Map.copyOf(highestUid);
    }

    public Set<Message> messages() {
        return upTo(highestUid).messages;
    }

    public Set<Activity> activities() {
        return upTo(highestUid).activities;
    }

    /** What history holds once each folder is synced up to the given last UID (absent: nothing). */
    public Snapshot upTo(Map<String, Long> lastUids) {
        Set<Message> messages = new HashSet<>();
        Set<Activity> activities = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Placed p : placed) {
            if (p.uid() <= lastUids.getOrDefault(p.folder(), 0L) && keys.add(p.message().key())) {
                messages.add(p.message());
                activities.addAll(p.activities());
            }
        }
        return new Snapshot(messages, activities);
    }

    /** History at some point of the sync. */
    public record Snapshot(Set<Message> messages, Set<Activity> activities) {
    }
}
