package dev.imapsync.benchmarks;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;

/**
 * What a CRM that downloads the whole message does for a preview, with Jakarta Mail: parse it
 * ({@code MimeMessage}), find the first text/plain else text/html through {@code getContent},
 * turn HTML into text with jsoup, collapse white space, keep 256 characters, and collect the
 * attachments' file names. Less than imap-sync's extractor does (no quote or signature removal).
 */
final class PreviewBaseline {
    private PreviewBaseline() {
    }

    /** The preview text and the attachment names, as one list (text first). */
    static List<String> preview(byte[] message) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(PreviewCases.SESSION, new ByteArrayInputStream(message));
        List<String> out = new ArrayList<>();
        out.add("");
        walk(m, out);
        String text = out.get(0).replaceAll("\\s+", " ").strip();
        out.set(0, text.length() > 256 ? text.substring(0, 256) : text);
        return out;
    }

    private static void walk(Part part, List<String> out) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                walk(mp.getBodyPart(i), out);
            }
            return;
        }
        String name = part.getFileName();
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || name != null;
        if (!attachment && out.get(0).isEmpty() && part.isMimeType("text/plain")) {
            out.set(0, (String) part.getContent());
        } else if (!attachment && out.get(0).isEmpty() && part.isMimeType("text/html")) {
            out.set(0, Jsoup.parse((String) part.getContent()).text());
        } else if (attachment) {
            out.add(name == null ? "" : name);
        }
    }

    /** Whether Jakarta Mail reads the message without an exception. */
    static boolean readable(byte[] message) {
        try {
            preview(message);
            return true;
        } catch (MessagingException | IOException | RuntimeException e) {
            return false;
        }
    }
}
