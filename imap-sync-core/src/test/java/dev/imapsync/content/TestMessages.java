package dev.imapsync.content;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.activation.DataHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import java.util.Random;

/** Messages for the tests of opening an email, built with Jakarta Mail as a mail client would send them. */
final class TestMessages {
    static final String SENDER = "ann@client.example";
    static final String OWNER = "owner@acme.example";

    /** HTML that tries every trick a sanitizer must stop. */
    static final String HOSTILE_HTML = "<html><head>"
            + "<meta http-equiv=\"refresh\" content=\"0;url=http://evil.example/\">"
            + "<base href=\"http://evil.example/\">"
            + "<style>body{background:url(http://evil.example/bg.png)}</style>"
            + "<script>alert('head')</script></head>"
            + "<body onload=\"steal()\">"
            + "<p style=\"background-image:url('http://evil.example/x.png');position:fixed\">Hello <b>Sam</b>, the offer"
            + " is attached.</p>"
            + "<img src=\"http://tracker.example/pixel.gif\" onerror=\"alert('img')\" width=\"1\">"
            + "<img src=\"cid:logo@acme.example\" alt=\"logo\">"
            + "<a href=\"javascript:alert('link')\">click me</a> "
            + "<a href=\"https://acme.example/offer\" onclick=\"alert('click')\">offer</a>"
            + "<svg onload=\"alert('svg')\"><script>alert('svg-script')</script></svg>"
            + "<iframe src=\"http://evil.example/frame\"></iframe>"
            + "<form action=\"http://evil.example/post\"><input name=\"password\"></form>"
            + "<img src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">"
            + "<object data=\"http://evil.example/x.swf\"></object>"
            + "<a href=\"java&#x09;script:alert('tab')\">tab</a>"
            + "<img srcset=\"http://evil.example/a.png 2x\" src=\"//tracker.example/relative.png\">"
            + "<table background=\"http://evil.example/bg.png\"><tr><td>cell</td></tr></table>"
            + "<link rel=\"stylesheet\" href=\"http://evil.example/s.css\">"
            + "<math><mtext><table><mglyph><style><img src=x onerror=alert('math')></style></mglyph></table></mtext></math>"
            + "<div style=\"background:url(http://evil.example/div.png)\">styled</div>"
            + "</body></html>";

    static final String PLAIN = "Hello Sam,\n\nthe offer is attached.\n\nAnn";

    private TestMessages() {
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] png() {
        // a 1x1 transparent PNG
        return java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    }

    static final String CSV = "name,amount\nWidgets,1200\nGadgets,800\n";

    /**
     * mixed [ related [ alternative [ text/plain, text/html ], image/png cid ], application/pdf,
     * message/rfc822 [ mixed [ text/plain, text/csv ] ] ]: parts 1.1.1, 1.1.2, 1.2, 2, 3, 3.1, 3.2.
     */
    static String rich(String messageId, byte[] pdf) throws MessagingException, IOException {
        MimeMessage m = base(messageId, "Offer for Q3 – Angebot");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text(PLAIN, "plain"));
        alternative.addBodyPart(text(HOSTILE_HTML, "html"));
        MimeBodyPart alternativePart = new MimeBodyPart();
        alternativePart.setContent(alternative);
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(alternativePart);
        MimeBodyPart logo = binary(png(), "image/png", "logo.png");
        logo.setContentID("<logo@acme.example>");
        logo.setDisposition(Part.INLINE);
        related.addBodyPart(logo);
        MimeBodyPart relatedPart = new MimeBodyPart();
        relatedPart.setContent(related);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(relatedPart);
        MimeBodyPart report = binary(pdf, "application/pdf", "Angebot Q3 – final.pdf");
        report.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(report);
        MimeBodyPart forwarded = new MimeBodyPart();
        forwarded.setContent(forwarded(), "message/rfc822");
        mixed.addBodyPart(forwarded);
        m.setContent(mixed);
        return write(m);
    }

    private static MimeMessage forwarded() throws MessagingException {
        MimeMessage inner = base("inner-" + System.nanoTime() + "@client.example", "Figures");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text("The figures, as promised.", "plain"));
        MimeBodyPart csv = binary(CSV.getBytes(StandardCharsets.UTF_8), "text/csv", "figures.csv");
        csv.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(csv);
        inner.setContent(mixed);
        inner.saveChanges();
        return inner;
    }

    /** An HTML-only message. */
    static String htmlOnly(String messageId) throws MessagingException, IOException {
        MimeMessage m = base(messageId, "Newsletter");
        m.setContent("<html><body><h1>News</h1><p>First   paragraph.</p><ul><li>One</li><li>Two</li></ul>"
                + "<script>alert(1)</script><p>Read <a href=\"https://acme.example/more\">more</a></p></body></html>",
                "text/html; charset=UTF-8");
        return write(m);
    }

    /** A plain single-part message. */
    static String plain(String messageId, String subject, String body) throws MessagingException, IOException {
        MimeMessage m = base(messageId, subject);
        m.setText(body, "UTF-8");
        return write(m);
    }

    private static MimeMessage base(String messageId, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + messageId + ">");
            }
        };
        m.setFrom(new InternetAddress(SENDER, false));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(OWNER, false));
        m.setRecipient(Message.RecipientType.CC, new InternetAddress("carol@client.example", false));
        m.setSubject(subject, "UTF-8");
        m.setSentDate(new Date(1_790_000_000_000L));
        return m;
    }

    private static MimeBodyPart text(String text, String subtype) throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        p.setText(text, "UTF-8", subtype);
        return p;
    }

    private static MimeBodyPart binary(byte[] bytes, String type, String name) throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        p.setFileName(name);
        p.setHeader("Content-Transfer-Encoding", "base64");
        return p;
    }

    private static String write(MimeMessage m) throws MessagingException, IOException {
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
