package dev.imapsync.internal.content;

/**
 * Undoes {@code format=flowed} (RFC 3676 section 4): a line that ends in a space flows into the
 * next one of the same quote depth (with DelSp the space is removed), space-stuffing is undone,
 * and the signature separator "-- " stays a line of its own. Quote markers are kept, so quoted
 * lines are still recognised afterwards.
 */
final class FlowedText {
    private FlowedText() {
    }

    static String unwrap(String text, boolean delSp) {
        StringBuilder out = new StringBuilder(text.length());
        String[] lines = text.split("\r?\n", -1);
        int paragraphDepth = -1; // quote depth of the paragraph being joined, -1 when none
        for (String raw : lines) {
            int depth = 0;
            while (depth < raw.length() && raw.charAt(depth) == '>') {
                depth++;
            }
            String line = raw.substring(depth);
            if (line.startsWith(" ")) {
                line = line.substring(1); // space-stuffing
            }
            if (paragraphDepth >= 0 && paragraphDepth != depth) {
                out.append('\n'); // a flowed line followed by one of another depth: RFC 3676 4.5 ends it
                paragraphDepth = -1;
            }
            if (paragraphDepth < 0) {
                out.append(">".repeat(depth));
                if (depth > 0) {
                    out.append(' ');
                }
            }
            boolean flowed = line.endsWith(" ") && !line.equals("-- ");
            if (flowed && delSp) {
                line = line.substring(0, line.length() - 1);
            }
            out.append(line);
            if (flowed) {
                paragraphDepth = depth;
            } else {
                out.append('\n');
                paragraphDepth = -1;
            }
        }
        return out.toString();
    }
}
