package dev.imapsync.internal.message;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Decodes unstructured header text with RFC 2047 encoded words ({@code =?charset?B|Q?text?=}):
 * a Subject, or a display name once its quoting is undone.
 *
 * <p>Lenient where mail programs are sloppy and strict where guessing would corrupt text:
 * <ul>
 * <li>B and Q in either case, any charset the JDK knows, an RFC 2231 language suffix
 *     ({@code =?utf-8*en?Q?…?=}) ignored;</li>
 * <li>white space between adjacent encoded words is dropped (RFC 2047 section 6.2), and adjacent
 *     words in one charset are decoded as one byte sequence, so a character split across two
 *     words comes out whole;</li>
 * <li>encoded words glued to other text are decoded too (many mailers write {@code Re:=?…?=});</li>
 * <li>a word with an unknown charset, a base64 error, or longer than the parser's limit is kept
 *     as it was written, with a warning;</li>
 * <li>folding is undone (CR and LF removed), other controls dropped, the result trimmed.</li>
 * </ul>
 * Runs in time linear in the input whatever it holds: a failed word is never rescanned.
 */
final class EncodedWords {
    private static final int MAX_CHARSET_LENGTH = 64;
    private static final byte[] BASE64 = new byte[128];

    static {
        java.util.Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private EncodedWords() {
    }

    /**
     * The end (exclusive) of the encoded word that starts at {@code i} (where {@code b[i, i+2)} is
     * {@code =?}), or -1 when there is none. Records the word's parts in {@code run}.
     */
    static int scan(ParseRun run, byte[] b, int i, int end) {
        int p = i + 2;
        int charsetStart = p;
        int limit = Math.min(end, p + MAX_CHARSET_LENGTH);
        while (p < limit && b[p] != '?' && !Text.isWhitespace(b[p])) {
            p++;
        }
        if (p >= end || b[p] != '?' || p == charsetStart) {
            return -1;
        }
        int charsetEnd = p;
        for (int k = charsetStart; k < charsetEnd; k++) {
            if (b[k] == '*') {
                charsetEnd = k; // RFC 2231 language: =?utf-8*en?Q?...?=
                break;
            }
        }
        if (charsetEnd == charsetStart) {
            return -1;
        }
        p++;
        if (p + 1 >= end || b[p + 1] != '?') {
            return -1;
        }
        int encoding = b[p] | 0x20;
        if (encoding != 'b' && encoding != 'q') {
            return -1;
        }
        p += 2;
        int textStart = p;
        p = Bytes.skipToQuestionOrSpace(b, p, end);
        while (p < end && (Text.classOf(b[p]) & (Text.QUESTION | Text.WS)) == 0) {
            p++;
        }
        if (p < end && b[p] != '?') {
            return -1; // white space: no encoded word
        }
        if (p + 1 >= end || b[p + 1] != '=') {
            return -1;
        }
        run.wordCharsetStart = charsetStart;
        run.wordCharsetEnd = charsetEnd;
        run.wordEncoding = encoding;
        run.wordTextStart = textStart;
        run.wordTextEnd = p;
        return p + 2;
    }

    /**
     * Decodes {@code b[start, end)} of the given field into a trimmed String.
     *
     * @param utf8 whether raw 8-bit bytes of the value are UTF-8 (else ISO-8859-1)
     */
    static String decode(ParseRun run, HeaderField field, byte[] b, int start, int end, boolean utf8) {
        StringBuilder out = run.text();
        int spaces = 0;
        boolean afterWord = false;
        Charset pending = null;
        int i = start;
        while (i < end) {
            int c = b[i];
            if (c == ' ' || c == '\t') {
                spaces++;
                i++;
                continue;
            }
            if (c == '\r' || c == '\n') {
                if (i + 1 < end && !Text.isWhitespace(b[i + 1])) {
                    spaces++; // a line break that is no folding (a bare CR) still separates words
                }
                i++;
                continue;
            }
            int rawEnd;
            if (c == '=' && i + 1 < end && b[i + 1] == '?') {
                int wordEnd = scan(run, b, i, end);
                if (wordEnd > 0) {
                    Charset charset = charset(run, field, b, i, wordEnd);
                    if (charset != null && pending != null && pending != charset) {
                        run.flushWordBytes(pending, out); // a new charset: decode what came before apart
                        pending = null;
                    }
                    if (charset != null && decodeWord(run, field, b, i, wordEnd)) {
                        if (!afterWord) {
                            appendSpaces(out, spaces);
                        }
                        spaces = 0;
                        pending = charset;
                        afterWord = true;
                        i = wordEnd;
                        continue;
                    }
                    rawEnd = wordEnd; // kept as written, as one piece
                } else {
                    rawEnd = rawRunEnd(b, i + 2, end);
                }
            } else {
                rawEnd = rawRunEnd(b, i + 1, end);
            }
            if (pending != null) {
                run.flushWordBytes(pending, out);
                pending = null;
            }
            appendSpaces(out, spaces);
            spaces = 0;
            afterWord = false;
            Text.appendRaw(b, i, rawEnd, utf8, out);
            i = rawEnd;
        }
        if (pending != null) {
            run.flushWordBytes(pending, out);
        }
        return Text.trimmed(out);
    }

    /** The end of raw text from {@code i}: the next white space or {@code =?}. */
    private static int rawRunEnd(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i];
            if (Text.isWhitespace(c) || (c == '=' && i + 1 < end && b[i + 1] == '?')) {
                return i;
            }
            i++;
        }
        return end;
    }

    private static void appendSpaces(StringBuilder out, int spaces) {
        for (int k = 0; k < spaces; k++) {
            out.append(' ');
        }
    }

    /**
     * The charset of the word just scanned, or {@code null} (with a warning) when the word must be
     * kept as written: too long, or a charset the JDK does not know.
     */
    private static Charset charset(ParseRun run, HeaderField field, byte[] b, int start, int end) {
        int limit = run.parser().maxEncodedWordLength();
        if (end - start > limit) {
            run.warn(field, "an encoded word of " + (end - start) + " bytes is longer than the limit of " + limit
                    + " bytes; kept as written");
            return null;
        }
        Charset charset = MimeCharsets.lookup(b, run.wordCharsetStart, run.wordCharsetEnd, run);
        if (charset == null) {
            run.warn(field, "unknown charset " + Text.excerpt(b, run.wordCharsetStart, run.wordCharsetEnd)
                    + " in an encoded word; kept as written");
        }
        return charset;
    }

    /**
     * Appends the decoded bytes of the word just scanned to the run's word buffer; returns
     * {@code false} (with a warning, the buffer unchanged) when the word is malformed.
     */
    private static boolean decodeWord(ParseRun run, HeaderField field, byte[] b, int start, int end) {
        int textStart = run.wordTextStart;
        int textEnd = run.wordTextEnd;
        byte[] buffer = run.wordBytes(textEnd - textStart);
        int length = run.wordLength;
        int decoded = run.wordEncoding == 'b'
                ? base64(b, textStart, textEnd, buffer, length)
                : quotedPrintable(b, textStart, textEnd, buffer, length);
        if (decoded < 0) {
            run.warn(field, "malformed encoded word " + Text.excerpt(b, start, end) + "; kept as written");
            return false;
        }
        run.wordLength = decoded;
        return true;
    }

    /** Lenient base64: padding may be missing or repeated; any other foreign byte is an error (-1). */
    private static int base64(byte[] b, int start, int end, byte[] out, int at) {
        int bits = 0;
        int count = 0;
        for (int i = start; i < end; i++) {
            int c = b[i];
            if (c == '=') {
                count = 0; // padding; some encoders concatenate padded blocks
                continue;
            }
            int v = c >= 0 && c < 128 ? BASE64[c] : -1;
            if (v < 0) {
                return -1;
            }
            bits = (bits << 6) | v;
            count += 6;
            if (count >= 8) {
                count -= 8;
                out[at++] = (byte) (bits >> count);
            }
        }
        return at;
    }

    /** RFC 2047 Q: '_' is a space, =XX a byte; a '=' without two hex digits stays a '='. */
    private static int quotedPrintable(byte[] b, int start, int end, byte[] out, int at) {
        for (int i = start; i < end; i++) {
            int c = b[i];
            int value;
            if (c == '_') {
                out[at++] = ' ';
            } else if (c == '=' && (value = hex(b, i + 1, end)) >= 0) {
                out[at++] = (byte) value;
                i += 2;
            } else {
                out[at++] = (byte) c;
            }
        }
        return at;
    }

    /** The byte written as two hex digits at {@code i}, or -1. */
    private static int hex(byte[] b, int i, int end) {
        if (i + 1 >= end) {
            return -1;
        }
        int high = Character.digit(b[i], 16);
        int low = Character.digit(b[i + 1], 16);
        return high < 0 || low < 0 ? -1 : (high << 4) | low;
    }

    /** Appends bytes of the given charset, controls as {@link Text#appendSafe(StringBuilder, char)} has them. */
    static void appendDecoded(byte[] bytes, int length, Charset charset, StringBuilder out) {
        if (charset == StandardCharsets.UTF_8) {
            Utf8.decode(bytes, 0, length, out);
        } else if (charset == StandardCharsets.ISO_8859_1) {
            Text.appendRaw(bytes, 0, length, false, out);
        } else if (charset == StandardCharsets.US_ASCII) {
            // mislabelled 8-bit text is common: read it as UTF-8 when it is, else as Latin-1
            Text.appendRaw(bytes, 0, length, Utf8.isValid(bytes, 0, length), out);
        } else {
            String s;
            try {
                s = new String(bytes, 0, length, charset);
            } catch (RuntimeException e) {
                // a decoder that fails on input instead of replacing it: show the bytes as Latin-1
                s = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            for (int k = 0; k < s.length(); k++) {
                Text.appendSafe(out, s.charAt(k));
            }
        }
    }
}
