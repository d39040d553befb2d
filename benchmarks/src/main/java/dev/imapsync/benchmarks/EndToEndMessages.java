package dev.imapsync.benchmarks;

import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The generated mail of the end-to-end harness, deterministic per message number: 1 to 8
 * addresses (From, To, Cc), display names some of them RFC 2047 encoded, a subject encoded in
 * about a quarter of the messages, Message-ID, and In-Reply-To/References for replies. The
 * address pool is shared with {@link #matcher()}, whose 10,000 contacts hold half of it.
 */
final class EndToEndMessages {
    /** The mailbox owner, From of the messages she sent. */
    static final String OWNER = "alice@example.test";
    /** How many distinct correspondents the messages use. */
    static final int POOL = 20_000;
    /** How many contacts the matcher holds. */
    static final int CONTACTS = 10_000;
    private static final long SEED = 42;
    private static final String[] FIRST = {"anna", "bernd", "carla", "dieter", "eva", "frank", "greta", "hans",
        "ines", "jürgen", "karin", "lukas", "maria", "niklas", "olga", "paul", "renate", "stefan", "tanja", "uwe"};
    private static final String[] LAST = {"meier", "schmidt", "müller", "fischer", "weber", "wagner", "becker",
        "hoffmann", "schulz", "koch", "richter", "klein", "wolf", "schröder", "neumann", "braun", "zimmermann"};
    private static final String[] DOMAINS = {"example.com", "example.org", "example.net", "mail.example.de",
        "corp.example", "lists.example.org", "b2b.example.co.uk"};
    private static final String[] WORDS = {"quarterly", "report", "meeting", "invoice", "project", "update",
        "draft", "contract", "review", "budget", "launch", "schedule", "travel", "offer", "question", "Grüße",
        "Änderung", "Übersicht", "café", "naïve", "résumé", "status", "agenda", "minutes", "follow-up"};
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final DateTimeFormatter IMAP_DATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    private EndToEndMessages() {
    }

    /** The matcher of 10,000 contacts: contact c has pool address 2c (so half the pool matches) and one other. */
    static InMemoryContactMatcher matcher() {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        for (int c = 0; c < CONTACTS; c++) {
            builder.add(ContactRef.of("contact-" + c),
                    List.of(address(2 * c), "contact" + c + "@elsewhere.example"));
        }
        return builder.build();
    }

    /**
     * A matcher of fewer contacts: one for every {@code every}-th address of the pool, so that
     * about 30% of the messages have a contact with {@code every} = 13 (a message names 1 to 8).
     */
    static InMemoryContactMatcher sparseMatcher(int every) {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        for (int k = 0; k < POOL; k += every) {
            builder.add(ContactRef.of("contact-" + k), List.of(address(k)));
        }
        return builder.build();
    }

    /** The address of correspondent k of the pool. */
    static String address(int k) {
        return FIRST[k % FIRST.length].replace("ü", "ue") + "." + LAST[(k / FIRST.length) % LAST.length]
                .replace("ü", "ue").replace("ö", "oe") + k + "@" + DOMAINS[k % DOMAINS.length];
    }

    /** When message i (0-based) of n was sent: spread over the last 700 days, oldest first. */
    static Instant date(int i, int n) {
        long span = 700L * 24 * 3600;
        return Instant.parse("2025-01-01T00:00:00Z").minusSeconds(span - span * i / Math.max(1, n));
    }

    /** The INTERNALDATE to APPEND message i with, in IMAP's date-time form. */
    static String internalDate(int i, int n) {
        return IMAP_DATE.format(ZonedDateTime.ofInstant(date(i, n), ZoneOffset.UTC));
    }

    /** Message i (0-based) of a folder of n, with CRLF line ends. */
    static byte[] message(int i, int n) {
        Random r = new Random(SEED * 1_000_003L + i);
        StringBuilder h = new StringBuilder(1024);
        int addresses = 1 + r.nextInt(8); // From plus 0..7 recipients
        boolean sent = r.nextInt(5) == 0;
        h.append("Return-Path: <bounce-").append(i).append("@example.com>\r\n");
        h.append("Received: from mx").append(r.nextInt(9)).append(".example.com (mx.example.com [192.0.2.")
                .append(r.nextInt(250)).append("])\r\n\tby imap.example.test with ESMTPS id ")
                .append(Long.toHexString(r.nextLong())).append("\r\n\tfor <").append(OWNER).append(">; ")
                .append(RFC_5322.format(ZonedDateTime.ofInstant(date(i, n), ZoneOffset.UTC))).append("\r\n");
        h.append("Date: ").append(RFC_5322.format(ZonedDateTime.ofInstant(date(i, n), ZoneOffset.ofHours(1))))
                .append("\r\n");
        h.append("From: ").append(sent ? "Alice Example <" + OWNER + ">" : mailbox(r)).append("\r\n");
        int recipients = addresses - 1;
        int to = recipients == 0 ? 0 : 1 + r.nextInt(recipients);
        int cc = recipients - to;
        h.append("To: ");
        if (!sent) {
            h.append(OWNER);
            if (to > 0) {
                h.append(",\r\n ");
            }
        }
        appendList(h, r, sent ? Math.max(1, to) : to);
        h.append("\r\n");
        if (cc > 0) {
            h.append("Cc: ");
            appendList(h, r, cc);
            h.append("\r\n");
        }
        String subject = subject(r);
        boolean reply = i > 0 && r.nextInt(10) < 4;
        if (reply) {
            subject = "Re: " + subject;
        }
        h.append("Subject: ").append(r.nextInt(4) == 0 ? encoded(subject, r) : ascii(subject)).append("\r\n");
        h.append("Message-ID: ").append(messageId(i)).append("\r\n");
        if (reply) {
            int parent = i - 1 - r.nextInt(Math.min(i, 50));
            h.append("In-Reply-To: ").append(messageId(parent)).append("\r\n");
            h.append("References: ");
            if (parent > 0 && r.nextBoolean()) {
                h.append(messageId(parent - 1)).append("\r\n ");
            }
            h.append(messageId(parent)).append("\r\n");
        }
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: text/plain; charset=UTF-8\r\n");
        h.append("Content-Transfer-Encoding: 8bit\r\n");
        h.append("X-Mailer: imap-sync end-to-end generator\r\n");
        h.append("\r\n");
        int lines = 3 + r.nextInt(20);
        for (int l = 0; l < lines; l++) {
            for (int w = 0; w < 10; w++) {
                h.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
            }
            h.append("\r\n");
        }
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The Message-ID of message i. */
    static String messageId(int i) {
        return "<" + i + "." + Long.toHexString(SEED * 7919L + i * 104_729L) + "@bench.example.test>";
    }

    private static void appendList(StringBuilder h, Random r, int count) {
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                h.append(",\r\n ");
            }
            h.append(mailbox(r));
        }
    }

    private static String mailbox(Random r) {
        int k = r.nextInt(POOL);
        String address = address(k);
        int style = r.nextInt(10);
        String first = capital(FIRST[k % FIRST.length]);
        String last = capital(LAST[(k / FIRST.length) % LAST.length]);
        if (style < 3) {
            return address;
        } else if (style < 5) {
            return "\"" + last + ", " + first + "\" <" + address + ">";
        } else if (style < 7) {
            return encoded(first + " " + last, r) + " <" + address + ">";
        }
        return ascii(first + " " + last) + " <" + address + ">";
    }

    private static String subject(Random r) {
        StringBuilder s = new StringBuilder();
        int words = 2 + r.nextInt(6);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                s.append(' ');
            }
            s.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The text with its non-ASCII letters spelt out, for the unencoded cases. */
    private static String ascii(String s) {
        return s.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("Ü", "Ue").replace("Ä", "Ae")
                .replace("é", "e").replace("ï", "i");
    }

    /** RFC 2047 encoded words: B in UTF-8 or Q in ISO-8859-1, one word per at most 30 characters. */
    private static String encoded(String text, Random r) {
        boolean b = r.nextBoolean();
        StringBuilder out = new StringBuilder();
        for (int start = 0; start < text.length(); start += 30) {
            String part = text.substring(start, Math.min(text.length(), start + 30));
            if (start > 0) {
                out.append("\r\n ");
            }
            if (b) {
                out.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(part.getBytes(StandardCharsets.UTF_8)))
                        .append("?=");
            } else {
                out.append("=?ISO-8859-1?Q?");
                for (byte c : part.getBytes(StandardCharsets.ISO_8859_1)) {
                    int u = c & 0xff;
                    if (u == ' ') {
                        out.append('_');
                    } else if (u > 126 || u < 33 || u == '=' || u == '?' || u == '_' || u == '"') {
                        out.append('=').append(String.format("%02X", u));
                    } else {
                        out.append((char) u);
                    }
                }
                out.append("?=");
            }
        }
        return out.toString();
    }

    /**
     * Makes sure the folder holds exactly n generated messages: reused when it already does,
     * else (re)created and filled with MULTIAPPEND, 500 messages per command.
     */
    static void fill(ProbeTarget target, String folder, int n) throws IOException {
        try (EndToEndImap imap = EndToEndImap.login(target)) {
            String quoted = EndToEndImap.quote(folder);
            EndToEndImap.Result status = imap.command("STATUS " + quoted + " (MESSAGES)");
            long existing = -1;
            if (status.ok()) {
                for (String line : status.untagged()) {
                    int at = line.indexOf("MESSAGES ");
                    if (line.startsWith("* STATUS") && at > 0) {
                        existing = Long.parseLong(line.substring(at + 9).replaceAll("\\D.*", ""));
                    }
                }
            }
            if (existing == n) {
                System.out.printf("folder %s already holds %,d messages: reused%n", folder, n);
                return;
            }
            int first = 0;
            if (existing > 0 && existing < n && existing % 500 == 0) {
                // the messages are the same for the same number, and each APPEND of 500 is whole: go on
                System.out.printf("folder %s holds %,d of %,d messages: appending the rest%n", folder, existing, n);
                first = (int) existing;
            } else if (existing >= 0) {
                System.out.printf("folder %s holds %,d messages, not %,d: deleting and filling it again%n", folder,
                        existing, n);
                check(imap.command("DELETE " + quoted), "DELETE " + folder);
            }
            if (first == 0) {
                check(imap.command("CREATE " + quoted), "CREATE " + folder);
            }
            long started = System.nanoTime();
            for (int from = first; from < n; from += 500) {
                ByteArrayOutputStream command = new ByteArrayOutputStream(1 << 20);
                command.writeBytes(("APPEND " + quoted).getBytes(StandardCharsets.US_ASCII));
                for (int i = from; i < Math.min(n, from + 500); i++) {
                    byte[] message = message(i, n);
                    command.writeBytes((" (\\Seen) \"" + internalDate(i, n) + "\" {" + message.length + "+}\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    command.writeBytes(message);
                }
                check(imap.command(command.toByteArray()), "APPEND to " + folder);
            }
            System.out.printf("filled folder %s with %,d messages in %.1f s%n", folder, n,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private static void check(EndToEndImap.Result result, String what) throws IOException {
        if (!result.ok()) {
            throw new IOException(what + " failed: " + result.status() + " " + result.text());
        }
    }
}
