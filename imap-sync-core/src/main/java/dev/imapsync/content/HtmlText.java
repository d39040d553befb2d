package dev.imapsync.content;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The text of an HTML body, for a message that has no plain-text part: paragraphs, line breaks,
 * list items and table rows on lines of their own, runs of spaces collapsed, links followed by
 * their address when it differs from their text. Script, style and head content is not text.
 */
final class HtmlText {
    /** Elements that stand apart by a blank line. */
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
            "pre", "table", "ul", "ol", "dl", "hr");
    /** Elements that start a line of their own. */
    private static final Set<String> LINES = Set.of("div", "br", "li", "tr", "dt", "dd", "section", "article",
            "header", "footer", "address");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title", "template", "noscript");

    private HtmlText() {
    }

    static String of(String html) {
        Element body = Jsoup.parse(html).body();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            private int skipping;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e && SKIPPED.contains(e.normalName())) {
                    skipping++;
                } else if (skipping == 0 && node instanceof TextNode t) {
                    appendCollapsed(out, t.getWholeText());
                } else if (skipping == 0 && node instanceof Element e) {
                    lineBreak(out, e.normalName());
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && SKIPPED.contains(e.normalName())) {
                    skipping--;
                } else if (skipping == 0 && node instanceof Element e) {
                    if (e.normalName().equals("a")) {
                        String href = e.attr("href");
                        if (href.startsWith("http") && !e.text().strip().equals(href)) {
                            out.append(" <").append(href).append('>');
                        }
                    } else if (!e.normalName().equals("br")) {
                        lineBreak(out, e.normalName());
                    }
                }
            }
        }, body);
        return out.toString().replaceAll("\n{3,}", "\n\n").strip();
    }

    private static void appendCollapsed(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = Character.isWhitespace(c) || c == '\u00a0';
            if (space) {
                int last = out.length() - 1;
                if (last >= 0 && out.charAt(last) != ' ' && out.charAt(last) != '\n') {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
        }
    }

    /** Ends the line (a blank line after a paragraph), once however many elements end there. */
    private static void lineBreak(StringBuilder out, String element) {
        int lines = PARAGRAPHS.contains(element) ? 2 : LINES.contains(element) ? 1 : 0;
        if (lines == 0) {
            return;
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        if (end == 0) {
            return;
        }
        int have = 0;
        while (have < end && out.charAt(end - 1 - have) == '\n') {
            have++;
        }
        for (int i = have; i < lines; i++) {
            out.append('\n');
        }
    }
}
