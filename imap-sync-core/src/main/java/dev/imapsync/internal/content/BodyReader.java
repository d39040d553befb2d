package dev.imapsync.internal.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the bodies of a BODYSTRUCTURE list (RFC 9051 section 7.5.2, RFC 3501 section 7.4.2) and
 * numbers them as {@code BODY[section]} does: a multipart's children 1..n below the multipart's
 * number, the body of a message/rfc822 part below the part ({@code 2.1}, or {@code 2.1}, {@code 2.2}
 * for a multipart body), a single-part message {@code 1}.
 *
 * <p>Lenient where servers differ: extension data may be absent or NIL (Courier and old Exchange
 * omit it, Gmail sends it), a disposition may come as a bare string (some Exchange versions), case
 * varies (Gmail upper-cases types, Dovecot keeps the sender's case). A message/rfc822 part without
 * its envelope and body (a few servers for broken parts) is read as a plain leaf.
 */
final class BodyReader {
    static final int MAX_DEPTH = 16;
    static final int MAX_PARTS = 500;

    private int parts;

    private BodyReader() {
    }

    static BodyPart read(Sexp root) throws SexpReader.Malformed {
        BodyReader reader = new BodyReader();
        if (isMultipart(root)) {
            return reader.body(root, "", 0);
        }
        return reader.body(root, "1", 0);
    }

    private static boolean isMultipart(Sexp body) {
        return body.isList() && body.size() > 0 && body.get(0).isList();
    }

    private BodyPart body(Sexp body, String section, int depth) throws SexpReader.Malformed {
        if (depth > MAX_DEPTH) {
            throw new SexpReader.Malformed("BODYSTRUCTURE nests parts deeper than " + MAX_DEPTH);
        }
        if (++parts > MAX_PARTS) {
            throw new SexpReader.Malformed("BODYSTRUCTURE has more than " + MAX_PARTS + " parts");
        }
        if (!body.isList() || body.size() == 0) {
            throw new SexpReader.Malformed("a body of BODYSTRUCTURE is " + (body.isList() ? "an empty list" : "no list"));
        }
        return isMultipart(body) ? multipart(body, section, depth) : single(body, section, depth);
    }

    private BodyPart multipart(Sexp body, String section, int depth) throws SexpReader.Malformed {
        List<BodyPart> children = new ArrayList<>();
        int i = 0;
        while (i < body.size() && body.get(i).isList()) {
            String childSection = section.isEmpty() ? Integer.toString(i + 1) : section + "." + (i + 1);
            children.add(body(body.get(i), childSection, depth + 1));
            i++;
        }
        String subtype = lower(body.get(i).text(), "mixed");
        Map<String, String> params = MimeParams.read(body.get(i + 1));
        Sexp disposition = body.get(i + 2);
        return new BodyPart(section, "multipart", subtype, params, null, "7bit", -1, dispositionType(disposition),
                MimeParams.read(dispositionParams(disposition)), List.copyOf(children), null);
    }

    private BodyPart single(Sexp body, String section, int depth) throws SexpReader.Malformed {
        String type = lower(body.get(0).text(), "application");
        String subtype = lower(body.get(1).text(), "octet-stream");
        Map<String, String> params = MimeParams.read(body.get(2));
        String id = body.get(3).text();
        String encoding = lower(body.get(5).text(), "7bit");
        long size = number(body.get(6));
        int next = 7;
        BodyPart message = null;
        if (type.equals("text")) {
            next = 8; // body-fld-lines
        } else if (type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"))
                && body.get(7).isList() && body.get(8).isList()) {
            message = isMultipart(body.get(8)) ? body(body.get(8), section, depth + 1)
                    : body(body.get(8), section + ".1", depth + 1);
            next = 10; // envelope, body, body-fld-lines
        }
        Sexp disposition = body.get(next + 1); // after body-fld-md5
        return new BodyPart(section, type, subtype, params, id, encoding, size, dispositionType(disposition),
                MimeParams.read(dispositionParams(disposition)), List.of(), message);
    }

    private static String dispositionType(Sexp disposition) {
        if (disposition.isList()) {
            return lower(disposition.get(0).text(), null);
        }
        return lower(disposition.text(), null);
    }

    private static Sexp dispositionParams(Sexp disposition) {
        return disposition.isList() ? disposition.get(1) : Sexp.NIL;
    }

    private static long number(Sexp item) {
        String text = item.text();
        if (text == null || text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String lower(String text, String absent) {
        if (text == null) {
            return absent;
        }
        String t = text.trim();
        return t.isEmpty() ? absent : t.toLowerCase(Locale.ROOT);
    }
}
