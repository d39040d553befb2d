package dev.imapsync.internal.content;

import dev.imapsync.message.Attachment;
import dev.imapsync.message.MessagePreview;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a message's structure says about its preview: which part to fetch the first bytes of, the
 * attachment list, and what kind of message it is.
 *
 * @param text           the part whose first bytes make the preview; empty when the message has no
 *                       readable text (encrypted, only attachments, or a structure we could not read)
 * @param attachments    every part shown as an attachment or inline part, in structure order
 * @param encrypted      S/MIME or PGP/MIME encrypted (then {@code text} is empty)
 * @param signed         S/MIME or PGP signed
 * @param calendarMethod the METHOD of a calendar part in upper case ({@code REQUEST}, …), or empty
 * @param warnings       what could not be read, in words; empty for a well-formed structure
 */
public record PreviewPlan(Optional<TextPart> text, List<Attachment> attachments, boolean encrypted, boolean signed,
                          Optional<String> calendarMethod, List<String> warnings) {
    /** Validates and copies. */
    public PreviewPlan {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(calendarMethod, "calendarMethod");
        warnings = List.copyOf(warnings);
    }

    /**
     * The preview a contact page shows, from this plan and the text extracted from its text part
     * (PGP inline armour found there makes the message encrypted or signed too).
     */
    public MessagePreview toPreview(PreviewText text) {
        return new MessagePreview(text.text(), text.truncated(), attachments, encrypted || text.encrypted(),
                signed || text.signed(), calendarMethod);
    }

    /** The preview without text: no text part, or its bytes were not fetched. */
    public MessagePreview toPreview() {
        return new MessagePreview("", false, attachments, encrypted, signed, calendarMethod);
    }

    /** A plan with nothing in it and one warning: what a malformed structure gives. */
    public static PreviewPlan unreadable(String warning) {
        return new PreviewPlan(Optional.empty(), List.of(), false, false, Optional.empty(), List.of(warning));
    }
}
