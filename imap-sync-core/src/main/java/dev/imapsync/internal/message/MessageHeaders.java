package dev.imapsync.internal.message;

import dev.imapsync.message.EmailAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The header fields imap-sync reads from a message, parsed leniently: whatever could be read,
 * plus warnings about what could not.
 *
 * @param from       From addresses (usually one)
 * @param sender     Sender addresses
 * @param replyTo    Reply-To addresses
 * @param to         To addresses
 * @param cc         Cc addresses
 * @param bcc        Bcc addresses (present in sent mail)
 * @param subject    the decoded subject, or empty
 * @param date       the Date header, if readable
 * @param messageId  the normalized Message-ID ({@code local@domain}, no angle brackets), if present
 * @param inReplyTo  the normalized first In-Reply-To id, if present
 * @param references the normalized References ids, oldest first
 * @param warnings   what could not be read, in words
 * @param policyHeaders the policy headers the message has (List-Id, Precedence, Auto-Submitted, …:
 *                   {@code MessageFacts.POLICY_HEADERS}), by lower-case name, the first of each,
 *                   unfolded and trimmed, as written (encoded words not decoded); empty for most mail
 */
public record MessageHeaders(List<EmailAddress> from, List<EmailAddress> sender, List<EmailAddress> replyTo,
                             List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc, String subject,
                             Optional<Instant> date, Optional<String> messageId, Optional<String> inReplyTo,
                             List<String> references, List<String> warnings,
                             Map<String, String> policyHeaders) {
    /** Copies the lists. */
    public MessageHeaders {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        references = List.copyOf(references);
        warnings = List.copyOf(warnings);
        policyHeaders = Map.copyOf(policyHeaders);
    }

    /** Headers without policy headers. */
    public MessageHeaders(List<EmailAddress> from, List<EmailAddress> sender, List<EmailAddress> replyTo,
                          List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc, String subject,
                          Optional<Instant> date, Optional<String> messageId, Optional<String> inReplyTo,
                          List<String> references, List<String> warnings) {
        this(from, sender, replyTo, to, cc, bcc, subject, date, messageId, inReplyTo, references, warnings, Map.of());
    }

    /** Headers with nothing in them. */
    public static MessageHeaders empty() {
        return new MessageHeaders(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), "",
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }
}
