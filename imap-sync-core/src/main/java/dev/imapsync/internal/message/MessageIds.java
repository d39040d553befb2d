package dev.imapsync.internal.message;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads Message-ID, In-Reply-To and References: each id normalized to {@code local@domain}
 * without angle brackets and white space, the domain case-folded and the local part kept as
 * written (ids are case-sensitive on the left). Phrases and comments that obsolete In-Reply-To
 * forms carry are skipped; ids written without angle brackets are taken when they hold an '@'
 * (or, for a Message-ID, when the value is one word).
 */
final class MessageIds {
    private MessageIds() {
    }

    /** Hands each id of {@code b[start, end)} to {@link ParseRun#acceptId}, until it wants no more. */
    static void read(ParseRun run, HeaderField field, byte[] b, int start, int end, boolean utf8) {
        boolean angle = false;
        boolean quotesOff = false;
        int i = start;
        while (i < end) {
            int c = b[i];
            if (c == '(') {
                i = Bytes.afterComment(b, i, end);
            } else if (c == '"' && !quotesOff) {
                int k = i + 1;
                while (k < end && b[k] != '"') {
                    k += b[k] == '\\' ? 2 : 1;
                }
                if (k < end) {
                    i = k + 1;
                } else {
                    quotesOff = true; // never closed: a stray quote, and no later one closes either
                    i++;
                }
            } else if (c == '<') {
                // one pass finds the end and tells whether the id can be taken as it is
                int j = i + 1;
                int classes = 0;
                while (j < end) {
                    int d = b[j];
                    int cls = Text.classOf(d);
                    if ((cls & Text.ID) != 0) {
                        if (d != '@') {
                            break;
                        }
                        classes &= ~Text.UPPER; // only upper case after the last '@' needs folding
                    }
                    classes |= cls;
                    j++;
                }
                angle = true;
                boolean plain = (classes & (Text.WS | Text.CTL | Text.EIGHT | Text.UPPER)) == 0;
                String id = plain && j > i + 1
                        ? new String(b, i + 1, j - i - 1, StandardCharsets.ISO_8859_1)
                        : normalize(b, i + 1, j, utf8);
                if (id != null && !run.acceptId(field, id)) {
                    return;
                }
                i = j < end && b[j] == '>' ? j + 1 : j;
            } else {
                i++;
            }
        }
        if (!angle) {
            readBare(run, field, b, start, end, utf8);
        }
    }

    /** Ids written without angle brackets, separated by white space or commas. */
    private static void readBare(ParseRun run, HeaderField field, byte[] b, int start, int end, boolean utf8) {
        int i = start;
        int words = 0;
        int firstStart = -1;
        int firstEnd = -1;
        boolean found = false;
        while (i < end) {
            while (i < end && (Text.isWhitespace(b[i]) || b[i] == ',')) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int s = i;
            boolean at = false;
            while (i < end && !Text.isWhitespace(b[i]) && b[i] != ',') {
                at |= b[i] == '@';
                i++;
            }
            if (words++ == 0) {
                firstStart = s;
                firstEnd = i;
            }
            if (at) {
                found = true;
                String id = normalize(b, s, i, utf8);
                if (id != null && !run.acceptId(field, id)) {
                    return;
                }
            }
        }
        if (!found && words == 1 && field == HeaderField.MESSAGE_ID) {
            String id = normalize(b, firstStart, firstEnd, utf8);
            if (id != null) {
                run.acceptId(field, id);
            }
        }
    }

    /** The normalized id of {@code b[start, end)}, or {@code null} when nothing is left of it. */
    static String normalize(byte[] b, int start, int end, boolean utf8) {
        while (start < end && (b[start] == '<' || Text.isWhitespace(b[start]))) {
            start++;
        }
        while (end > start && (b[end - 1] == '>' || Text.isWhitespace(b[end - 1]))) {
            end--;
        }
        if (start >= end) {
            return null;
        }
        int at = -1;
        boolean plain = true;
        for (int k = start; k < end; k++) {
            int c = b[k];
            if (c == '@') {
                at = k;
            } else if (c < 0x21 || c == 0x7F || c == '<' || c == '>') {
                plain = false; // 8-bit, white space, controls, stray brackets
            }
        }
        if (plain) {
            boolean upper = false;
            for (int k = at + 1; k < end && at >= 0; k++) {
                if (b[k] >= 'A' && b[k] <= 'Z') {
                    upper = true;
                    break;
                }
            }
            if (!upper) {
                return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
            }
        }
        StringBuilder sb = new StringBuilder(end - start);
        int k = start;
        while (k < end) {
            int c = b[k];
            if (c >= 0 || !utf8) {
                if ((c < 0 || c > 0x20) && c != 0x7F && c != '<' && c != '>') {
                    sb.append((char) (c & 0xFF));
                }
                k++;
            } else {
                int next = k + 1;
                while (next < end && (b[next] & 0xC0) == 0x80) {
                    next++;
                }
                Utf8.decode(b, k, next, sb);
                k = next;
            }
        }
        int domain = sb.lastIndexOf("@");
        if (sb.length() == 0) {
            return null;
        }
        if (domain < 0) {
            return sb.toString();
        }
        return sb.substring(0, domain + 1) + sb.substring(domain + 1).toLowerCase(Locale.ROOT);
    }
}
