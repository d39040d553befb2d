package dev.imapsync.internal.content;

import dev.imapsync.internal.message.MimeText;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes text bytes in the charset a part names, through the JDK, on a prefix cut anywhere: an
 * incomplete trailing multibyte character is dropped, never shown as a replacement character.
 *
 * <p>Labels that promise nothing ({@code us-ascii}, which is also what an absent charset means,
 * {@code x-unknown}, {@code unknown}) are read as UTF-8 when the bytes are valid UTF-8, else as
 * windows-1252: mislabelled 8-bit mail is common, UTF-8 is what modern mailers write, and
 * windows-1252 is what Outlook wrote for decades (and what the WHATWG encoding standard makes of
 * {@code us-ascii}). For the same reason {@code iso-8859-1} is read as windows-1252: the two agree
 * on every printable character, and the C1 bytes ISO-8859-1 leaves as controls are in practice
 * Outlook's curly quotes and dashes. An unknown charset gives no text and a warning.
 */
final class CharsetText {
    private static final Set<String> UNSPECIFIED = Set.of("us-ascii", "ascii", "x-unknown", "unknown", "default",
            "us_ascii", "ansi_x3.4-1968", "iso646-us", "us");
    private static final Set<String> LATIN1 = Set.of("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",
            "iso-latin-1", "8859-1", "cp819");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private CharsetText() {
    }

    /**
     * The text, or {@code null} (with a warning) when the charset is unknown. For HTML whose MIME
     * label promises nothing and whose bytes are no UTF-8, the document's own {@code <meta>}
     * charset is used when it names one the JDK knows (what browsers do, WHATWG's prescan).
     */
    static String decode(String label, boolean html, byte[] bytes, boolean cut, List<String> warnings) {
        String name = normalize(label);
        Charset charset;
        if (name.isEmpty() || UNSPECIFIED.contains(name)) {
            charset = isUtf8(bytes) ? StandardCharsets.UTF_8 : WINDOWS_1252;
            if (html && charset == WINDOWS_1252) {
                String meta = normalize(metaCharset(bytes));
                Charset declared = meta.isEmpty() || UNSPECIFIED.contains(meta) || LATIN1.contains(meta) ? null
                        : MimeText.charset(meta).orElse(null);
                if (declared != null) {
                    charset = declared;
                }
            }
        } else if (LATIN1.contains(name)) {
            charset = WINDOWS_1252;
        } else {
            charset = MimeText.charset(name).orElse(null);
            if (charset == null) {
                warnings.add("unknown charset " + Previews.excerpt(label) + "; no preview");
                return null;
            }
        }
        return decode(charset, bytes, cut);
    }

    private static String normalize(String label) {
        String name = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).trim();
        }
        return name;
    }

    /** The charset an HTML document declares in its first 2 KiB ({@code charset=…}), or {@code null}. */
    static String metaCharset(byte[] bytes) {
        int end = Math.min(bytes.length, 2048);
        String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int meta = head.indexOf("<meta");
        while (meta >= 0) {
            int close = head.indexOf('>', meta);
            String tag = close < 0 ? head.substring(meta) : head.substring(meta, close);
            int at = tag.indexOf("charset=");
            if (at >= 0) {
                int p = at + "charset=".length();
                while (p < tag.length() && (tag.charAt(p) == '"' || tag.charAt(p) == '\'' || tag.charAt(p) == ' ')) {
                    p++;
                }
                int q = p;
                while (q < tag.length() && q - p < 40 && (Character.isLetterOrDigit(tag.charAt(q))
                        || "-_.:".indexOf(tag.charAt(q)) >= 0)) {
                    q++;
                }
                return q > p ? tag.substring(p, q) : null;
            }
            meta = close < 0 ? -1 : head.indexOf("<meta", close);
        }
        return null;
    }

    static String decode(Charset charset, byte[] bytes, boolean cut) {
        CharsetDecoder decoder;
        try {
            decoder = charset.newDecoder();
        } catch (UnsupportedOperationException e) {
            return new String(bytes, charset);
        }
        decoder.onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16,
                (long) (bytes.length * (double) decoder.maxCharsPerByte()) + 16));
        // at the cut, endOfInput=false leaves an incomplete trailing character in the input: dropped
        CoderResult result = decoder.decode(in, out, !cut);
        if (result.isOverflow()) {
            return out.flip().toString(); // cannot happen with maxCharsPerByte; keep what there is
        }
        if (!cut) {
            decoder.flush(out);
        }
        return out.flip().toString();
    }

    /** Whether the bytes are UTF-8 but perhaps for an incomplete last character. */
    static boolean isUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, out, false);
        return !result.isError() && in.remaining() < 4;
    }
}
