package dev.imapsync.internal.mail;

import dev.imapsync.internal.transport.ImapProtocolViolation;

/**
 * Checks the parentheses and braces of one response as its lines arrive, so that Angus's
 * parsers only ever see responses they can walk safely. Those parsers trust the server:
 * {@code readSimpleList} looks for the closing parenthesis without stopping at the end of the
 * response, a string that starts with a brace is read up to the next closing brace wherever it
 * is, and a BODYSTRUCTURE or ENVELOPE is parsed by recursion, one level per parenthesis. A
 * response that opens 200,000 parentheses and never closes them, or a stray {@code {}, would
 * make them run off the end of the array ({@code ArrayIndexOutOfBoundsException}) or off the
 * stack, and the failure would not be classified.
 *
 * <p>So, outside quoted strings and literals, in the parts of a response that are data (every
 * untagged response but a status one, and a status response's code in brackets):
 * <ul>
 *   <li>parentheses may nest at most {@code maxNesting} deep;</li>
 *   <li>the last parenthesis opened must have a closing one somewhere after it in the response,
 *       where Angus's search for it stops;</li>
 *   <li>a {@code {}} only appears as a literal's announcement, {@code {n}} at the end of a line
 *       (elsewhere Angus would take the number for the size of bytes that are not there, up to
 *       2 GiB).</li>
 * </ul>
 * Parentheses that are merely unbalanced beyond that (one too many closed, a list left open
 * before a later one closes) are left to the parsers, which stop safely: the sync then skips the
 * one message it cannot read instead of failing the whole folder on every run. The free text of
 * status responses ({@code * OK}, {@code * NO}, {@code * BAD}, {@code * BYE}, {@code * PREAUTH},
 * tagged answers) and continuation requests is not looked at, people write anything there,
 * except for a closing parenthesis after an open list in the code.
 *
 * <p>Confined to the thread that reads the connection, like the reader it belongs to.
 */
final class ResponseStructure {
    private enum Part { DATA, CODE, TEXT }

    private final int maxNesting;
    private Part part;
    private int depth;
    /** Whether the last parenthesis opened has no closing one after it yet. */
    private boolean open;

    ResponseStructure(int maxNesting) {
        this.maxNesting = maxNesting;
    }

    /** Starts a new response. */
    void begin() {
        part = null;
        depth = 0;
        open = false;
    }

    /**
     * Checks the next line of the current response.
     *
     * @param bytes            the response so far
     * @param from             where the line starts
     * @param end              where it ends, before its CRLF
     * @param announcesLiteral whether the line ends with a literal's announcement {@code {n}}
     */
    void line(byte[] bytes, int from, int end, boolean announcesLiteral) throws ImapProtocolViolation {
        int i = from;
        if (part == null) {
            i = firstLine(bytes, from, end);
        }
        if (part == Part.TEXT) {
            closeInText(bytes, i, end);
            return;
        }
        boolean quoted = false;
        for (; i < end; i++) {
            byte b = bytes[i];
            if (quoted) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    quoted = false;
                } else if (b == ')') {
                    open = false; // Angus's search for it does not know quotes either
                }
                continue;
            }
            switch (b) {
                case '"':
                    quoted = true;
                    break;
                case '(':
                    open = true;
                    if (++depth > maxNesting) {
                        throw new ImapProtocolViolation("the server sent a response nested more than " + maxNesting
                                + " parentheses deep (no IMAP answer needs that many)");
                    }
                    break;
                case ')':
                    open = false;
                    if (depth > 0) {
                        depth--;
                    }
                    break;
                case '{':
                    if (!announcesLiteral || !isAnnouncement(bytes, i, end)) {
                        throw new ImapProtocolViolation("the server sent a '{' that announces no literal (a literal"
                                + " is announced as {n} at the end of a line)");
                    }
                    return;
                case ']':
                    if (part == Part.CODE) {
                        part = Part.TEXT;
                        closeInText(bytes, i + 1, end);
                        return;
                    }
                    break;
                default:
                    break;
            }
        }
        // a quoted string does not go on past the end of its line
    }

    /** Ends the current response. */
    void end() throws ImapProtocolViolation {
        if (open) {
            throw new ImapProtocolViolation("the server sent a response with a parenthesis that nothing after it"
                    + " closes");
        }
    }

    /** Text after a code: only a closing parenthesis matters, to a list the code left open. */
    private void closeInText(byte[] bytes, int from, int end) {
        for (int i = from; open && i < end; i++) {
            if (bytes[i] == ')') {
                open = false;
            }
        }
    }

    /**
     * Decides which part of the response the first line starts with and returns where to
     * start looking: after the tag (or {@code *}) for data, after the bracket for a code.
     */
    private int firstLine(byte[] bytes, int from, int end) {
        if (from < end && bytes[from] == '+') {
            part = Part.TEXT;
            return end;
        }
        int tagEnd = tokenEnd(bytes, from, end);
        int wordStart = skipSpaces(bytes, tagEnd, end);
        int wordEnd = tokenEnd(bytes, wordStart, end);
        boolean untagged = tagEnd - from == 1 && bytes[from] == '*';
        if (!isStatus(bytes, wordStart, wordEnd, untagged)) {
            part = Part.DATA;
            return tagEnd;
        }
        int text = skipSpaces(bytes, wordEnd, end);
        if (text < end && bytes[text] == '[') {
            part = Part.CODE;
            return text + 1;
        }
        part = Part.TEXT;
        return end;
    }

    /** OK, NO, BAD (and for untagged responses BYE, PREAUTH): a status response, whose rest is text. */
    private static boolean isStatus(byte[] bytes, int from, int to, boolean untagged) {
        return is(bytes, from, to, "OK") || is(bytes, from, to, "NO") || is(bytes, from, to, "BAD")
                || untagged && (is(bytes, from, to, "BYE") || is(bytes, from, to, "PREAUTH"));
    }

    private static boolean is(byte[] bytes, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((bytes[from + k] & ~0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code {} at {@code open} is {@code {digits}} ending the line. */
    private static boolean isAnnouncement(byte[] bytes, int open, int end) {
        if (end - open < 3 || bytes[end - 1] != '}') {
            return false;
        }
        for (int k = open + 1; k < end - 1; k++) {
            if (bytes[k] < '0' || bytes[k] > '9') {
                return false;
            }
        }
        return true;
    }

    private static int tokenEnd(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && bytes[i] != ' ') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && bytes[i] == ' ') {
            i++;
        }
        return i;
    }
}
