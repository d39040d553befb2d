package dev.imapsync.sync;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/** Realistic generated messages for sync tests: deterministic, with encoded words and threads. */
final class MailboxGenerator {
    static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String[] NAMES = {"Maria Schmidt", "Jean Dupont", "Priya Patel", "Li Wei", "Olga Ivanova",
        "José García", "Ana Lima", "Kenji Sato"};
    private static final String[] SUBJECTS = {"Quarterly review", "=?UTF-8?Q?Angebot_f=C3=BCr_M=C3=BCnchen?=",
        "Re: Contract draft", "=?ISO-8859-1?Q?R=E9union?=", "Invoice 2024-117", "Lunch?"};

    private final Random random;

    MailboxGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** The address of generated person {@code i}. */
    static String person(int i) {
        return "person" + i + "@customer" + (i % 7) + ".example";
    }

    /** A message from {@code from} to {@code to} (and a few generated Cc), dated {@code date}. */
    String message(String from, String to, Instant date, String messageId) {
        StringBuilder m = new StringBuilder();
        m.append("From: \"").append(NAMES[random.nextInt(NAMES.length)]).append("\" <").append(from).append(">\n");
        m.append("To: ").append(to).append('\n');
        int cc = random.nextInt(3);
        if (cc > 0) {
            m.append("Cc: ");
            for (int i = 0; i < cc; i++) {
                m.append(i > 0 ? ", " : "").append(person(random.nextInt(50)));
            }
            m.append('\n');
        }
        m.append("Subject: ").append(SUBJECTS[random.nextInt(SUBJECTS.length)]).append('\n');
        m.append("Date: ").append(RFC_5322.format(date)).append('\n');
        m.append("Message-ID: <").append(messageId).append(">\n");
        m.append("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nHello,\nbody ").append(messageId)
                .append('\n');
        return m.toString();
    }
}
