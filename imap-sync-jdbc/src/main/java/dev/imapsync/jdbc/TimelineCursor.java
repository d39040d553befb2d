package dev.imapsync.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a timeline page ended: the (date, message key) of its last entry, the page after it
 * starting strictly below in the timeline's order. On the wire it is opaque: base64url of
 * {@code v1|<epoch second>|<nanosecond>|<message key>}, the form the in-memory store uses too.
 * The date is the one the database holds, so the next page's comparison is exact.
 */
record TimelineCursor(Instant date, String messageKey) {
    private static final String VERSION = "v1";

    TimelineCursor {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(messageKey, "messageKey");
    }

    String encode() {
        String plain = VERSION + "|" + date.getEpochSecond() + "|" + date.getNano() + "|" + messageKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor {@link #encode()} made.
     *
     * @throws IllegalArgumentException for anything else: another store's cursor, or text changed on the way
     */
    static TimelineCursor decode(String cursor) {
        Objects.requireNonNull(cursor, "cursor");
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 4);
            if (parts.length == 4 && parts[0].equals(VERSION) && !parts[3].isEmpty()) {
                return new TimelineCursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), nanos(parts[2])), parts[3]);
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // reported below
        }
        throw new IllegalArgumentException("The timeline cursor '" + abbreviate(cursor) + "' was not made by this"
                + " JDBC store: pass back TimelinePage.next() of the previous page as it is, or no cursor for the"
                + " newest page");
    }

    private static long nanos(String text) {
        long nanos = Long.parseLong(text);
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
        }
        return nanos;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
