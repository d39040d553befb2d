package dev.imapsync.content;

import dev.imapsync.internal.mail.MimeBody.InlinePart;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Makes an email's HTML safe to show, with jsoup's allowlist: only the elements and attributes
 * of {@link Safelist#relaxed()} survive (text, links, lists, tables, images), so no script, no
 * style element or attribute (no CSS {@code url()} or overlay tricks), no event handler, no
 * form, frame, SVG, {@code meta} refresh or {@code base}; links only to http, https and mailto,
 * with {@code rel="noopener noreferrer nofollow"}. Images:
 * <ul>
 *   <li>{@code cid:} images of the message itself become {@code data:} URIs when the part is an
 *       image small enough to have been read; others keep their {@code cid:} address and get a
 *       {@code data-part} attribute with the part number, so a host can serve them from
 *       {@link MessageOpener#attachment};</li>
 *   <li>remote ({@code http}, {@code https}) images are kept only when the caller allowed them;
 *       otherwise their address moves to {@code data-remote-src}, which no browser loads, and
 *       they are counted so that a page can offer "show images";</li>
 *   <li>any other address (a sender's own {@code data:} URI, {@code javascript:}) is removed.</li>
 * </ul>
 */
final class HtmlSanitizer {
    private static final Safelist SAFELIST = Safelist.relaxed()
            .removeTags("img")
            .addTags("img", "font", "center", "hr")
            .addAttributes("img", "alt", "title", "width", "height", "src")
            .addProtocols("img", "src", "http", "https", "cid")
            .addAttributes("font", "color", "face", "size")
            .addAttributes(":all", "dir", "lang", "align")
            .addEnforcedAttribute("a", "rel", "noopener noreferrer nofollow");

    private HtmlSanitizer() {
    }

    /** The sanitized HTML (a body fragment) and how many remote images were held back. */
    record Sanitized(String html, int remoteImagesBlocked) {
    }

    static Sanitized sanitize(String html, Map<String, InlinePart> inline, boolean remoteImages) {
        Document dirty = Jsoup.parse(html);
        Document clean = new Cleaner(SAFELIST).clean(dirty);
        int blocked = 0;
        for (Element img : clean.select("img")) {
            String src = img.attr("src").trim();
            String lower = src.toLowerCase(Locale.ROOT);
            if (lower.startsWith("cid:")) {
                InlinePart part = inline.get(cid(src.substring(4)));
                if (part != null && part.bytes().isPresent() && part.mimeType().startsWith("image/")) {
                    img.attr("src", "data:" + part.mimeType() + ";base64,"
                            + Base64.getEncoder().encodeToString(part.bytes().get()));
                } else if (part != null) {
                    img.attr("data-part", part.part());
                } else {
                    img.removeAttr("src");
                }
            } else if (lower.startsWith("http://") || lower.startsWith("https://")) {
                if (!remoteImages) {
                    img.removeAttr("src");
                    img.attr("data-remote-src", src);
                    blocked++;
                }
            } else {
                img.removeAttr("src");
            }
        }
        clean.outputSettings().prettyPrint(false);
        return new Sanitized(clean.body().html(), blocked);
    }

    /** A {@code cid:} address's Content-ID: URL-decoded (RFC 2392), without angle brackets. */
    private static String cid(String address) {
        String id = address;
        try {
            id = java.net.URLDecoder.decode(address.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not percent-encoded after all: take it as it is
        }
        if (id.startsWith("<") && id.endsWith(">") && id.length() > 2) {
            id = id.substring(1, id.length() - 1);
        }
        return id;
    }
}
