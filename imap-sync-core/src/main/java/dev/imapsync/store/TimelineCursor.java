package dev.imapsync.store;

import dev.imapsync.message.MessageKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a timeline page ended, as {@link InMemorySyncStore} writes it into {@link TimelinePage#next()}:
 * the date and message key of the page's last entry. On the wire it is opaque: base64url of
 * {@code v1|<epoch seconds>|<nanos>|<message key>}, checked field by field when it comes back.
 *
 * @param date the last entry's date
 * @param key  the last entry's message key
 */
record TimelineCursor(Instant date, MessageKey key) {
    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    TimelineCursor {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(key, "key");
    }

    /** The cursor of the entry. */
    static TimelineCursor of(TimelineEntry entry) {
        return new TimelineCursor(entry.date(), entry.messageKey());
    }

    /** The opaque form handed to the caller. */
    String encode() {
        String plain = VERSION + "|" + date.getEpochSecond() + "|" + date.getNano() + "|" + key.value();
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor a caller passed back.
     *
     * @throws IllegalArgumentException if this class did not make it
     */
    static TimelineCursor decode(String cursor) {
        Objects.requireNonNull(cursor, "cursor");
        TimelineCursor decoded = parse(cursor);
        if (decoded == null) {
            String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor;
            throw new IllegalArgumentException("The timeline cursor '" + shown + "' was not made by this store:"
                    + " pass back the next cursor of the page before as it is, or read the first page without one");
        }
        return decoded;
    }

    /** The cursor, or null if the text is not one. */
    private static TimelineCursor parse(String cursor) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            String plain = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            String[] parts = plain.split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                return null;
            }
            long seconds = Long.parseLong(parts[1]);
            int nanos = Integer.parseInt(parts[2]);
            if (nanos < 0 || nanos > 999_999_999) {
                return null;
            }
            return new TimelineCursor(Instant.ofEpochSecond(seconds, nanos), new MessageKey(parts[3]));
        } catch (IllegalArgumentException | CharacterCodingException | DateTimeException e) {
            // bad base64, a number that is none, a message key that is none (all IllegalArgumentException)
            return null;
        }
    }
}
