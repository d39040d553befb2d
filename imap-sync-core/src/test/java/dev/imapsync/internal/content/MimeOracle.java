package dev.imapsync.internal.content;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * What Jakarta Mail's own MIME parser (Angus) makes of a whole message, under the preview path's
 * policy written out again over Jakarta's object model: the text part, its decoded text, and the
 * attachment list. The preview path must agree with it while seeing only BODYSTRUCTURE and the
 * first bytes of one part.
 */
final class MimeOracle {
    private static final Session SESSION;

    static {
        Properties p = new Properties();
        p.setProperty("mail.mime.decodefilename", "true");
        p.setProperty("mail.mime.decodeparameters", "true");
        SESSION = Session.getInstance(p);
    }

    record Att(String part, String name, String type, boolean inline, Optional<String> contentId) {
    }

    /**
     * @param section   the text part's number
     * @param text      its text decoded by Jakarta (transfer encoding) and the JDK (charset); empty
     *                  when the charset is unknown
     */
    record Expected(Optional<String> section, boolean html, boolean flowed, boolean delSp, Optional<String> text,
                    List<Att> attachments, boolean encrypted, boolean signed, Optional<String> calendarMethod) {
    }

    private final List<Att> attachments = new ArrayList<>();
    private boolean encrypted;
    private boolean signed;
    private String calendarMethod;

    private MimeOracle() {
    }

    static Expected of(byte[] message) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(message));
        MimeOracle oracle = new MimeOracle();
        Node root = oracle.tree(m, m.isMimeType("multipart/*") ? "" : "1", null);
        oracle.scan(root);
        Node text = null;
        if (!oracle.encrypted) {
            text = oracle.choose(root, false);
            if (text == null) {
                text = oracle.choose(root, true);
            }
        }
        oracle.list(root, text, alternatives(text));
        if (text == null) {
            return new Expected(Optional.empty(), false, false, false, Optional.empty(), oracle.attachments,
                    oracle.encrypted, oracle.signed, Optional.ofNullable(oracle.calendarMethod));
        }
        ContentType ct = new ContentType(text.part.getContentType());
        boolean flowed = "flowed".equalsIgnoreCase(ct.getParameter("format"));
        return new Expected(Optional.of(text.section), text.is("text/html"), flowed,
                flowed && "yes".equalsIgnoreCase(ct.getParameter("delsp")), decode(text.part, ct),
                oracle.attachments, oracle.encrypted, oracle.signed, Optional.ofNullable(oracle.calendarMethod));
    }

    /** A part with its number, children, and for message/rfc822 the message's body. */
    private static final class Node {
        final Part part;
        final String section;
        final String type;
        final Node parent;
        final List<Node> children = new ArrayList<>();
        Node message;

        Node(Part part, String section, Node parent) throws MessagingException {
            this.part = part;
            this.section = section;
            this.type = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
            this.parent = parent;
        }

        boolean is(String t) {
            return type.equals(t);
        }

        boolean attachment() throws MessagingException {
            return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || name() != null;
        }

        String name() throws MessagingException {
            String n = part.getFileName();
            if (n == null || n.isBlank()) {
                String fromType = new ContentType(part.getContentType()).getParameter("name");
                n = fromType;
            }
            if (n != null) {
                try {
                    n = MimeUtility.decodeText(n).trim();
                } catch (IOException e) {
                    n = n.trim();
                }
            }
            return n == null || n.isBlank() ? null : n;
        }

        String param(String name) throws MessagingException {
            return new ContentType(part.getContentType()).getParameter(name);
        }
    }

    private Node tree(Part part, String section, Node parent) throws MessagingException, IOException {
        Node node = new Node(part, section, parent);
        if (node.type.startsWith("multipart/")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                node.children.add(tree(child, section.isEmpty() ? "" + (i + 1) : section + "." + (i + 1), node));
            }
        } else if (node.is("message/rfc822")) {
            MimeMessage inner = (MimeMessage) part.getContent();
            node.message = tree(inner, inner.isMimeType("multipart/*") ? section : section + ".1", node);
        }
        return node;
    }

    private void scan(Node n) throws MessagingException {
        if (isEncrypted(n)) {
            encrypted = true;
            return;
        }
        if (n.is("multipart/signed") || isSignature(n) || isOpaqueSigned(n)) {
            signed = true;
        }
        if (calendarMethod == null && (n.is("text/calendar") || n.is("application/ics")) && n.param("method") != null) {
            calendarMethod = n.param("method").trim().toUpperCase(Locale.ROOT);
        }
        for (Node c : n.children) {
            scan(c);
        }
    }

    private static boolean isEncrypted(Node n) throws MessagingException {
        if (n.is("multipart/encrypted")) {
            return true;
        }
        if (n.is("application/pkcs7-mime") || n.is("application/x-pkcs7-mime")) {
            String t = n.param("smime-type");
            return t == null || t.equalsIgnoreCase("enveloped-data") || t.equalsIgnoreCase("authenveloped-data");
        }
        return false;
    }

    private static boolean isOpaqueSigned(Node n) throws MessagingException {
        return (n.is("application/pkcs7-mime") || n.is("application/x-pkcs7-mime"))
                && "signed-data".equalsIgnoreCase(n.param("smime-type"));
    }

    private static boolean isSignature(Node n) {
        return n.is("application/pkcs7-signature") || n.is("application/x-pkcs7-signature")
                || n.is("application/pgp-signature");
    }

    private Node choose(Node root, boolean forwarded) throws MessagingException {
        Node plain = first(root, "text/plain", forwarded);
        return plain != null ? plain : first(root, "text/html", forwarded);
    }

    private Node first(Node n, String type, boolean forwarded) throws MessagingException {
        if (isEncrypted(n) || isOpaqueSigned(n)) {
            return null;
        }
        for (Node c : n.children) {
            Node found = first(c, type, forwarded);
            if (found != null) {
                return found;
            }
        }
        if (!n.children.isEmpty() || n.type.startsWith("multipart/")) {
            return null;
        }
        if (n.message != null) {
            return forwarded ? first(n.message, type, true) : null;
        }
        return n.is(type) && !n.attachment() && !isEmpty(n.part) ? n : null;
    }

    private static boolean isEmpty(Part part) throws MessagingException {
        if (!(part instanceof jakarta.mail.internet.MimeBodyPart)) {
            return false;
        }
        try (java.io.InputStream in = ((jakarta.mail.internet.MimeBodyPart) part).getRawInputStream()) {
            return in.read() < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Node> alternatives(Node text) throws MessagingException {
        List<Node> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        Node p = text.parent;
        while (p != null && !p.is("multipart/alternative")) {
            if (p.message != null) {
                return out;
            }
            p = p.parent;
        }
        if (p != null) {
            texts(p, out);
        }
        return out;
    }

    private static void texts(Node n, List<Node> out) throws MessagingException {
        for (Node c : n.children) {
            texts(c, out);
        }
        if (n.children.isEmpty() && !n.type.startsWith("multipart/")
                && (n.is("text/plain") || n.is("text/html") || n.is("text/enriched")) && !n.attachment()) {
            out.add(n);
        }
    }

    private void list(Node n, Node text, List<Node> alternatives) throws MessagingException {
        if (isEncrypted(n)) {
            return;
        }
        if (n.type.startsWith("multipart/")) {
            for (Node c : n.children) {
                list(c, text, alternatives);
            }
            return;
        }
        if (n == text || alternatives.contains(n) || isSignature(n) || isOpaqueSigned(n)
                || ((n.is("text/plain") || n.is("text/html")) && !n.attachment())) {
            return;
        }
        String id = n.part instanceof MimePart ? ((MimePart) n.part).getContentID() : null;
        if (id != null) {
            id = id.trim().replaceAll("^<|>$", "").trim();
        }
        String disposition = n.part.getDisposition();
        boolean inline = Part.INLINE.equalsIgnoreCase(disposition) || (disposition == null && id != null
                && !id.isEmpty() && n.parent != null && n.parent.is("multipart/related"));
        String name = n.name();
        attachments.add(new Att(n.section, name == null ? "" : name, n.type, inline,
                Optional.ofNullable(id == null || id.isEmpty() ? null : id)));
    }

    /**
     * The text as the preview path must read it: Jakarta undoes the transfer encoding, the JDK the
     * charset; a missing or us-ascii label is UTF-8 when valid else windows-1252, and iso-8859-1
     * is windows-1252 (the documented policy); an unknown charset gives empty.
     */
    private static Optional<String> decode(Part part, ContentType ct) throws MessagingException, IOException {
        byte[] bytes = part.getInputStream().readAllBytes();
        String label = ct.getParameter("charset");
        String l = label == null ? "us-ascii" : label.trim().toLowerCase(Locale.ROOT);
        Charset charset;
        if (l.equals("us-ascii") || l.equals("x-unknown")) {
            charset = validUtf8(bytes) ? StandardCharsets.UTF_8 : Charset.forName("windows-1252");
        } else if (l.equals("iso-8859-1") || l.equals("latin1")) {
            charset = Charset.forName("windows-1252");
        } else {
            String java = MimeUtility.javaCharset(l);
            if (l.equals("ks_c_5601-1987")) {
                java = "x-windows-949";
            }
            try {
                charset = Charset.forName(java);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new String(bytes, charset));
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
