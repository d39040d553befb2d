package dev.imapsync.internal.content;

import java.util.List;
import java.util.Objects;

/**
 * The preview made from a text part's first bytes.
 *
 * @param text      the message's own words, whitespace collapsed, at most the extractor's length
 * @param truncated whether the text goes on beyond {@code text}
 * @param warnings  why the text is empty or incomplete (unknown charset, …), in words
 * @param encrypted the text is PGP inline armoured ciphertext, so there is no preview (not an error)
 * @param signed    the text is PGP inline signed (the armour is removed from {@code text})
 */
public record PreviewText(String text, boolean truncated, List<String> warnings, boolean encrypted, boolean signed) {
    /** Validates and copies. */
    public PreviewText {
        Objects.requireNonNull(text, "text");
        warnings = List.copyOf(warnings);
    }

    /** A preview of plain, neither encrypted nor signed text. */
    public PreviewText(String text, boolean truncated, List<String> warnings) {
        this(text, truncated, warnings, false, false);
    }
}
