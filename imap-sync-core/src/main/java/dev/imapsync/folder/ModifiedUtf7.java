package dev.imapsync.folder;

import java.util.Objects;

/**
 * The modified UTF-7 of RFC 3501 section 5.1.3, in which IMAP servers send mailbox names:
 * printable US-ASCII stands for itself, {@code &-} for {@code &}, and any other text is
 * UTF-16 in a modified BASE64 (with {@code ,} for {@code /}) between {@code &} and {@code -},
 * e.g. {@code Entw&APw-rfe} for {@code Entwürfe}.
 *
 * <p>{@link #decode} never throws: a shift sequence that is not valid modified UTF-7 is kept as
 * the raw text the server sent, and text that is not ASCII (a server in {@code UTF8=ACCEPT}
 * mode) passes through unchanged. {@code encode(decode(name))} gives back {@code name} for every
 * name a server encodes the way the RFC prescribes.
 */
final class ModifiedUtf7 {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /**
     * The readable form of a mailbox name as the server sent it, e.g. {@code Envoyés} for
     * {@code Envoy&AOk-s}. Malformed shift sequences are kept as they were.
     */
    static String decode(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.indexOf('&') < 0) {
            return encoded;
        }
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) {
                // no end of the shift sequence: keep the rest as the server sent it
                out.append(encoded, i, encoded.length());
                break;
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                String decoded = decodeBase64Run(encoded, i + 1, end);
                if (decoded == null) {
                    out.append(encoded, i, end + 1);
                } else {
                    out.append(decoded);
                }
            }
            i = end + 1;
        }
        return out.toString();
    }

    /**
     * The modified UTF-7 form of a readable mailbox name, as a server expects it in commands,
     * e.g. {@code &BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-} for {@code Отправленные}.
     */
    static String encode(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                i++;
            } else {
                int start = i;
                while (i < text.length() && (text.charAt(i) < 0x20 || text.charAt(i) > 0x7e)) {
                    i++;
                }
                out.append('&');
                encodeBase64Run(text, start, i, out);
                out.append('-');
            }
        }
        return out.toString();
    }

    /** The UTF-16 text of {@code s[from, to)}, or null when it is not valid modified BASE64. */
    private static String decodeBase64Run(String s, int from, int to) {
        StringBuilder chars = new StringBuilder((to - from) * 3 / 8 + 1);
        int buffer = 0;
        int bits = 0;
        int highByte = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                int b = (buffer >> bits) & 0xff;
                if (highByte < 0) {
                    highByte = b;
                } else {
                    chars.append((char) ((highByte << 8) | b));
                    highByte = -1;
                }
            }
        }
        // what is left must be the zero padding of the last sextet, and no half character
        if (highByte >= 0 || bits >= 6 || (buffer & ((1 << bits) - 1)) != 0) {
            return null;
        }
        return wellFormedUtf16(chars) ? chars.toString() : null;
    }

    private static boolean wellFormedUtf16(CharSequence chars) {
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= chars.length() || !Character.isLowSurrogate(chars.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void encodeBase64Run(String s, int from, int to, StringBuilder out) {
        int buffer = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            buffer = (buffer << 16) | c;
            bits += 16;
            while (bits >= 6) {
                bits -= 6;
                out.append(ALPHABET[(buffer >> bits) & 0x3f]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (6 - bits)) & 0x3f]);
        }
    }
}
