package dev.imapsync.internal.message;


/**
 * UTF-8 on byte ranges, without the JDK's decoder objects: a validity check (RFC 6532 allows
 * raw UTF-8 in header values; anything else is read as ISO-8859-1) and a lenient decoder that
 * appends to a {@link StringBuilder}, replacing what is not UTF-8 with U+FFFD.
 */
final class Utf8 {
    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /** Whether the range is well-formed UTF-8: no overlong forms, surrogates or code points past U+10FFFF. */
    static boolean isValid(byte[] b, int start, int end) {
        int i = start;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
            } else if (c < 0xC2) {
                return false;
            } else if (c < 0xE0) {
                if (i + 1 >= end || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int c1 = b[i + 1] & 0xFF;
                if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) {
                    return false;
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int c1 = b[i + 1] & 0xFF;
                if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the range decoded as UTF-8, each ill-formed byte as U+FFFD, controls as
     * {@link Text#appendSafe(StringBuilder, char)} has them.
     */
    static void decode(byte[] b, int start, int end, StringBuilder out) {
        int i = start;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                Text.appendSafe(out, (char) c);
                i++;
                continue;
            }
            int length;
            int cp;
            int min;
            if (c >= 0xC2 && c < 0xE0) {
                length = 2;
                cp = c & 0x1F;
                min = 0x80;
            } else if (c >= 0xE0 && c < 0xF0) {
                length = 3;
                cp = c & 0x0F;
                min = 0x800;
            } else if (c >= 0xF0 && c < 0xF5) {
                length = 4;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            if (i + length > end) {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            boolean ok = true;
            for (int k = 1; k < length; k++) {
                byte n = b[i + k];
                if (!continuation(n)) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (n & 0x3F);
            }
            if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            if (cp < 0x10000) {
                Text.appendSafe(out, (char) cp);
            } else {
                out.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
            }
            i += length;
        }
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
