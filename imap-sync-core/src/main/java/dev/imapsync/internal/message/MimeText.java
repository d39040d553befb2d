package dev.imapsync.internal.message;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The header parser's charset lookup and RFC 2047 decoding, for code outside this package that
 * reads MIME values (the preview path's file names and charsets), so both read mail alike.
 */
public final class MimeText {
    private static final byte[] FIELD = "Subject: ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_VALUE_BYTES = 4 * 1024;

    private MimeText() {
    }

    /**
     * The JDK charset a MIME charset label names (aliases such as {@code ks_c_5601-1987} or
     * {@code iso-8859-8-i} included), or empty when the JDK knows none.
     */
    public static Optional<Charset> charset(String label) {
        if (label == null) {
            return Optional.empty();
        }
        byte[] b = label.trim().getBytes(StandardCharsets.ISO_8859_1);
        return Optional.ofNullable(MimeCharsets.lookup(b, 0, b.length, null));
    }

    /**
     * Decodes RFC 2047 encoded words in an unstructured value (a file name a mailer encoded
     * against RFC 2047's own advice, as Outlook and Gmail do); a value without any is returned
     * trimmed. Values beyond 4 KiB are returned as they are.
     */
    public static String decodeWords(String value) {
        if (value == null || value.indexOf("=?") < 0) {
            return value == null ? "" : value.trim();
        }
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        if (v.length > MAX_VALUE_BYTES) {
            return value.trim();
        }
        byte[] header = new byte[FIELD.length + v.length + 4];
        System.arraycopy(FIELD, 0, header, 0, FIELD.length);
        System.arraycopy(v, 0, header, FIELD.length, v.length);
        header[header.length - 4] = '\r';
        header[header.length - 3] = '\n';
        header[header.length - 2] = '\r';
        header[header.length - 1] = '\n';
        return HeaderParser.standard().parse(header).subject();
    }
}
