package dev.imapsync.sync;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jsoup.Jsoup;

/**
 * What Jakarta Mail's MIME parser reads from a message, the oracle of the preview tests: the
 * file names of its parts (a forwarded message is one part, whose text counts; signatures, the parts of
 * encrypted mail and an S/MIME opaque-signed envelope are none), and the text of its text parts, HTML as jsoup reads it, whitespace
 * collapsed.
 */
record JakartaView(Set<String> fileNames, String collapsedText) {
    static JakartaView of(byte[] rfc822) throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.mime.decodefilename", "true");
        props.setProperty("mail.mime.decodeparameters", "true");
        MimeMessage message = new MimeMessage(Session.getInstance(props), new ByteArrayInputStream(rfc822));
        Set<String> names = new TreeSet<>();
        StringBuilder text = new StringBuilder();
        walk(message, names, text);
        return new JakartaView(names, text.toString().replaceAll("\\s+", " ").strip());
    }

    private static void walk(Part part, Set<String> names, StringBuilder text) throws Exception {
        String type = part.getContentType() == null ? "text/plain" : part.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/encrypted") || type.contains("enveloped-data") || type.contains("signed-data")
                || type.startsWith("application/pgp-signature") || type.startsWith("application/pkcs7-signature")
                || type.startsWith("application/x-pkcs7-signature")) {
            return;
        }
        if (type.startsWith("multipart/")) {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child, names, text);
                }
            }
            return;
        }
        String name = part.getFileName();
        if (type.startsWith("message/rfc822")) {
            // a forwarded message is one attachment; its text counts (a preview shows it when it is all there is)
            if (name != null && !name.isEmpty()) {
                names.add(MimeUtility.decodeText(name));
            }
            if (part.getContent() instanceof Part forwarded) {
                walk(forwarded, new TreeSet<>(), text);
            }
            return;
        }
        if (name != null && !name.isEmpty()) {
            names.add(MimeUtility.decodeText(name));
            return;
        }
        if (type.startsWith("text/plain") || type.startsWith("text/html")) {
            String s;
            try {
                Object content = part.getContent();
                s = content instanceof String str ? str : new String(((InputStream) content).readAllBytes(),
                        StandardCharsets.UTF_8);
            } catch (Exception e) {
                return; // an unknown charset: no text from Jakarta either
            }
            text.append(' ').append(type.startsWith("text/html") ? Jsoup.parse(s).text() : s);
        }
    }
}
