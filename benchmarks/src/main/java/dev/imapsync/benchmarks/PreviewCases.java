package dev.imapsync.benchmarks;

import dev.imapsync.internal.content.PreviewPlan;
import dev.imapsync.internal.content.PreviewPlanner;
import dev.imapsync.internal.content.TextPart;
import dev.imapsync.testing.MimeCorpus;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The MIME corpus as each preview path sees it: imap-sync gets the BODYSTRUCTURE Dovecot sends
 * and the first 4 KiB of the chosen text part (what {@code BODY.PEEK[part]<0.4096>} returns);
 * Jakarta Mail gets the whole message. Messages Jakarta Mail cannot read (the broken ones, an
 * unknown charset) are left out, so both paths do comparable work.
 */
final class PreviewCases {
    static final int PREFIX = 4096;
    static final Session SESSION;

    static {
        Properties p = new Properties();
        p.setProperty("mail.mime.decodefilename", "true");
        SESSION = Session.getInstance(p);
    }

    /** One message: its bytes, its BODYSTRUCTURE, and the first bytes of its text part (empty when none). */
    record Case(String name, byte[] message, byte[] bodyStructure, byte[] prefix, boolean cut) {
    }

    private PreviewCases() {
    }

    static List<Case> load() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String name : MimeCorpus.names()) {
            byte[] message = MimeCorpus.load(name).bytes();
            if (!PreviewBaseline.readable(message)) {
                continue;
            }
            byte[] structure = MimeCorpus.dovecotBodyStructure(name);
            PreviewPlan plan = PreviewPlanner.plan(structure, 0, structure.length);
            byte[] prefix = new byte[0];
            boolean cut = false;
            if (plan.text().isPresent()) {
                TextPart text = plan.text().get();
                byte[] raw = rawBody(message, text.section());
                cut = raw.length > PREFIX;
                prefix = cut ? java.util.Arrays.copyOf(raw, PREFIX) : raw;
            }
            cases.add(new Case(name, message, structure, prefix, cut));
        }
        return cases;
    }

    /** The encoded body of a part, as {@code BODY[section]} returns it. */
    static byte[] rawBody(byte[] message, String section) throws MessagingException, IOException {
        Part part = new MimeMessage(SESSION, new ByteArrayInputStream(message));
        for (String number : section.split("\\.")) {
            int index = Integer.parseInt(number);
            if (part.isMimeType("message/rfc822")) {
                part = (Part) part.getContent();
                if (!part.isMimeType("multipart/*")) {
                    continue; // BODY[n.1] of a single-part message/rfc822 is its body
                }
            }
            if (part.isMimeType("multipart/*")) {
                part = ((Multipart) part.getContent()).getBodyPart(index - 1);
            }
        }
        try (InputStream in = part instanceof MimeBodyPart ? ((MimeBodyPart) part).getRawInputStream()
                : ((MimeMessage) part).getRawInputStream()) {
            return in.readAllBytes();
        }
    }
}
