package dev.imapsync.internal.content;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the first bytes of a text part into a preview: undoes the transfer encoding and the
 * charset on a prefix cut anywhere, converts HTML to text, drops quoted replies and signatures,
 * collapses white space and cuts on a word boundary. Never throws; works on the given bytes only.
 * Thread-safe (it holds nothing but its length).
 */
public final class PreviewExtractor {
    /** The engine's default preview length in characters. */
    public static final int DEFAULT_MAX_CHARS = 256;
    /** At most this many bytes are read, whatever is passed: the rest counts as cut off. */
    public static final int MAX_BYTES = 256 * 1024;

    private final int maxChars;

    /** @param maxChars the longest preview, in chars (at least 1) */
    public PreviewExtractor(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, not " + maxChars);
        }
        this.maxChars = maxChars;
    }

    /**
     * The preview of a text part from its first bytes.
     *
     * @param part    the text part, as the plan chose it
     * @param buf     the bytes
     * @param decoded the bytes came from BINARY.PEEK (the transfer encoding is already undone)
     * @param cut     the part goes on beyond these bytes (a partial fetch; see {@link #isCut})
     */
    public PreviewText extract(TextPart part, byte[] buf, int offset, int length, boolean decoded, boolean cut) {
        List<String> warnings = new ArrayList<>();
        try {
            if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
                warnings.add("no text bytes in the given range; no preview");
                return new PreviewText("", false, warnings);
            }
            if (length > MAX_BYTES) {
                length = MAX_BYTES;
                cut = true;
            }
            byte[] bytes = decoded ? java.util.Arrays.copyOfRange(buf, offset, offset + length)
                    : TransferDecoding.decode(part.transferEncoding(), buf, offset, length, cut, warnings);
            String text = CharsetText.decode(part.charset(), part.html(), bytes, cut, warnings);
            if (text == null) {
                return new PreviewText("", false, warnings);
            }
            boolean signed = false;
            if (!part.html()) {
                PgpArmour armour = PgpArmour.of(text);
                if (armour == PgpArmour.ENCRYPTED) {
                    return new PreviewText("", false, warnings, true, false);
                }
                if (armour == PgpArmour.SIGNED) {
                    text = PgpArmour.unwrapSigned(text);
                    signed = true;
                }
            }
            if (part.html()) {
                text = HtmlText.toText(text);
            } else if (part.flowed()) {
                text = FlowedText.unwrap(text, part.delSp());
            }
            ReplyTrimmer.Result own = ReplyTrimmer.trim(text, Previews.enough(maxChars));
            return Previews.shorten(own, cut, maxChars, warnings, signed);
        } catch (RuntimeException | StackOverflowError e) {
            // never expected: a bug of ours must not fail a sync batch
            warnings.add("the text could not be read (" + e.getClass().getSimpleName() + "); no preview");
            return new PreviewText("", false, warnings);
        }
    }

    /**
     * Whether a partial fetch {@code BODY.PEEK[part]<0.requested>} (or {@code BINARY.PEEK}) that
     * returned {@code received} bytes may have left the rest of the part on the server: the
     * {@code cut} argument of {@link #extract}. A full answer may be cut; a shorter one is the whole
     * part, unless the server's size says otherwise (BODYSTRUCTURE gives the encoded size, so that
     * check applies to BODY only: BINARY returns fewer, decoded bytes).
     */
    public static boolean isCut(TextPart part, int requested, int received, boolean decoded) {
        return received >= requested || (!decoded && part.size() > received);
    }

    /** The longest preview, in chars. */
    public int maxChars() {
        return maxChars;
    }
}
