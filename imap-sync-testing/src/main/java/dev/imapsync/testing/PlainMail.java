package dev.imapsync.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A plain-text RFC 5322 message, CRLF line ends, for tests that fill a mailbox with mail whose
 * participants and header fields matter and whose body does not.
 */
public final class PlainMail {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private PlainMail() {
    }

    /**
     * The message's text.
     *
     * @param messageId the Message-ID without angle brackets
     * @param cc        the Cc field, or empty for none
     * @param headers   more header fields, each a whole line without its CRLF ("List-Id: ...")
     */
    public static String of(String messageId, String from, String to, String cc, String subject, Instant date,
                            String body, String... headers) {
        StringBuilder m = new StringBuilder()
                .append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n");
        if (!cc.isEmpty()) {
            m.append("Cc: ").append(cc).append("\r\n");
        }
        m.append("Subject: ").append(subject).append("\r\n")
                .append("Date: ").append(DATE.format(date)).append("\r\n")
                .append("Message-ID: <").append(messageId).append(">\r\n");
        for (String header : headers) {
            m.append(header).append("\r\n");
        }
        return m.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n")
                .append(body).append("\r\n").toString();
    }
}
