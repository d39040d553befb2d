package dev.imapsync.internal.message;

import java.nio.charset.StandardCharsets;

/** Small byte and character helpers shared by the field parsers. */
final class Text {
    private static final int EXCERPT = 60;

    // Character classes, so that the scanners' common case (an ordinary byte) costs one table
    // load and one test instead of a chain of comparisons.
    /** SP, HTAB, CR, LF. */
    static final int WS = 1;
    /** C0 controls (including CR, LF and HTAB) and DEL. */
    static final int CTL = 2;
    /** A to Z. */
    static final int UPPER = 4;
    /** 0x80 to 0xFF. */
    static final int EIGHT = 8;
    /** What ends or changes a word of an address list: {@code , ; < > ( : " [ = @ \} */
    static final int ADDRESS = 16;
    /** What an id's end or domain depends on: {@code < > @} */
    static final int ID = 32;
    /** What an encoded word's charset or text ends at: ? */
    static final int QUESTION = 64;
    /** Quoting, comments and escapes: " ( \ */
    static final int QUOTING = 128;

    private static final int[] CLASSES = new int[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            CLASSES[c] |= CTL;
        }
        CLASSES[0x7F] |= CTL;
        for (int c : new int[] {' ', '\t', '\r', '\n'}) {
            CLASSES[c] |= WS;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            CLASSES[c] |= UPPER;
        }
        for (int c = 0x80; c < 0x100; c++) {
            CLASSES[c] |= EIGHT;
        }
        for (char c : ",;<>(:\"[=@\\".toCharArray()) {
            CLASSES[c] |= ADDRESS;
        }
        for (char c : "<>@".toCharArray()) {
            CLASSES[c] |= ID;
        }
        CLASSES['?'] |= QUESTION;
        for (char c : "\"(\\".toCharArray()) {
            CLASSES[c] |= QUOTING;
        }
    }

    /** The classes of byte {@code c} (any sign). */
    static int classOf(int c) {
        return CLASSES[c & 0xFF];
    }

    private Text() {
    }

    /** Folding white space: SP, HTAB, and the CR and LF that unfolding removes. */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * Appends a decoded character for display: TAB, CR and LF become a space, the other C0
     * controls, DEL and the C1 controls are dropped (a NUL in a subject would break a PostgreSQL
     * text column; U+0085 is a line break and U+009B a terminal escape to some readers).
     */
    static void appendSafe(StringBuilder out, char c) {
        if (c >= 0xA0 || (c >= 0x20 && c < 0x7F)) {
            out.append(c);
        } else if (c == '\t' || c == '\r' || c == '\n') {
            out.append(' ');
        }
    }

    /** Appends raw header bytes, as UTF-8 when the value was valid UTF-8, else as ISO-8859-1. */
    static void appendRaw(byte[] b, int start, int end, boolean utf8, StringBuilder out) {
        if (utf8) {
            Utf8.decode(b, start, end, out);
            return;
        }
        for (int i = start; i < end; i++) {
            appendSafe(out, (char) (b[i] & 0xFF));
        }
    }

    /** A String of raw header bytes, as UTF-8 when the value was valid UTF-8, else as ISO-8859-1. */
    static String string(byte[] b, int start, int end, boolean utf8) {
        return new String(b, start, end - start, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** The builder's content without leading and trailing spaces. */
    static String trimmed(StringBuilder sb) {
        int start = 0;
        int end = sb.length();
        while (start < end && sb.charAt(start) == ' ') {
            start++;
        }
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return start == end ? "" : sb.substring(start, end);
    }

    /**
     * A short, printable quote of raw bytes for a warning: folding removed, controls (C0, DEL
     * and C1, so a warning stays one harmless log line) shown as '?', cut after
     * {@value #EXCERPT} characters.
     */
    static String excerpt(byte[] b, int start, int end) {
        StringBuilder sb = new StringBuilder(Math.min(EXCERPT, end - start) + 8);
        sb.append('"');
        boolean space = false;
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xFF;
            if (isWhitespace(c)) {
                space = sb.length() > 1;
                continue;
            }
            if (sb.length() > EXCERPT) {
                sb.append('…');
                break;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(c < 0x20 || (c >= 0x7F && c < 0xA0) ? '?' : (char) c);
        }
        return sb.append('"').toString();
    }
}
