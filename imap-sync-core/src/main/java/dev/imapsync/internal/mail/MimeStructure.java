package dev.imapsync.internal.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * IMAP part numbers (RFC 3501, section 6.4.5) over Jakarta Mail's parts, the same whether the
 * message was parsed whole ({@code MimeMessage}) or is read lazily from its BODYSTRUCTURE
 * (Angus's {@code IMAPMessage}): a multipart's children are {@code 1..n} below its own number; a
 * message (the top one, or an attached {@code message/rfc822}) numbers its body's children
 * below its own number, and a single-part body is {@code 1} there; so a single-part message's
 * body is {@code 1}, and the text of an attached single-part message at {@code 2} is {@code 2.1}.
 */
final class MimeStructure {
    /** The deepest nesting followed: deeper structures are hostile or broken. */
    static final int MAX_DEPTH = 32;

    private MimeStructure() {
    }

    /** A part with its IMAP number. */
    record Numbered(String number, Part part) {
    }

    /**
     * The numbered children of a part: a multipart's parts; the body's children of a message or
     * a {@code message/rfc822} part; none for a leaf.
     */
    static List<Numbered> children(Part part, String number) throws MessagingException, IOException {
        if (part instanceof Message || isMimeType(part, "message/rfc822")) {
            Part message = part instanceof Message ? part : nested(part);
            if (message == null) {
                return List.of();
            }
            if (isMimeType(message, "multipart/*")) {
                return parts(message, number);
            }
            return List.of(new Numbered(join(number, 1), message));
        }
        if (isMimeType(part, "multipart/*")) {
            return parts(part, number);
        }
        return List.of();
    }

    /** The message inside a {@code message/rfc822} part, or null when it cannot be read as one. */
    static Message nested(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        return content instanceof Message ? (Message) content : null;
    }

    private static List<Numbered> parts(Part part, String number) throws MessagingException, IOException {
        Object content = part.getContent();
        if (!(content instanceof Multipart)) {
            return List.of();
        }
        Multipart multipart = (Multipart) content;
        List<Numbered> out = new ArrayList<>(multipart.getCount());
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart child = multipart.getBodyPart(i);
            out.add(new Numbered(join(number, i + 1), child));
        }
        return out;
    }

    private static String join(String number, int child) {
        return number.isEmpty() ? Integer.toString(child) : number + "." + child;
    }

    /**
     * The part with this IMAP number below the message, or null when there is none.
     *
     * @param number {@code 1}, {@code 2.1}, …
     */
    static Part find(Message message, String number) throws MessagingException, IOException {
        String[] steps = number.split("\\.", -1);
        if (steps.length > MAX_DEPTH) {
            return null;
        }
        Part at = message;
        String prefix = "";
        for (String step : steps) {
            String wanted = prefix.isEmpty() ? step : prefix + "." + step;
            Part next = null;
            for (Numbered child : children(at, prefix)) {
                if (child.number().equals(wanted)) {
                    next = child.part();
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            // a single-part body numbered "n.1" is its message itself: its own number stays the message's
            at = next;
            prefix = wanted;
        }
        return at;
    }

    /**
     * The fewest decoded bytes a part can have, from the size the server or the parser reports
     * for its encoded content: a base64 part decodes to about three quarters of it (less its
     * line breaks), quoted-printable to at least a third; 0 when the size is unknown.
     */
    static long leastDecodedSize(Part part) throws MessagingException {
        long size = part.getSize();
        if (size <= 0) {
            return 0;
        }
        String encoding = part instanceof jakarta.mail.internet.MimePart
                ? ((jakarta.mail.internet.MimePart) part).getEncoding() : null;
        String e = encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
        if (e.equals("base64")) {
            return Math.max(0, (size - size / 39 - 2) / 4 * 3 - 3);
        }
        if (e.equals("quoted-printable")) {
            return size / 3;
        }
        return size;
    }

    /** Like {@link Part#isMimeType} but false, not an exception, for an unreadable Content-Type. */
    static boolean isMimeType(Part part, String type) {
        try {
            return part.isMimeType(type);
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }
}
