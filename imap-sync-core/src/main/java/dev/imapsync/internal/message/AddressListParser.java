package dev.imapsync.internal.message;

import dev.imapsync.message.EmailAddress;
import java.nio.charset.StandardCharsets;

/**
 * Reads an RFC 5322 address list straight from the header bytes, the way mail programs write
 * them rather than the way the grammar wishes: groups ({@code Team: a@x, b@y;} and
 * {@code undisclosed-recipients:;}), quoted display names with escapes and commas, nested
 * comments, obsolete routes ({@code <@relay:user@host>}), a missing {@code >}, bare addresses,
 * old-style {@code user@host (Name)}, addresses written without brackets after a name,
 * {@code ;} used as a separator, empty items and trailing garbage.
 *
 * <p>What has no {@code @} is not an address: it is skipped with a warning rather than turned
 * into a contact that can never match. A quote, comment or domain literal that never closes
 * loses its special meaning for the rest of the field, so no input makes the scan quadratic.
 * One instance per parse; not thread-safe.
 */
final class AddressListParser {
    private final ParseRun run;
    private byte[] b;
    private int end;
    private HeaderField field;
    private boolean utf8;
    private boolean quotesOff;
    private boolean commentsOff;
    private boolean literalsOff;

    // the item being read: words before any <...> as (start, end, has '@') triples
    private int[] words = new int[3 * 8];
    private int wordCount;
    private int itemStart;
    private int angleStart;
    private int angleEnd;
    private int commentStart;
    private int commentEnd;
    private boolean itemHasAt;
    /** Whether the content of the item's {@code <...>} is one plain token (no CFWS, route or quoting). */
    private boolean angleSimple;
    // what addressString learnt about the address it returned last
    private boolean plainAscii;
    private boolean upperCase;

    AddressListParser(ParseRun run) {
        this.run = run;
    }

    /**
     * Adds the addresses of {@code b[start, end)} to the run. Returns {@code false} when the
     * run's address budget is used up, so the caller stops reading addresses.
     */
    boolean parse(HeaderField field, byte[] b, int start, int end, boolean utf8) {
        this.b = b;
        this.end = end;
        this.field = field;
        this.utf8 = utf8;
        quotesOff = false;
        commentsOff = false;
        literalsOff = false;
        resetItem(start);
        int i = start;
        while (i < end) {
            int c = b[i];
            switch (c) {
                case ' ', '\t', '\r', '\n', '>' -> {
                    i++; // a stray '>' is noise
                    continue;
                }
                case ',', ';' -> {
                    // ';' ends a group, and Outlook users type it between addresses
                    if (!endItem(i)) {
                        return false;
                    }
                    resetItem(++i);
                    continue;
                }
                case '(' -> {
                    if (!commentsOff) {
                        int close = commentEnd(i, end);
                        if (close >= 0) {
                            if (commentStart < 0) {
                                commentStart = i + 1;
                                commentEnd = close;
                            }
                            i = close + 1;
                            continue;
                        }
                        commentsOff = true;
                    }
                }
                case '<' -> {
                    if (angleStart >= 0) {
                        // a second <...> in one item: the comma between them is missing
                        if (!endItem(i)) {
                            return false;
                        }
                        resetItem(i);
                    }
                    i = scanAngle(i);
                    continue;
                }
                case ':' -> {
                    if (angleStart < 0 && !itemHasAt) {
                        resetItem(++i); // a group: its name is not an address
                        continue;
                    }
                }
                default -> {
                }
            }
            i = scanWord(i);
        }
        return endItem(end);
    }

    /** Forgets the input, and a word table that a hostile field made large. */
    void release() {
        b = null;
        if (words.length > 3 * 1024) {
            words = new int[3 * 8];
        }
    }

    private void resetItem(int at) {
        wordCount = 0;
        itemStart = at;
        angleStart = -1;
        angleEnd = -1;
        commentStart = -1;
        commentEnd = -1;
        itemHasAt = false;
    }

    /** Consumes one word (atoms, quoted strings, domain literals and encoded words glued together). */
    private int scanWord(int i) {
        int start = i;
        boolean hasAt = false;
        boolean first = true;
        while (i < end) {
            int c = b[i];
            if ((Text.classOf(c) & (Text.WS | Text.ADDRESS)) == 0) {
                first = false;
                i++; // an ordinary byte: most of them
                continue;
            }
            if (!first) {
                if (Text.isWhitespace(c) || c == ',' || c == ';' || c == '<' || c == '>'
                        || (c == '(' && !commentsOff)
                        || (c == ':' && angleStart < 0 && !itemHasAt && !hasAt)) {
                    break;
                }
            }
            first = false;
            if (c == '"' && !quotesOff) {
                int close = quoteEnd(i + 1, end);
                if (close < 0) {
                    quotesOff = true;
                    i++;
                } else {
                    i = close + 1;
                }
                continue;
            }
            if (c == '[' && i > start && b[i - 1] == '@' && !literalsOff) {
                int close = literalEnd(i + 1, end);
                if (close < 0) {
                    literalsOff = true;
                    i++;
                } else {
                    i = close + 1;
                }
                continue;
            }
            if (c == '=' && i + 1 < end && b[i + 1] == '?') {
                // an encoded word is one token, whatever commas or '@' a sloppy mailer left in it
                int wordEnd = EncodedWords.scan(run, b, i, end);
                if (wordEnd > 0) {
                    i = wordEnd;
                    continue;
                }
            }
            if (c == '@') {
                hasAt = true;
            }
            i++;
        }
        if (angleStart < 0) {
            addWord(start, i, hasAt);
        }
        return i;
    }

    private void addWord(int start, int stop, boolean hasAt) {
        int k = wordCount * 3;
        if (k + 3 > words.length) {
            words = java.util.Arrays.copyOf(words, words.length * 2);
        }
        words[k] = start;
        words[k + 1] = stop;
        words[k + 2] = hasAt ? 1 : 0;
        wordCount++;
        itemHasAt |= hasAt;
    }

    /** Consumes {@code <...>}, or up to the next separator when the {@code >} is missing. */
    private int scanAngle(int i) {
        int j = i + 1;
        int contentStart = j;
        boolean seenContent = false;
        boolean inRoute = false;
        boolean simple = true;
        while (j < end) {
            int c = b[j];
            if ((Text.classOf(c) & (Text.WS | Text.CTL | Text.ADDRESS)) == 0) {
                seenContent = true;
                j++; // an ordinary byte of the address
                continue;
            }
            if (c == '>') {
                angleStart = contentStart;
                angleEnd = j;
                angleSimple = simple && j > contentStart && b[contentStart] != '@';
                return j + 1;
            }
            if ((c >= 0 && c <= ' ') || c == '"' || c == '(' || c == '[' || c == ':' || c == '<' || c == 0x7F) {
                simple = false;
            }
            if (!seenContent && !Text.isWhitespace(c)) {
                seenContent = true;
                inRoute = c == '@';
            }
            if (c == '"' && !quotesOff) {
                int close = quoteEnd(j + 1, end);
                if (close < 0) {
                    quotesOff = true;
                    j++;
                } else {
                    j = close + 1;
                }
                continue;
            }
            if (c == '(' && !commentsOff) {
                int close = commentEnd(j, end);
                if (close < 0) {
                    commentsOff = true;
                    j++;
                } else {
                    j = close + 1;
                }
                continue;
            }
            if (c == '[' && j > contentStart && b[j - 1] == '@' && !literalsOff) {
                int close = literalEnd(j + 1, end);
                if (close < 0) {
                    literalsOff = true;
                    j++;
                } else {
                    j = close + 1;
                }
                continue;
            }
            if (c == ':') {
                inRoute = false;
            } else if ((c == ',' && !inRoute) || c == ';') {
                break; // the '>' is missing; the separator ends the item
            } else if (c == '<') {
                contentStart = j + 1; // <<a@b>>: the innermost brackets hold the address
                seenContent = false;
            }
            j++;
        }
        angleStart = contentStart;
        angleEnd = j;
        angleSimple = false;
        return j;
    }

    /** Turns the item just read into an address, or a warning. Returns false when the budget is used up. */
    private boolean endItem(int itemEnd) {
        if (angleStart >= 0) {
            if (angleSimple) {
                int nameEnd = wordCount > 0 ? words[(wordCount - 1) * 3 + 1] : -1;
                return emit(angleStart, angleEnd, false, nameEnd, itemEnd);
            }
            int s = skipCfws(angleStart, angleEnd);
            if (s < angleEnd && b[s] == '@') {
                // obsolete route <@relay1,@relay2:user@host>: the address follows the colon
                for (int k = s; k < angleEnd; k++) {
                    if (b[k] == ':') {
                        s = k + 1;
                        break;
                    }
                }
            }
            return angleAddress(s, angleEnd, itemEnd);
        }
        if (wordCount == 0) {
            return true; // an empty item, or only a comment
        }
        int at = -1;
        for (int k = 0; k < wordCount; k++) {
            if (words[k * 3 + 2] != 0) {
                at = k;
                break;
            }
        }
        if (at < 0) {
            return loneQuotedAddress(itemEnd);
        }
        int first = at;
        while (first > 0 && joined(first - 1, first)) {
            first--;
        }
        int last = at;
        while (last + 1 < wordCount && joined(last, last + 1)) {
            last++;
        }
        // words after the address are garbage; words before it are the name
        return emit(words[first * 3], words[last * 3 + 1], last > first, first > 0 ? words[(first - 1) * 3 + 1] : -1,
                itemEnd);
    }

    /** Whether two words separated by white space are one obsolete address ({@code john . doe @ example.com}). */
    private boolean joined(int left, int right) {
        int leftLast = b[words[left * 3 + 1] - 1];
        int rightFirst = b[words[right * 3]];
        return leftLast == '.' || leftLast == '@' || rightFirst == '.' || rightFirst == '@';
    }

    /** {@code "john@example.com"} with nothing else: the address was quoted whole. */
    private boolean loneQuotedAddress(int itemEnd) {
        int s = words[0];
        int e = words[1];
        if (wordCount == 1 && e - s > 2 && b[s] == '"' && b[e - 1] == '"') {
            boolean at = false;
            boolean clean = true;
            for (int k = s + 1; k < e - 1; k++) {
                int c = b[k];
                at |= c == '@';
                clean &= c > ' ' && c != '"' && c != '\\' && c != 0x7F;
            }
            if (at && clean) {
                return emit(s + 1, e - 1, false, -1, itemEnd);
            }
        }
        if (run.warningsWanted()) {
            run.warn(field, Text.excerpt(b, itemStart, itemEnd) + " is not an address (no @); skipped");
        }
        return true;
    }

    /** The address inside angle brackets: CFWS around dots and '@' dropped, text after a gap ignored. */
    private boolean angleAddress(int s, int e, int itemEnd) {
        int start = -1;
        int stop = -1;
        int last = 0;
        boolean gap = false;
        boolean gaps = false;
        int p = s;
        while (p < e) {
            int c = b[p];
            if (Text.isWhitespace(c)) {
                gap = start >= 0;
                p++;
                continue;
            }
            if (c == '(') {
                int close = commentsOff ? -1 : commentEnd(p, e);
                if (close >= 0) {
                    gap = start >= 0;
                    p = close + 1;
                    continue;
                }
            }
            if (gap) {
                if (last != '.' && last != '@' && c != '.' && c != '@') {
                    break; // <john@example.com John: the rest is not part of the address
                }
                gaps = true;
                gap = false;
            }
            int tokenStart = p;
            if (c == '"' && !quotesOff) {
                int close = quoteEnd(p + 1, e);
                p = close >= 0 ? close + 1 : p + 1;
            } else if (c == '[' && p > s && b[p - 1] == '@') {
                int close = literalEnd(p + 1, e);
                p = close >= 0 ? close + 1 : p + 1;
            } else {
                p++;
            }
            if (start < 0) {
                start = tokenStart;
            }
            stop = p;
            last = b[p - 1];
        }
        if (start < 0) {
            if (run.warningsWanted()) {
                run.warn(field, Text.excerpt(b, itemStart, itemEnd) + " has an empty address; skipped");
            }
            return true;
        }
        int nameEnd = wordCount > 0 ? words[(wordCount - 1) * 3 + 1] : -1;
        return emit(start, stop, gaps, nameEnd, itemEnd);
    }

    /**
     * Adds the address {@code b[start, stop)} with the display name that ends at {@code nameEnd}
     * (the first word starts it; -1: none, use the item's first comment).
     */
    private boolean emit(int start, int stop, boolean gaps, int nameEnd, int itemEnd) {
        String address = addressString(start, stop, gaps);
        int at = address.lastIndexOf('@');
        if (at <= 0 || at >= address.length() - 1) {
            if (run.warningsWanted()) {
                run.warn(field, Text.excerpt(b, itemStart, itemEnd)
                        + " is not an address (no local part or domain); skipped");
            }
            return true;
        }
        if (!run.hasRoomForAddress()) {
            return false;
        }
        String name;
        if (nameEnd >= 0) {
            name = phrase(words[0], nameEnd, false);
        } else if (commentStart >= 0) {
            name = phrase(commentStart, commentEnd, true);
        } else {
            name = "";
        }
        String normalized = plainAscii
                ? normalizeAscii(b, start, stop, address, upperCase, run.scratch(stop - start))
                : EmailAddress.normalize(address);
        run.addAddress(field, new EmailAddress(name, address, normalized));
        return true;
    }

    /**
     * The address as written, less what is no part of it: white space and comments between its
     * tokens (obsolete syntax), and controls anywhere (folding inside a quoted local part, a NUL
     * that would break a database column).
     */
    private String addressString(int start, int stop, boolean gaps) {
        int classes = 0;
        for (int k = start; k < stop; k++) {
            classes |= Text.classOf(b[k]);
        }
        boolean control = (classes & Text.CTL) != 0;
        plainAscii = !gaps && (classes & (Text.WS | Text.CTL | Text.EIGHT | Text.QUOTING)) == 0;
        upperCase = (classes & Text.UPPER) != 0;
        if (!gaps && !control) {
            return Text.string(b, start, stop, utf8);
        }
        byte[] buffer = run.scratch(stop - start);
        int n = 0;
        boolean quoted = false;
        int p = start;
        while (p < stop) {
            int c = b[p];
            if ((c >= 0 && c < 0x20) || c == 0x7F || (c == ' ' && !quoted)) {
                p++;
                continue;
            }
            if (c == '(' && !quoted && !commentsOff) {
                int close = commentEnd(p, stop);
                if (close >= 0) {
                    p = close + 1;
                    continue;
                }
            }
            if (c == '"' && !quotesOff) {
                quoted = !quoted;
            } else if (c == '\\' && quoted && p + 1 < stop) {
                int escaped = b[++p];
                if ((escaped >= 0 && escaped < 0x20) || escaped == 0x7F) {
                    p++;
                    continue;
                }
                buffer[n++] = (byte) c;
                c = escaped;
            }
            buffer[n++] = (byte) c;
            p++;
        }
        return Text.string(buffer, 0, n, utf8);
    }

    /**
     * A display name: quoting undone, comments dropped, white space collapsed, encoded words
     * decoded. {@code literal}: the inside of a comment, where only backslash escapes count.
     */
    private String phrase(int start, int stop, boolean literal) {
        if (!literal) {
            String simple = simplePhrase(start, stop);
            if (simple != null) {
                return simple;
            }
        }
        byte[] buffer = run.scratch(stop - start);
        int n = 0;
        boolean space = false;
        int p = start;
        while (p < stop) {
            int c = b[p];
            if (Text.isWhitespace(c)) {
                space = n > 0;
                p++;
                continue;
            }
            if (!literal && c == '(' && !commentsOff) {
                int close = commentEnd(p, stop);
                if (close >= 0) {
                    space = n > 0;
                    p = close + 1;
                    continue;
                }
            }
            if (space) {
                buffer[n++] = ' ';
                space = false;
            }
            if (!literal && c == '"' && !quotesOff) {
                int close = quoteEnd(p + 1, stop);
                if (close >= 0) {
                    for (int k = p + 1; k < close; k++) {
                        int q = b[k];
                        if (q == '\\' && k + 1 < close) {
                            q = b[++k];
                        }
                        if (q != '\r' && q != '\n') {
                            buffer[n++] = (byte) q;
                        }
                    }
                    p = close + 1;
                    continue;
                }
            }
            if (c == '"' && !literal) {
                p++; // a stray quote that opens nothing means nothing
                continue;
            }
            if (c == '\\' && p + 1 < stop) {
                c = b[++p];
            }
            buffer[n++] = (byte) c;
            p++;
        }
        return EncodedWords.decode(run, field, buffer, 0, n, utf8);
    }

    /** The display name without copying when it is plain ASCII words or one plain quoted string. */
    private String simplePhrase(int start, int stop) {
        int s = start;
        int e = stop;
        if (e - s >= 2 && b[s] == '"' && b[e - 1] == '"' && !quotesOff) {
            s++;
            e--;
            if (s == e) {
                return "";
            }
        } else if (s == e) {
            return "";
        }
        if (b[s] == ' ' || b[e - 1] == ' ') {
            return null;
        }
        int previous = 0;
        for (int k = s; k < e; k++) {
            int c = b[k];
            if ((Text.classOf(c) & (Text.WS | Text.CTL | Text.EIGHT | Text.QUOTING | Text.QUESTION)) != 0
                    && (c != ' ' || previous == ' ') && (c != '?' || previous == '=')) {
                return null; // anything but single spaces and a '?' that starts no encoded word
            }
            previous = c;
        }
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    /** Skips white space and comments. */
    private int skipCfws(int p, int e) {
        while (p < e) {
            int c = b[p];
            if (Text.isWhitespace(c)) {
                p++;
            } else if (c == '(' && !commentsOff && commentEnd(p, e) >= 0) {
                p = commentEnd(p, e) + 1;
            } else {
                break;
            }
        }
        return p;
    }

    /** The closing quote of a quoted string whose content starts at {@code i}, or -1. */
    private int quoteEnd(int i, int e) {
        for (int k = i; k < e; k++) {
            int c = b[k];
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k;
            }
        }
        return -1;
    }

    /** The ')' that closes the comment opened at {@code i}, nesting and escapes respected, or -1. */
    private int commentEnd(int i, int e) {
        int depth = 0;
        for (int k = i; k < e; k++) {
            int c = b[k];
            if (c == '\\') {
                k++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    /** The ']' of a domain literal whose content starts at {@code i}, or -1 when a separator comes first. */
    private int literalEnd(int i, int e) {
        for (int k = i; k < e; k++) {
            int c = b[k];
            if (c == ']') {
                return k;
            }
            if (c == '[' || c == ',' || c == ';' || c == '<' || c == '>' || Text.isWhitespace(c)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * {@link EmailAddress#normalize(String)} of {@code written}, for the header parser, which has just read
     * {@code written} from {@code b[start, end)} and knows it to be ASCII without controls,
     * white space or '"': then normalizing is lower-casing, done on the bytes it came from.
     * Returns {@code written} itself when it is already lower case.
     */
    private static String normalizeAscii(byte[] b, int start, int end, String written, boolean upperCase, byte[] scratch) {
        if (b[end - 1] == '.') {
            return EmailAddress.normalize(written); // the trailing dot goes: the general path handles it
        }
        if (!upperCase) {
            return written;
        }
        for (int i = start; i < end; i++) {
            int c = b[i];
            scratch[i - start] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return new String(scratch, 0, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
