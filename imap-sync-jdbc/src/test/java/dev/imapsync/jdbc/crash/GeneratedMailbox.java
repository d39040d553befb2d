package dev.imapsync.jdbc.crash;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A mailbox made up from a seed: contacts (one with two addresses, two sharing an address),
 * strangers, and mail in INBOX and Sent, some of it sent by the owner and a few messages stored
 * in both folders under one Message-ID. Addresses and Message-ID domains are written in mixed
 * case, as real mail is, so the sync's normalization is part of what is tested.
 */
public final class GeneratedMailbox {
    public static final String INBOX = "INBOX";
    public static final String SENT = "Sent";
    public static final String OWNER = "owner@acme.example";
    /**
     * The privacy settings of the accounts that sync this mailbox: every message recorded, the
     * owner's mail to themselves (internal mail) included, so that "nothing lost" counts them all.
     */
    public static final dev.imapsync.policy.PrivacySettings RECORD_ALL = dev.imapsync.policy.PrivacySettings.defaults()
            .withRecordInternal(true).withBulkMail(dev.imapsync.policy.BulkMail.RECORD);

    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int CONTACTS = 40;
    private static final int STRANGERS = 60;
    /** An address that belongs to two contacts at once. */
    private static final String SHARED = "team@customer1.example";

    /** A contact of the host application and its addresses (lower case). */
    public record Contact(String id, List<String> addresses) {
    }

    /** One generated message; addresses as written in its headers. */
    public record Mail(String folder, String messageId, String from, List<String> to, List<String> cc, Instant date,
                String subject) {
        /** The raw message, CRLF line ends. */
        public String rfc822() {
            StringBuilder m = new StringBuilder();
            m.append("From: \"Sender\" <").append(from).append(">\r\n");
            m.append("To: ").append(String.join(", ", to)).append("\r\n");
            if (!cc.isEmpty()) {
                m.append("Cc: ").append(String.join(", ", cc)).append("\r\n");
            }
            m.append("Subject: ").append(subject).append("\r\n");
            m.append("Date: ").append(RFC_5322.format(date)).append("\r\n");
            m.append("Message-ID: <").append(messageId).append(">\r\n");
            m.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHello,\r\nbody of ")
                    .append(messageId).append("\r\n");
            return m.toString();
        }

        /** The same message stored in another folder. */
        public Mail in(String otherFolder) {
            return new Mail(otherFolder, messageId, from, to, cc, date, subject);
        }
    }

    private final List<Contact> contacts;
    private final List<Mail> mails;

    private GeneratedMailbox(List<Contact> contacts, List<Mail> mails) {
        this.contacts = List.copyOf(contacts);
        this.mails = List.copyOf(mails);
    }

    /**
     * {@code inbox} messages in INBOX and {@code sent} in Sent, {@code inBoth} of which are the
     * same owner-sent messages stored in both folders; dated over the last 300 days.
     */
    public static GeneratedMailbox generate(long seed, int inbox, int sent, int inBoth) {
        Random random = new Random(seed);
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            List<String> addresses = new ArrayList<>(List.of(contactAddress(i)));
            if (i == 2) {
                addresses.add("second.address@elsewhere.example");
            }
            if (i == 3 || i == 7) {
                addresses.add(SHARED);
            }
            contacts.add(new Contact("c-" + i, List.copyOf(addresses)));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String tag = Long.toHexString(seed);
        List<Mail> mails = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < inbox - inBoth; i++, n++) {
            String from = random.nextInt(10) == 0 ? OWNER : someone(random);
            List<String> to = random.nextInt(4) == 0 ? List.of(OWNER, someone(random)) : List.of(OWNER);
            mails.add(new Mail(INBOX, id(n, tag), written(from, random), written(to, random), cc(random),
                    date(now, random), "Inbound " + n));
        }
        for (int i = 0; i < sent - inBoth; i++, n++) {
            List<String> to = random.nextInt(3) == 0 ? List.of(someone(random), someone(random))
                    : List.of(someone(random));
            mails.add(new Mail(SENT, id(n, tag), written(OWNER, random), written(to, random), cc(random),
                    date(now, random), "Outbound " + n));
        }
        for (int i = 0; i < inBoth; i++, n++) {
            // a message the owner sent to a contact and to themselves: in Sent and in INBOX, one message
            Mail both = new Mail(SENT, id(n, tag), written(OWNER, random), List.of(written(contactAddress(i), random),
                    OWNER), List.of(SHARED), date(now, random), "Sent to both " + n);
            mails.add(both);
            mails.add(both.in(INBOX));
        }
        return new GeneratedMailbox(contacts, mails);
    }

    public List<Contact> contacts() {
        return contacts;
    }

    /** Every message, each copy in its folder, in the order they are to be stored. */
    public List<Mail> mails() {
        return mails;
    }

    /** The contacts as a CSV list for {@code InMemoryContactMatcher.fromCsv}. */
    public String contactsCsv() {
        StringBuilder csv = new StringBuilder("# contact_id,email[,email...]\n");
        for (Contact c : contacts) {
            csv.append(c.id()).append(',').append(String.join(",", c.addresses())).append('\n');
        }
        return csv.toString();
    }

    private static String contactAddress(int i) {
        return "person" + i + "@customer" + (i % 5) + ".example";
    }

    /** A contact (60%), the shared address (5%) or a stranger. */
    private static String someone(Random random) {
        int dice = random.nextInt(100);
        if (dice < 60) {
            return contactAddress(random.nextInt(CONTACTS));
        }
        if (dice < 65) {
            return SHARED;
        }
        return "stranger" + random.nextInt(STRANGERS) + "@nowhere" + random.nextInt(3) + ".example";
    }

    private static List<String> cc(Random random) {
        int count = random.nextInt(3);
        List<String> cc = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cc.add(written(someone(random), random));
        }
        return cc;
    }

    /** Distinct ids; the domain in mixed case, which the key lower-cases (the local part is kept). */
    private static String id(int n, String tag) {
        return "Msg-" + n + "." + tag + "@Gen" + (n % 3) + ".Crash.EXAMPLE";
    }

    private static Instant date(Instant now, Random random) {
        return now.minus(Duration.ofMinutes(1 + random.nextInt(300 * 24 * 60)));
    }

    /** The address as a person might type it: now and then capitalized. */
    private static String written(String address, Random random) {
        return random.nextInt(4) == 0 ? address.substring(0, 1).toUpperCase(Locale.ROOT) + address.substring(1)
                .replace("@c", "@C").replace(".example", ".Example") : address;
    }

    private static List<String> written(List<String> addresses, Random random) {
        return addresses.stream().map(a -> written(a, random)).toList();
    }
}
