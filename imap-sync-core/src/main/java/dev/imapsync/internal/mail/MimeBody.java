package dev.imapsync.internal.mail;

import dev.imapsync.message.Attachment;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a person reads of a message, taken from its MIME structure by Jakarta Mail: the first
 * plain-text and the first HTML body part (not attachments, not inside an attached message),
 * every other leaf part as an {@link Attachment} with its IMAP part number, and the bytes of
 * small inline images by Content-ID, so that HTML can show them ({@code cid:}).
 *
 * @param text     the plain-text body, decoded, if the message has one
 * @param html     the HTML body, decoded and not yet sanitized, if the message has one
 * @param attachments the other parts, in structure order; an attached message is one attachment,
 *                 and the parts inside it follow it
 * @param inline   the inline parts with a Content-ID (without angle brackets), by that id
 * @param warnings what could not be read, in words
 */
public record MimeBody(Optional<String> text, Optional<String> html, List<Attachment> attachments,
                       Map<String, InlinePart> inline, List<String> warnings) {

    /**
     * An inline part that HTML refers to by {@code cid:}.
     *
     * @param part     its IMAP part number
     * @param mimeType its type, lower case
     * @param bytes    its decoded bytes, when it is an image small enough to embed
     */
    public record InlinePart(String part, String mimeType, Optional<byte[]> bytes) {
    }

    /**
     * How much of a message is read.
     *
     * @param maxTextBytes       the most decoded bytes read of each text body part (the rest is cut)
     * @param maxInlineBytes     the largest inline image read to embed
     * @param maxInlineTotalBytes the most bytes of inline images read in all
     * @param maxParts           the most parts looked at
     */
    public record Limits(int maxTextBytes, int maxInlineBytes, long maxInlineTotalBytes, int maxParts) {
    }

    /**
     * Reads a message: one parsed whole, or one Angus reads lazily (then only the text parts and
     * the small inline images are fetched).
     */
    public static MimeBody read(Message message, Limits limits) throws ConnectionFailure {
        Reader reader = new Reader(limits);
        try {
            reader.walk(message, "", 0, false);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, "reading the message's parts"));
        }
        return new MimeBody(Optional.ofNullable(reader.text), Optional.ofNullable(reader.html),
                List.copyOf(reader.attachments), Map.copyOf(reader.inline), List.copyOf(reader.warnings));
    }

    private static final class Reader {
        private final Limits limits;
        private String text;
        private String html;
        private final List<Attachment> attachments = new ArrayList<>();
        private final Map<String, InlinePart> inline = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private int parts;
        private long inlineBytes;

        Reader(Limits limits) {
            this.limits = limits;
        }

        /**
         * @param attached whether this is inside an attached message: its text is not the body
         */
        void walk(Part part, String number, int depth, boolean attached) throws MessagingException, IOException {
            if (++parts > limits.maxParts()) {
                if (parts == limits.maxParts() + 1) {
                    warnings.add("the message has more than " + limits.maxParts() + " parts; the rest were left out");
                }
                return;
            }
            if (depth > MimeStructure.MAX_DEPTH) {
                warnings.add("parts nested deeper than " + MimeStructure.MAX_DEPTH + " levels were left out");
                return;
            }
            boolean message = part instanceof Message;
            boolean container = message || MimeStructure.isMimeType(part, "multipart/*");
            if (!container && MimeStructure.isMimeType(part, "message/rfc822")) {
                attachments.add(attachment(part, number));
                Message inner = MimeStructure.nested(part);
                if (inner != null && MimeStructure.isMimeType(inner, "multipart/*")) {
                    for (MimeStructure.Numbered child : MimeStructure.children(inner, number)) {
                        walk(child.part(), child.number(), depth + 1, true);
                    }
                } else if (inner != null) {
                    leaf(inner, number + ".1", true);
                }
                return;
            }
            if (container) {
                List<MimeStructure.Numbered> children;
                try {
                    children = MimeStructure.children(part, number);
                } catch (ParseException e) {
                    broken(part, number, attached, e);
                    return;
                }
                if (message && children.size() == 1 && children.get(0).part() == part) {
                    leaf(part, children.get(0).number(), attached);
                    return;
                }
                for (MimeStructure.Numbered child : children) {
                    walk(child.part(), child.number(), depth + 1, attached);
                }
                return;
            }
            leaf(part, number, attached);
        }

        /**
         * A multipart whose structure cannot be parsed (no boundary, none found): its raw content
         * is the text when there is none yet, with a warning either way.
         */
        private void broken(Part part, String number, boolean attached, ParseException e)
                throws MessagingException, IOException {
            String where = number.isEmpty() ? "the message" : "part " + number;
            warnings.add("the MIME structure of " + where + " is broken (" + e.getMessage() + ")"
                    + (text == null && !attached ? "; its raw content is shown as text" : "; it was left out"));
            if (text == null && !attached) {
                text = read(part, number.isEmpty() ? "1" : number);
            }
        }

        private void leaf(Part part, String number, boolean attached) throws MessagingException, IOException {
            boolean marked = Part.ATTACHMENT.equalsIgnoreCase(disposition(part));
            boolean textual = MimeStructure.isMimeType(part, "text/plain")
                    || MimeStructure.isMimeType(part, "text/html");
            if (attached && textual && !marked) {
                return; // the text of an attached message: the message itself is the attachment
            }
            boolean asAttachment = attached || marked;
            if (!asAttachment && text == null && MimeStructure.isMimeType(part, "text/plain")) {
                text = read(part, number);
                return;
            }
            if (!asAttachment && html == null && MimeStructure.isMimeType(part, "text/html")) {
                html = read(part, number);
                return;
            }
            Attachment a = attachment(part, number);
            attachments.add(a);
            if (a.contentId().isPresent() && !attached) {
                Optional<byte[]> bytes = Optional.empty();
                if (a.mimeType().startsWith("image/") && a.size() <= limits.maxInlineBytes()
                        && inlineBytes + Math.max(0, a.size()) <= limits.maxInlineTotalBytes()) {
                    byte[] read = readCapped(part, limits.maxInlineBytes());
                    if (read.length <= limits.maxInlineBytes()) {
                        inlineBytes += read.length;
                        bytes = Optional.of(read);
                    }
                }
                inline.putIfAbsent(a.contentId().get(), new InlinePart(number, a.mimeType(), bytes));
            }
        }

        private String read(Part part, String number) throws MessagingException, IOException {
            byte[] bytes = readCapped(part, limits.maxTextBytes());
            if (bytes.length > limits.maxTextBytes()) {
                warnings.add("the text of part " + number + " is longer than " + limits.maxTextBytes()
                        + " bytes and was cut");
                bytes = java.util.Arrays.copyOf(bytes, limits.maxTextBytes());
            }
            // a person reads it: one kind of line end, whatever the message's
            return new String(bytes, charset(part, number)).replace("\r\n", "\n");
        }

        private Charset charset(Part part, String number) {
            String name = null;
            try {
                name = new ContentType(part.getContentType()).getParameter("charset");
                if (name == null) {
                    return StandardCharsets.UTF_8; // US-ASCII is a subset; undeclared 8-bit text is mostly UTF-8
                }
                return Charset.forName(MimeUtility.javaCharset(name.trim()));
            } catch (MessagingException | RuntimeException e) {
                warnings.add("part " + number + " declares the unknown charset " + name + "; read as UTF-8");
                return StandardCharsets.UTF_8;
            }
        }

        /** Reads at most {@code max + 1} decoded bytes, so that the caller sees when there were more. */
        private static byte[] readCapped(Part part, int max) throws MessagingException, IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 64 * 1024));
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = part.getInputStream()) {
                int n;
                while (out.size() <= max
                        && (n = in.read(buffer, 0, Math.min(buffer.length, max + 1 - out.size()))) > 0) {
                    out.write(buffer, 0, n);
                }
            }
            return out.toByteArray();
        }

        private static String disposition(Part part) {
            try {
                return part.getDisposition();
            } catch (MessagingException | RuntimeException e) {
                return null;
            }
        }

        private Attachment attachment(Part part, String number) {
            String type = "application/octet-stream";
            try {
                type = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
            } catch (MessagingException | RuntimeException e) {
                warnings.add("part " + number + " has an unreadable Content-Type; taken as " + type);
            }
            String name = "";
            try {
                String raw = part.getFileName();
                if (raw != null) {
                    name = raw.contains("=?") ? MimeUtility.decodeText(raw) : raw;
                } else if (part instanceof Message || type.equals("message/rfc822")) {
                    Message inner = part instanceof Message ? (Message) part : MimeStructure.nested(part);
                    String subject = inner == null ? null : inner.getSubject();
                    name = (subject == null || subject.isBlank() ? "message" : subject.strip()) + ".eml";
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                warnings.add("part " + number + " has an unreadable file name");
            }
            long size = -1;
            String contentId = null;
            try {
                size = part.getSize();
                if (part instanceof MimePart) {
                    contentId = ((MimePart) part).getContentID();
                }
            } catch (MessagingException | RuntimeException e) {
                // size and id stay unknown
            }
            if (contentId != null) {
                contentId = contentId.strip();
                if (contentId.startsWith("<") && contentId.endsWith(">") && contentId.length() > 2) {
                    contentId = contentId.substring(1, contentId.length() - 1);
                }
            }
            boolean inline = Part.INLINE.equalsIgnoreCase(disposition(part))
                    || disposition(part) == null && contentId != null && !contentId.isEmpty();
            return new Attachment(number, name, type, size, inline,
                    contentId == null || contentId.isEmpty() ? Optional.empty() : Optional.of(contentId));
        }
    }
}
