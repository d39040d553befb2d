package dev.imapsync.internal.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps a message's own words: drops quoted lines ({@code >}), the attribution line of a quote
 * ("On … wrote:", also over up to three lines, and the German, French, Spanish, Dutch, Italian and
 * Portuguese forms), and
 * stops at what only precedes quoted or signature text: the "-- " separator, Outlook's
 * "-----Original Message-----" and its "From: … Sent: …" header block, and a line of underscores
 * before such a block. Mobile signatures ("Sent from my iPhone") are dropped as lines. A forwarded
 * message's lead-in ("---------- Forwarded message ---------") ends the text when the sender wrote
 * a note above it, else its header lines are skipped and the forwarded text is the preview.
 */
final class ReplyTrimmer {
    /** An attribution line, whole: "On Mon, 1 Jan 2026, Anna <a@b> wrote:". */
    private static final Pattern ATTRIBUTION = Pattern.compile(
            "^(on\\b.*\\bwrote|am\\b.*\\bschrieb\\b.*|le\\b.*\\ba\\s+écrit|el\\b.*\\bescribió|op\\b.*\\bschreef\\b.*"
                    + "|il\\b.*\\bha\\s+scritto|em\\b.*\\bescreveu)\\s*:\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    private static final Pattern ATTRIBUTION_START = Pattern.compile("^(on|am|le|el|op|il|em)\\s.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ORIGINAL_MESSAGE = Pattern.compile(
            "^-{3,}\\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|"
                    + "messaggio originale|oorspronkelijk bericht)\\s*-{3,}$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** Gmail's, Apple Mail's, Thunderbird's and Outlook's lead-in to a forwarded message, in a few languages. */
    private static final Pattern FORWARDED = Pattern.compile(
            "^(-{3,}\\s*(forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado"
                    + "|messaggio inoltrato|doorgestuurd bericht|original message follows)\\s*-{3,}|begin forwarded message:)$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern HEADER_LINE = Pattern.compile("^\\*?[\\p{L} -]{2,20}\\s*:\\*?.*", Pattern.DOTALL);
    private static final Pattern HEADER_FROM = Pattern.compile("^\\*?(from|von|de|da|van)\\s*:\\*?.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_SENT = Pattern.compile(
            "^\\*?(sent|date|gesendet|datum|envoyé|date d'envoi|enviado|enviado el|fecha|inviato|verzonden)\\s*:\\*?.*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern MOBILE = Pattern.compile(
            "^(sent from my .*|sent from (mail|outlook|yahoo mail) for .*|get outlook for .*|sent from outlook"
                    + "( for .*)?|sent via .*|von meinem .* gesendet|gesendet von meinem .*|envoyé de mon .*"
                    + "|enviado desde mi .*|inviato da .*)$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** The kept text, and whether it stopped at a marker rather than running to the end of the input. */
    record Result(String text, boolean stoppedEarly, boolean lastLineKept) {
    }

    private ReplyTrimmer() {
    }

    static Result trim(String text) {
        return trim(text, Integer.MAX_VALUE);
    }

    /**
     * As {@link #trim(String)}, stopping (as at a marker) once the kept lines hold {@code enough}
     * characters other than white space: a preview cut to length does not depend on what follows
     * ({@link Previews#enough}).
     */
    static Result trim(String text, int enough) {
        String[] lines = lines(text);
        StringBuilder out = new StringBuilder(text.length());
        boolean lastLineKept = true;
        int visible = 0;
        int i = 0;
        while (i < lines.length) {
            if (visible >= enough) {
                return new Result(out.toString(), true, false);
            }
            String line = lines[i];
            String t = line.strip();
            if (t.isEmpty()) {
                out.append('\n');
                i++;
                continue;
            }
            if (t.startsWith(">")) {
                lastLineKept = false;
                i++;
                continue;
            }
            // the first character rules most lines out before a regex (each costs a Matcher per line)
            char first = t.charAt(0);
            boolean dashes = first == '-';
            if ((dashes || first == 'b' || first == 'B') && FORWARDED.matcher(t).matches()) {
                if (!out.toString().isBlank()) {
                    return new Result(out.toString(), true, false); // the sender's note is the preview
                }
                i = afterHeaderBlock(lines, i + 1); // nothing of its own: preview the forwarded text
                continue;
            }
            if (line.equals("-- ") || t.equals("--") || (dashes && ORIGINAL_MESSAGE.matcher(t).matches())) {
                return new Result(out.toString(), true, false);
            }
            if (isHeaderBlock(lines, i) || (t.length() >= 10 && first == '_' && t.chars().allMatch(c -> c == '_')
                    && isHeaderBlock(lines, nextNonEmpty(lines, i + 1)))) {
                return new Result(out.toString(), true, false);
            }
            int attribution = attributionLength(lines, i);
            if (attribution > 0) {
                int next = nextNonEmpty(lines, i + attribution);
                if (next < lines.length && lines[next].strip().startsWith(">")) {
                    i += attribution; // the quote is marked line by line: an interleaved reply may follow
                    lastLineKept = false;
                    continue;
                }
                return new Result(out.toString(), true, false);
            }
            // MOBILE's phrases start with s, g, v, e or i; UNICODE_CASE folds some other letters to
            // them (the long s), so a letter beyond ASCII still goes to the regex
            if (t.length() < 80 && (first >= 128 || "sgveiSGVEI".indexOf(first) >= 0) && MOBILE.matcher(t).matches()) {
                lastLineKept = false;
                i++;
                continue;
            }
            out.append(line).append('\n');
            visible += Previews.visibleLength(line);
            lastLineKept = true;
            i++;
        }
        return new Result(out.toString(), false, lastLineKept);
    }

    /**
     * The text's lines, split at CRLF, CR or LF, trailing empty ones kept: what
     * {@code text.split("\\r\\n|\\r|\\n", -1)} gives, without compiling and running a regex
     * for every preview (measured: that split was a third of the extraction's time).
     */
    static String[] lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines.toArray(new String[0]);
    }

    /** The line after the "From:", "Date:", "Subject:", "To:" lines that follow a forward's lead-in. */
    private static int afterHeaderBlock(String[] lines, int i) {
        int k = nextNonEmpty(lines, i);
        int start = k;
        while (k < lines.length && k - start < 12 && !lines[k].isBlank()
                && HEADER_LINE.matcher(lines[k].strip()).matches()) {
            k++;
        }
        return k;
    }

    private static int nextNonEmpty(String[] lines, int i) {
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        return i;
    }

    /** "From: …" followed within four lines by "Sent: …" or "Date: …": Outlook's quoted header. */
    private static boolean isHeaderBlock(String[] lines, int i) {
        // "From:" and its translations: no colon, no header line (spares a regex per line)
        if (i >= lines.length || lines[i].indexOf(':') < 0 || !HEADER_FROM.matcher(lines[i].strip()).matches()) {
            return false;
        }
        for (int k = i + 1; k < Math.min(lines.length, i + 5); k++) {
            if (HEADER_SENT.matcher(lines[k].strip()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** How many lines from {@code i} make an attribution line (mailers wrap long ones), or 0. */
    private static int attributionLength(String[] lines, int i) {
        String first = lines[i].strip();
        // every opening word of ATTRIBUTION_START has two letters, then white space (spares a regex per line)
        if (first.length() > 400 || first.length() < 3 || !Character.isWhitespace(first.charAt(2))
                || !ATTRIBUTION_START.matcher(first).matches()) {
            return 0;
        }
        StringBuilder joined = new StringBuilder(first);
        for (int n = 1; n <= 3 && i + n - 1 < lines.length; n++) {
            if (n > 1) {
                String more = lines[i + n - 1].strip();
                if (more.isEmpty()) {
                    return 0;
                }
                joined.append(' ').append(more);
            }
            String candidate = joined.toString().toLowerCase(Locale.ROOT);
            if (candidate.endsWith(":") && ATTRIBUTION.matcher(candidate).matches()) {
                return n;
            }
        }
        return 0;
    }
}
