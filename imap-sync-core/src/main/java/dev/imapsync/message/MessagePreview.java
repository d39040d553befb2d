package dev.imapsync.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a contact page shows of a message without opening it: the start of its text, its
 * attachment list and what kind of message it is. A sync records one for contacts' mail only,
 * from the message's structure and the first bytes of its best text part.
 *
 * @param text           up to the configured length of the message's own words (quoted replies,
 *                       signatures and markup removed, whitespace collapsed); empty when the message
 *                       has no readable text, is encrypted, or its text could not be decoded
 * @param truncated      whether the message's text goes on beyond {@code text}
 * @param attachments    the attachments and inline parts, in the order of the message's structure
 * @param encrypted      S/MIME or PGP encrypted: there is no preview, and that is not an error
 * @param signed         S/MIME or PGP signed
 * @param calendarMethod for a calendar invitation or answer, its METHOD ({@code REQUEST},
 *                       {@code REPLY}, {@code CANCEL}, …); empty otherwise
 */
public record MessagePreview(String text, boolean truncated, List<Attachment> attachments, boolean encrypted,
                             boolean signed, Optional<String> calendarMethod) {
    /** Validates and copies. */
    public MessagePreview {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(calendarMethod, "calendarMethod");
    }

    /** Whether the message is a calendar invitation, or an answer to one. */
    public boolean isCalendarInvitation() {
        return calendarMethod.isPresent();
    }
}
