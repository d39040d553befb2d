package dev.imapsync.internal.mail;

import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ParsingException;

/**
 * Finds, in one FETCH response of a preview fetch, the UID and the one value asked for: the
 * raw bytes of {@code BODYSTRUCTURE (…)}, or the bytes of a {@code BODY[section]<0>} literal
 * (or of {@code BINARY[section]<0>}, a literal8).
 * Other items are skipped.
 */
final class PartItemParser {
    /** One value found: its place in the response's buffer. */
    record Found(long uid, byte[] buffer, int offset, int length, boolean nil) {
    }

    private PartItemParser() {
    }

    /**
     * @param structure true to find BODYSTRUCTURE, false for the body section
     * @return the UID and the value; null when the response has no UID (an unsolicited update)
     *         or no such item (then {@code uid} is known but the value is not: length -1)
     */
    static Found parse(RawResponse r, boolean structure) throws ParsingException {
        return parse(r, structure, false);
    }

    /**
     * The UID and the bytes of the whole message, {@code BODY[]} or {@code BODY[]<origin>}, as
     * {@link #parse(RawResponse, boolean)} finds them; other body sections (the header fields of
     * a fetch written on the same connection) are skipped, so a response without the whole
     * message has length -1.
     */
    static Found parseWhole(RawResponse r) throws ParsingException {
        return parse(r, false, true);
    }

    private static Found parse(RawResponse r, boolean structure, boolean wholeOnly) throws ParsingException {
        long uid = -1;
        byte[] buffer = null;
        int offset = 0;
        int length = -1;
        boolean nil = false;
        r.skipSpaces();
        if (r.readByte() != '(') {
            throw new ParsingException("FETCH response without item list");
        }
        while (true) {
            r.skipSpaces();
            byte b = r.peekByte();
            if (b == ')' || b == 0) {
                break;
            }
            String item = itemName(r);
            if (item.isEmpty()) {
                throw new ParsingException("FETCH item without a name");
            }
            r.skipSpaces();
            if (item.equals("UID")) {
                uid = r.readLong();
            } else if (structure && item.equals("BODYSTRUCTURE")) {
                offset = r.position();
                buffer = r.bytes();
                if (r.peekByte() != '(') {
                    FetchItemParser.skipValue(r);
                    nil = true;
                    length = 0;
                } else {
                    FetchItemParser.skipValue(r);
                    length = r.position() - offset;
                }
            } else if (!structure && (wholeOnly ? item.equals("BODY[]") || item.startsWith("BODY[]<")
                    : item.startsWith("BODY[") || item.startsWith("BINARY["))) {
                if (r.peekByte() == '~') {
                    r.readByte(); // RFC 3516's literal8, ~{n}: the same bytes as a literal
                }
                ByteArray bytes = r.readByteArray();
                if (bytes == null) {
                    nil = true;
                    length = 0;
                    buffer = new byte[0];
                } else {
                    buffer = bytes.getBytes();
                    offset = bytes.getStart();
                    length = bytes.getCount();
                }
            } else {
                FetchItemParser.skipValue(r);
            }
        }
        if (uid < 0) {
            return null;
        }
        if (uid < 1 || uid > 4_294_967_295L) {
            throw new ParsingException("FETCH response with UID " + uid + ", not a UID");
        }
        return new Found(uid, buffer, offset, length, nil);
    }

    /**
     * An item name, upper-cased, with its section ({@code BODY[1.2]<0>}); at most 64 characters
     * kept. It ends at a space, or where its value starts without one: GreenMail writes
     * {@code BODY[1]<0>{64}}.
     */
    private static String itemName(RawResponse r) throws ParsingException {
        StringBuilder name = new StringBuilder(16);
        int depth = 0;
        while (true) {
            byte b = r.peekByte();
            if (b == 0) {
                throw new ParsingException("FETCH item name cut short");
            }
            if (depth == 0 && (b == ' ' || b == ')' || b == '{' || b == '"' || b == '(')) {
                return name.toString();
            }
            r.readByte();
            if (b == '[') {
                depth++;
            } else if (b == ']') {
                depth--;
            }
            if (name.length() < 64) {
                name.append((char) (b >= 'a' && b <= 'z' ? b - 32 : b & 0xff));
            }
        }
    }
}
