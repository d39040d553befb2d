package dev.imapsync.internal.mail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Parses the items of one {@code FETCH} response of a header fetch (UID, INTERNALDATE,
 * RFC822.SIZE, the header section, Gmail's X-GM-MSGID and X-GM-THRID), tolerating items it
 * does not know. Item names are matched without making strings of them, and the header
 * section is handed over as a slice of the response's buffer, not copied: servers send several
 * items per message and millions of messages per sync.
 */
final class FetchItemParser {
    private FetchItemParser() {
    }

    /**
     * The message; with a header length of -1 when the response has no header section (a flag
     * update during the UID FETCH); null when it carries no UID (an unsolicited update).
     *
     * @throws ParsingException when the response cannot be read (a UID that is no UID, a cut list)
     */
    static FetchedMessage parse(IMAPResponse r) throws ParsingException {
        long uid = -1;
        boolean hasUid = false;
        long internalDate = -1;
        long size = -1;
        long gmMsgId = -1;
        long gmThrId = -1;
        String threadId = null;
        boolean body = false;
        byte[] headers = null;
        int offset = 0;
        int length = 0;
        byte[] name = new byte[NAME_BYTES];
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
            int item = readItemName(r, name);
            if (item == EMPTY) {
                throw new ParsingException("FETCH item without a name");
            }
            r.skipSpaces();
            switch (item) {
                case UID:
                    hasUid = true;
                    uid = r.readLong();
                    break;
                case SIZE:
                    size = r.readLong();
                    break;
                case DATE:
                    internalDate = InternalDates.parse(r.readString());
                    break;
                case GM_MSGID:
                    gmMsgId = r.readLong();
                    break;
                case GM_THRID:
                    gmThrId = r.readLong();
                    break;
                case THREADID:
                    threadId = readThreadId(r);
                    break;
                case SECTION:
                    body = true;
                    var bytes = r.readByteArray();
                    if (bytes != null) {
                        headers = bytes.getBytes();
                        offset = bytes.getStart();
                        length = bytes.getCount();
                    }
                    break;
                default:
                    skipValue(r);
            }
        }
        if (!hasUid) {
            return null; // an unsolicited update (FLAGS, MODSEQ) without UID: not about a message of the range
        }
        if (uid < 1 || uid > 4_294_967_295L) {
            throw new ParsingException("FETCH response with UID " + uid + ", not a UID");
        }
        if (!body) { // no header section: a flag update, or a message the server did not send
            return new FetchedMessage(uid, internalDate, size, new byte[0], 0, -1, gmMsgId, gmThrId, threadId);
        }
        return new FetchedMessage(uid, internalDate, size, headers == null ? new byte[0] : headers, offset, length,
                gmMsgId, gmThrId, threadId);
    }

    /** The most characters of a THREADID kept: RFC 8474 objectids are 1 to 255 characters. */
    private static final int MAX_OBJECT_ID = 255;

    /**
     * {@code THREADID (objectid)} or {@code THREADID NIL} (Dovecot answers NIL: it keeps no
     * threads); null for NIL, an empty or over-long id.
     */
    private static String readThreadId(IMAPResponse r) throws ParsingException {
        if (r.peekByte() != '(') {
            skipValue(r); // NIL
            return null;
        }
        r.readByte();
        r.skipSpaces();
        String id = r.readAtom();
        r.skipSpaces();
        if (r.readByte() != ')') {
            throw new ParsingException("THREADID without its closing parenthesis");
        }
        return id == null || id.isEmpty() || id.length() > MAX_OBJECT_ID ? null : id;
    }

    private static final int EMPTY = 0;
    private static final int OTHER = 1;
    private static final int UID = 2;
    private static final int SIZE = 3;
    private static final int DATE = 4;
    private static final int GM_MSGID = 5;
    private static final int GM_THRID = 6;
    private static final int THREADID = 7;
    private static final int SECTION = 8;
    private static final int NAME_BYTES = 16;
    private static final byte[][] NAMES = {
        null, null, ascii("UID"), ascii("RFC822.SIZE"), ascii("INTERNALDATE"), ascii("X-GM-MSGID"),
        ascii("X-GM-THRID"), ascii("THREADID"), ascii("BODY[")};

    /**
     * Reads an item name and says which it is, without making a string of it: servers send
     * several per message. A body section ({@code BODY[HEADER.FIELDS (…)]<origin>}, echoed
     * with every message) is read over, not copied.
     *
     * @param name scratch space for the name's first bytes, upper-cased
     */
    private static int readItemName(IMAPResponse r, byte[] name) throws ParsingException {
        int length = 0;
        int depth = 0;
        while (true) {
            byte b = r.peekByte();
            if (b == 0) {
                throw new ParsingException("FETCH item name cut short");
            }
            if (depth == 0 && (b == ' ' || b == ')')) {
                break;
            }
            r.readByte();
            if (b == '[') {
                if (depth++ == 0 && length < NAME_BYTES) {
                    name[length++] = b;
                }
            } else if (b == ']') {
                depth--;
            } else if (depth == 0 && length < NAME_BYTES) {
                name[length++] = (byte) (b >= 'a' && b <= 'z' ? b - 32 : b);
            }
        }
        if (length == 0) {
            return EMPTY;
        }
        for (int code = UID; code < SECTION; code++) {
            if (Arrays.equals(name, 0, length, NAMES[code], 0, NAMES[code].length)) {
                return code;
            }
        }
        byte[] section = NAMES[SECTION];
        boolean isSection = length >= section.length
                && Arrays.equals(name, 0, section.length, section, 0, section.length);
        return isSection ? SECTION : OTHER; // BODY[...] and BODY[...]<origin>
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Skips one value: a number, an atom, a string or literal, or a parenthesized list. */
    static void skipValue(IMAPResponse r) throws ParsingException {
        byte b = r.peekByte();
        if (b == '(') {
            r.readByte();
            int depth = 1;
            while (depth > 0) {
                byte c = r.peekByte();
                if (c == 0) {
                    throw new ParsingException("FETCH list cut short");
                }
                if (c == '"' || c == '{') {
                    r.readString();
                    continue;
                }
                r.readByte();
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            }
        } else if (b == '"' || b == '{') {
            r.readString();
        } else if (r.readAtom().isEmpty()) {
            r.readByte(); // a stray delimiter: step over it rather than loop on it
        }
    }
}
