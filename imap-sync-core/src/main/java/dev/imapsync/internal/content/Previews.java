package dev.imapsync.internal.content;

import java.util.List;

/** Collapses white space and cuts a preview to length on a word boundary, never inside a surrogate pair. */
final class Previews {
    private Previews() {
    }

    /**
     * How many characters of collapsed text decide a preview of {@code maxChars}: with that many
     * it is cut to length whatever follows (the last-word rule of {@link #shorten} drops at most
     * 40), so the rest of the text need not be looked at. Measured in a sync: trimming and
     * collapsing the whole 4 KiB was most of the extraction's time, for 256 characters kept.
     */
    static int enough(int maxChars) {
        return maxChars > Integer.MAX_VALUE - 42 ? Integer.MAX_VALUE : maxChars + 42;
    }

    static PreviewText shorten(ReplyTrimmer.Result own, boolean cut, int maxChars, List<String> warnings,
                               boolean signed) {
        return shorten(own, cut, maxChars, warnings, signed, enough(maxChars));
    }

    /** As above, collapsing at most {@code limit} characters of the text (tests compare with all). */
    static PreviewText shorten(ReplyTrimmer.Result own, boolean cut, int maxChars, List<String> warnings,
                               boolean signed, int limit) {
        String text = collapse(own.text(), limit);
        // the bytes ended inside the message's own words: the last word may be a piece of one
        boolean reachedEnd = cut && !own.stoppedEarly() && own.lastLineKept();
        if (reachedEnd) {
            text = dropLastPieceOfAWord(text);
        }
        boolean truncated = reachedEnd;
        if (text.length() > maxChars) {
            int end = maxChars;
            int space = text.lastIndexOf(' ', maxChars);
            if (space > maxChars / 2) {
                end = space;
            } else if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text = text.substring(0, end).strip();
            truncated = true;
        }
        return new PreviewText(text, truncated, warnings, false, signed);
    }

    /**
     * The text without what follows its last space, when that may be the start of a longer word.
     * Not for scripts written without spaces (Chinese, Japanese), where it would drop a whole
     * sentence, nor when the text is one word.
     */
    private static String dropLastPieceOfAWord(String text) {
        int space = text.lastIndexOf(' ');
        if (space <= 0 || text.length() - space > 40) {
            return text;
        }
        for (int i = space + 1; i < text.length(); ) {
            int c = text.codePointAt(i);
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            if (Character.isIdeographic(c) || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.THAI) {
                return text;
            }
            i += Character.charCount(c);
        }
        return text.substring(0, space);
    }

    /** One space for every run of white space (no-break and zero-width spaces included); controls dropped. */
    static String collapse(String s) {
        return collapse(s, Integer.MAX_VALUE);
    }

    /** As {@link #collapse(String)}, stopping once the result has {@code limit} characters. */
    static String collapse(String s, int limit) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), limit));
        boolean space = false;
        for (int i = 0; i < s.length() && out.length() < limit; i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                space = out.length() > 0;
                continue;
            }
            if (Character.isISOControl(c)) {
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Whether {@link #collapse} takes the character for white space. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200b' || c == '\ufeff'
                || c == '\u00ad';
    }

    /** How many characters of the line {@link #collapse} keeps as they are (all but white space and controls). */
    static int visibleLength(String line) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!isSpace(c) && !Character.isISOControl(c)) {
                n++;
            }
        }
        return n;
    }

    /** A value for a warning: at most 40 characters, controls replaced. */
    static String excerpt(String value) {
        if (value == null) {
            return "(none)";
        }
        String v = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "\"" + v.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
