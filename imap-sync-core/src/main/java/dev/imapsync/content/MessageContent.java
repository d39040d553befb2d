package dev.imapsync.content;

import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One email as a person reads it, opened live from the mailbox.
 *
 * @param messageKey the message's key, as the timeline has it
 * @param subject    the decoded subject, or empty
 * @param from       the From addresses (usually one)
 * @param to         the To addresses
 * @param cc         the Cc addresses
 * @param date       the Date header, else when the server received it
 * @param text       the full plain text: the text/plain body, or the text of the HTML body when the
 *                   message has only HTML; empty when it has neither
 * @param html       the HTML body, sanitized (see {@link MessageOpener}): safe to show in a page
 * @param attachments every part that is not the body, with its IMAP part number for
 *                   {@link MessageOpener#attachment}; inline images too ({@link Attachment#inline()})
 * @param location   where it was opened: the account, folder, UID and the folder's UIDVALIDITY, to
 *                   fetch its attachments (it differs from the timeline's when the message moved)
 * @param remoteImagesBlocked how many remote images the HTML refers to that were not loaded: more
 *                   than 0 lets a page offer "show images" (open again with remote images allowed)
 * @param warnings   what could not be read (an unknown charset, a text cut at the cap), in words
 */
public record MessageContent(MessageKey messageKey, String subject, List<EmailAddress> from, List<EmailAddress> to,
                             List<EmailAddress> cc, Instant date, String text, Optional<String> html,
                             List<Attachment> attachments, TimelineEntry.Location location, int remoteImagesBlocked,
                             List<String> warnings) {
    /** Validates and copies. */
    public MessageContent {
        Objects.requireNonNull(messageKey, "messageKey");
        Objects.requireNonNull(subject, "subject");
        from = List.copyOf(from);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(location, "location");
        warnings = List.copyOf(warnings);
    }

    /** The folder it was opened in (the raw name, as the server uses it). */
    public String folder() {
        return location.folder();
    }

    /** Its UID in that folder. */
    public long uid() {
        return location.uid();
    }

    /** The attachment with this file name, if one has it (the first, when several do). */
    public Optional<Attachment> attachmentNamed(String name) {
        return attachments.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
