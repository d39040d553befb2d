package dev.imapsync.internal.content;

import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML to plain text with jsoup, for a preview: head, style, script, quoted replies (Gmail's
 * {@code gmail_quote}, Apple Mail's and Thunderbird's {@code blockquote type=cite}, any
 * blockquote, Yahoo's {@code yahoo_quoted}, ProtonMail's {@code protonmail_quote}, what follows
 * Outlook on the web's {@code divRplyFwdMsg} or {@code appendonsend}) and signature blocks dropped, images dropped, entities decoded, and one line
 * break per block element so the plain-text rules that follow ("On … wrote:", Outlook's
 * "From: … Sent:" block) see lines as the reader does.
 */
final class HtmlText {
    private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2",
            "h3", "h4", "h5", "h6", "pre", "hr", "dd", "dt", "dl", "section", "article", "header", "footer",
            "address", "center", "form", "fieldset", "td", "th");

    private static final Pattern SPACES = Pattern.compile("[ \\t\\r\\f\\u00a0]+");

    private HtmlText() {
    }

    private static boolean inPre(Node node) {
        for (Node p = node.parent(); p != null; p = p.parent()) {
            if (p instanceof Element && ((Element) p).normalName().equals("pre")) {
                return true;
            }
        }
        return false;
    }

    static String toText(String html) {
        Document doc = Jsoup.parse(html);
        doc.select("head, style, script, title, template, noscript, img, blockquote, .gmail_quote, "
                + ".gmail_signature, #divRplyFwdMsg, #divRplyFwdMsg ~ *, #appendonsend ~ *, .moz-signature, .moz-cite-prefix,"
                + " .yahoo_quoted, .protonmail_quote, .protonmail_signature_block").remove();
        StringBuilder out = new StringBuilder(html.length() / 2 + 16);
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode) {
                    String t = ((TextNode) node).getWholeText();
                    out.append(inPre(node) ? t : t.replace('\r', ' ').replace('\n', ' '));
                } else if (node instanceof Element && BLOCKS.contains(((Element) node).normalName())) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element && BLOCKS.contains(((Element) node).normalName())
                        && !((Element) node).normalName().equals("br")) {
                    out.append('\n');
                }
            }
        }, doc.body() == null ? doc : doc.body());
        // white space inside a line is the HTML's own formatting: one space, but keep line breaks
        StringBuilder text = new StringBuilder(out.length());
        for (String line : out.toString().split("\n", -1)) {
            text.append(SPACES.matcher(line).replaceAll(" ").strip()).append('\n');
        }
        return text.toString();
    }
}
