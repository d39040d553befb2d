package dev.imapsync.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Identifies one message of an account across folders and syncs, so that history holds it
 * once: Gmail's X-GM-MSGID where the server offers it, else the normalized Message-ID, else a
 * hash of (Date, From, Subject, size).
 *
 * @param value {@code gm:<decimal>}, {@code mid:<message-id>} or {@code h:<hex>}; at most 255 characters
 */
public record MessageKey(String value) {
    /** The longest key; longer Message-IDs are hashed. */
    public static final int MAX_LENGTH = 255;

    /** Validates the form. */
    public MessageKey {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH
                || !(value.startsWith("gm:") || value.startsWith("mid:") || value.startsWith("h:"))) {
            throw new IllegalArgumentException("Not a message key: '" + value
                    + "' (expected gm:, mid: or h: and at most " + MAX_LENGTH + " characters)");
        }
    }

    /** The key of a Gmail message, from its X-GM-MSGID. */
    public static MessageKey ofGmailId(long gmailMessageId) {
        return new MessageKey("gm:" + Long.toUnsignedString(gmailMessageId));
    }

    /**
     * The key of a normalized Message-ID ({@code local@domain}); ids too long for a key are
     * hashed, still deterministically.
     */
    public static MessageKey ofMessageId(String normalizedMessageId) {
        String key = "mid:" + normalizedMessageId;
        return key.length() <= MAX_LENGTH ? new MessageKey(key) : new MessageKey("h:" + sha256("mid\n" + normalizedMessageId));
    }

    /** The key of a message without a Message-ID: a hash of what identifies it best. */
    public static MessageKey ofContent(Instant date, String from, String subject, long size) {
        return new MessageKey("h:" + sha256(date.getEpochSecond() + "\n" + from + "\n" + subject + "\n" + size));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
