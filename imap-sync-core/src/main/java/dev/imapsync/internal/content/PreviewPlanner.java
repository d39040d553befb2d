package dev.imapsync.internal.content;

import dev.imapsync.message.Attachment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a BODYSTRUCTURE value and decides what a preview needs: the text part to fetch the first
 * bytes of, the attachment list, and whether the message is encrypted, signed or a calendar
 * invitation. Never throws; bounded in time (linear in the bytes) and memory (see
 * {@link SexpReader} and {@link BodyReader} for the caps).
 *
 * <p>The text part is the first text/plain that is no attachment (neither disposition attachment
 * nor a file name), else the first such text/html; an empty text/plain (some mailers send one
 * beside the HTML) does not count. Parts of a forwarded message/rfc822 count only when the
 * message has no text of its own. Encrypted mail (multipart/encrypted, S/MIME enveloped-data)
 * has no text part; signed mail (multipart/signed, S/MIME opaque signed-data aside) is previewed
 * from the signed content.
 *
 * <p>Attachments are every leaf that is not the text part, nor another rendering of it in the
 * same multipart/alternative (the HTML beside the chosen plain text), nor a signature, nor other
 * body text (a text/plain or text/html without a file name or disposition attachment). A forwarded message is one attachment (its own parts are not listed). The
 * parts of encrypted mail are not listed: they are ciphertext and a version marker, not files
 * for the user. PGP inline armour is in the text, not the structure: {@link PreviewExtractor}
 * finds it ({@link PreviewText#encrypted()}).
 */
public final class PreviewPlanner {
    /** File names longer than this are cut: no file system takes more than 255 bytes anyway. */
    static final int MAX_NAME = 512;

    private final Map<BodyPart, BodyPart> parents = new IdentityHashMap<>();
    private boolean encrypted;
    private boolean signed;
    private String calendarMethod;

    private PreviewPlanner() {
    }

    /**
     * The plan for the BODYSTRUCTURE value in {@code buf}.
     *
     * @param buf    raw bytes of the FETCH response
     * @param offset where the '(' that starts the BODYSTRUCTURE value is
     * @param length how many bytes from {@code offset} may be read (the value may end earlier);
     *               literals appear raw ({n}\r\n + n bytes) as the server sent them
     * @return the plan; an empty plan with a warning when the structure is malformed or beyond bounds
     */
    public static PreviewPlan plan(byte[] buf, int offset, int length) {
        BodyPart root;
        try {
            root = BodyReader.read(SexpReader.read(buf, offset, length));
        } catch (SexpReader.Malformed e) {
            return PreviewPlan.unreadable(e.getMessage() + "; no preview and no attachment list");
        } catch (RuntimeException | StackOverflowError e) {
            // never expected: a bug of ours must not fail a sync batch
            return PreviewPlan.unreadable("BODYSTRUCTURE could not be read (" + e.getClass().getSimpleName()
                    + "); no preview and no attachment list");
        }
        return new PreviewPlanner().plan(root);
    }

    private PreviewPlan plan(BodyPart root) {
        index(root, null);
        scan(root);
        List<String> warnings = new ArrayList<>();
        BodyPart text = null;
        if (!encrypted) {
            text = chooseText(root, false);
            if (text == null) {
                text = chooseText(root, true);
            }
        }
        List<BodyPart> alternatives = alternativesOf(text);
        List<Attachment> attachments = new ArrayList<>();
        listAttachments(root, text, alternatives, attachments);
        return new PreviewPlan(Optional.ofNullable(text).map(PreviewPlanner::textPart), attachments, encrypted, signed,
                Optional.ofNullable(calendarMethod), warnings);
    }

    private void index(BodyPart part, BodyPart parent) {
        if (parent != null) {
            parents.put(part, parent);
        }
        for (BodyPart child : part.children()) {
            index(child, part);
        }
        if (part.message() != null) {
            index(part.message(), part);
        }
    }

    /** Finds encryption, signatures and the calendar method, outside forwarded messages. */
    private void scan(BodyPart part) {
        if (isEncryptedContainer(part)) {
            encrypted = true;
            return;
        }
        if (part.is("multipart", "signed") || isSignature(part) || isOpaqueSigned(part)) {
            signed = true;
        }
        if (calendarMethod == null && (part.is("text", "calendar") || part.is("application", "ics"))) {
            calendarMethod = method(part.param("method"));
        }
        for (BodyPart child : part.children()) {
            scan(child);
        }
    }

    private static String method(String value) {
        if (value == null) {
            return null;
        }
        String m = value.trim();
        if (m.isEmpty() || m.length() > 32) {
            return null;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-') || c > 0x7f) {
                return null;
            }
        }
        return m.toUpperCase(Locale.ROOT);
    }

    static boolean isEncryptedContainer(BodyPart part) {
        if (part.is("multipart", "encrypted")) {
            return true;
        }
        if (isPkcs7Mime(part)) {
            String smime = part.param("smime-type");
            String t = smime == null ? "" : smime.trim().toLowerCase(Locale.ROOT);
            return t.isEmpty() || t.equals("enveloped-data") || t.equals("authenveloped-data");
        }
        return false;
    }

    private static boolean isPkcs7Mime(BodyPart part) {
        return part.is("application", "pkcs7-mime") || part.is("application", "x-pkcs7-mime");
    }

    /** S/MIME signed-data in one opaque part: signed, and its text is inside the signature. */
    private static boolean isOpaqueSigned(BodyPart part) {
        String smime = part.param("smime-type");
        return isPkcs7Mime(part) && smime != null && smime.trim().equalsIgnoreCase("signed-data");
    }

    static boolean isSignature(BodyPart part) {
        return part.is("application", "pkcs7-signature") || part.is("application", "x-pkcs7-signature")
                || part.is("application", "pgp-signature");
    }

    /** The first text/plain, else text/html, that is no attachment; forwarded messages only if asked. */
    private BodyPart chooseText(BodyPart root, boolean inForwarded) {
        BodyPart plain = first(root, "plain", inForwarded);
        return plain != null ? plain : first(root, "html", inForwarded);
    }

    private BodyPart first(BodyPart part, String subtype, boolean inForwarded) {
        if (isEncryptedContainer(part) || isOpaqueSigned(part)) {
            return null;
        }
        if (part.isMultipart()) {
            for (BodyPart child : part.children()) {
                BodyPart found = first(child, subtype, inForwarded);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (part.message() != null) {
            return inForwarded ? first(part.message(), subtype, true) : null;
        }
        if (part.is("text", subtype) && !part.isAttachment() && part.size() != 0) {
            return part;
        }
        return null;
    }

    /** The other text renderings in the multipart/alternative that holds the text part. */
    private List<BodyPart> alternativesOf(BodyPart text) {
        List<BodyPart> result = new ArrayList<>();
        if (text == null) {
            return result;
        }
        BodyPart p = parents.get(text);
        while (p != null && !p.is("multipart", "alternative")) {
            if (p.message() != null) {
                return result; // stop at a forwarded message's boundary
            }
            p = parents.get(p);
        }
        if (p != null) {
            collectTexts(p, result);
        }
        return result;
    }

    private static void collectTexts(BodyPart part, List<BodyPart> out) {
        if (part.isMultipart()) {
            for (BodyPart child : part.children()) {
                collectTexts(child, out);
            }
        } else if (part.type().equals("text") && (part.subtype().equals("plain") || part.subtype().equals("html")
                || part.subtype().equals("enriched")) && !part.isAttachment()) {
            out.add(part);
        }
    }

    private void listAttachments(BodyPart part, BodyPart text, List<BodyPart> alternatives, List<Attachment> out) {
        if (isEncryptedContainer(part)) {
            return;
        }
        if (part.isMultipart()) {
            for (BodyPart child : part.children()) {
                listAttachments(child, text, alternatives, out);
            }
            return;
        }
        if (part == text || containsIdentity(alternatives, part) || isSignature(part) || isOpaqueSigned(part)
                || isBodyText(part)) {
            return;
        }
        out.add(attachment(part));
    }

    /**
     * A text/plain or text/html that is no attachment: body text a mail client shows in line, not a
     * file. Apple Mail splits a message's text around inline images into several such parts,
     * mailing lists append their footer as one, some mailers send an empty one beside the HTML, and
     * Dovecot describes a multipart without a boundary as one empty part.
     */
    private static boolean isBodyText(BodyPart part) {
        return part.type().equals("text") && (part.subtype().equals("plain") || part.subtype().equals("html"))
                && !part.isAttachment();
    }

    private static boolean containsIdentity(List<BodyPart> parts, BodyPart part) {
        for (BodyPart p : parts) {
            if (p == part) {
                return true;
            }
        }
        return false;
    }

    private Attachment attachment(BodyPart part) {
        String name = part.fileName();
        String id = part.id() == null ? null : stripBrackets(part.id());
        BodyPart parent = parents.get(part);
        // no disposition: an image referred to by cid: from the HTML of a multipart/related is inline
        boolean inline = "inline".equals(part.disposition()) || (part.disposition() == null && id != null
                && !id.isEmpty() && parent != null && parent.is("multipart", "related"));
        if (name != null && name.length() > MAX_NAME) {
            name = name.substring(0, Character.isHighSurrogate(name.charAt(MAX_NAME - 1)) ? MAX_NAME - 1 : MAX_NAME);
        }
        return new Attachment(part.section(), name == null ? "" : name, part.mimeType(), part.size(), inline,
                Optional.ofNullable(id == null || id.isEmpty() ? null : id));
    }

    private static String stripBrackets(String id) {
        String t = id.trim();
        if (t.startsWith("<")) {
            t = t.substring(1);
        }
        if (t.endsWith(">")) {
            t = t.substring(0, t.length() - 1);
        }
        return t.trim();
    }

    private static TextPart textPart(BodyPart part) {
        String charset = part.param("charset");
        String format = part.param("format");
        String delsp = part.param("delsp");
        boolean flowed = format != null && format.trim().equalsIgnoreCase("flowed");
        return new TextPart(part.section(), part.subtype().equals("html"),
                charset == null || charset.isBlank() ? "us-ascii" : charset.trim(), part.encoding(), flowed,
                flowed && delsp != null && delsp.trim().equalsIgnoreCase("yes"), part.size());
    }
}
