package dev.imapsync.internal.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one parenthesized IMAP value (RFC 9051 section 4: lists, atoms, NIL, numbers, quoted
 * strings and literals) from raw response bytes, within bounds: nesting, item count and string
 * length are capped, so a hostile or broken server costs at most time linear in the bytes and
 * memory proportional to the caps. Reading stops at the parenthesis that closes the value, so
 * whatever follows in the FETCH response is not looked at.
 */
final class SexpReader {
    /** Deepest list nesting accepted; a body nested 16 deep with an envelope needs about 40. */
    static final int MAX_NESTING = 48;
    static final int MAX_ITEMS = 50_000;
    static final int MAX_STRING = 2_048;

    private final byte[] b;
    private final int end;
    private int p;
    private int itemCount;

    private SexpReader(byte[] b, int offset, int length) {
        this.b = b;
        this.p = offset;
        this.end = offset + length;
    }

    /**
     * The list that starts at {@code offset}.
     *
     * @throws Malformed when the bytes are no well-formed list within the bounds
     */
    static Sexp read(byte[] b, int offset, int length) throws Malformed {
        if (b == null || offset < 0 || length < 0 || offset > b.length - length) {
            throw new Malformed("no BODYSTRUCTURE bytes in the given range");
        }
        SexpReader reader = new SexpReader(b, offset, length);
        reader.skipSpaces();
        if (reader.p >= reader.end || b[reader.p] != '(') {
            throw new Malformed("BODYSTRUCTURE does not start with '('");
        }
        return reader.list(0);
    }

    /** Reads a list from the '(' at {@code p}; iterative over items, recursive over nesting. */
    private Sexp list(int depth) throws Malformed {
        if (depth >= MAX_NESTING) {
            throw new Malformed("BODYSTRUCTURE nested deeper than " + MAX_NESTING + " lists");
        }
        p++; // '('
        List<Sexp> items = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (p >= end) {
                throw new Malformed("BODYSTRUCTURE ends before its closing parenthesis");
            }
            if (++itemCount > MAX_ITEMS) {
                throw new Malformed("BODYSTRUCTURE has more than " + MAX_ITEMS + " items");
            }
            int c = b[p];
            if (c == ')') {
                p++;
                return Sexp.list(items);
            } else if (c == '(') {
                items.add(list(depth + 1));
            } else if (c == '"') {
                items.add(quoted());
            } else if (c == '{') {
                items.add(literal());
            } else {
                items.add(atom());
            }
        }
    }

    private void skipSpaces() {
        // servers send one SP; CR and LF appear only when a broken proxy folds the line
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
    }

    private Sexp quoted() throws Malformed {
        p++;
        byte[] out = new byte[Math.min(MAX_STRING, end - p)];
        int n = 0;
        while (p < end) {
            int c = b[p++];
            if (c == '"') {
                return Sexp.string(text(out, n));
            }
            if (c == '\\' && p < end) {
                c = b[p++];
            }
            if (n < out.length) {
                out[n++] = (byte) c;
            }
        }
        throw new Malformed("BODYSTRUCTURE ends inside a quoted string");
    }

    private Sexp literal() throws Malformed {
        int start = p;
        p++;
        long size = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            size = size * 10 + (b[p++] - '0');
            if (++digits > 10) {
                throw new Malformed("a literal's size in BODYSTRUCTURE has more than 10 digits");
            }
        }
        if (p < end && b[p] == '+') {
            p++; // LITERAL+ syntax, not expected from a server but harmless
        }
        if (digits == 0 || p >= end || b[p] != '}') {
            throw new Malformed("malformed literal at byte " + (start) + " of BODYSTRUCTURE");
        }
        p++;
        if (p < end && b[p] == '\r') {
            p++;
        }
        if (p >= end || b[p] != '\n') {
            throw new Malformed("a literal in BODYSTRUCTURE lacks its line break");
        }
        p++;
        if (size > end - p) {
            throw new Malformed("a literal of " + size + " bytes runs past the end of BODYSTRUCTURE");
        }
        int n = (int) size;
        Sexp s = Sexp.string(text(b, p, Math.min(n, MAX_STRING)));
        p += n;
        return s;
    }

    private Sexp atom() throws Malformed {
        int start = p;
        while (p < end) {
            int c = b[p];
            if (c == ' ' || c == '(' || c == ')' || c == '"' || c == '{' || c == '\r' || c == '\n' || c == '\t') {
                break;
            }
            p++;
        }
        if (p == start) {
            throw new Malformed("unexpected byte 0x" + Integer.toHexString(b[p] & 0xff) + " in BODYSTRUCTURE");
        }
        int length = p - start;
        if (length == 3 && (b[start] | 0x20) == 'n' && (b[start + 1] | 0x20) == 'i' && (b[start + 2] | 0x20) == 'l') {
            return Sexp.NIL;
        }
        return Sexp.string(text(b, start, Math.min(length, MAX_STRING)));
    }

    private static String text(byte[] bytes, int length) {
        return text(bytes, 0, length);
    }

    private static String text(byte[] bytes, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1); // most values: no decoder
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** The value is not a well-formed list within the bounds; the message says why. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
