package dev.imapsync.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The extractor's shortcuts change no preview: trimming and collapsing stop once the preview is
 * decided ({@link Previews#enough}), and lines are split without a regex. Each is checked against
 * the long way on random texts made of what the trimmer looks for (quotes, attributions,
 * signatures, Outlook headers, forwards, mobile signatures) and of white space of every kind.
 */
class PreviewShortcutsTest {
    private static final long SEED = Long.getLong("imapsync.fuzz.seed", 20261207L);
    private static final int TRIES = Integer.getInteger("imapsync.fuzz.tries", 2_000);
    private static final List<String> LINES = List.of(
            "Hello Anna, the figures for the third quarter look right to me.",
            "Grüße aus Köln, und bis Montag", "短い日本語の行です。", "word", "",
            "  \u00a0 \u200b ", "\t", "> quoted text that is not ours", ">> deeper",
            "On Mon, 1 Jan 2026, Anna <a@example.com> wrote:", "On Monday, Anna Schmidt", "<a@example.com> wrote:",
            "Am 1. Januar schrieb Jürgen:", "-- ", "--", "-----Original Message-----", "From: Anna",
            "Sent: Monday", "Date: today", "__________________", "Sent from my iPhone", "sent via phone",
            "---------- Forwarded message ---------", "Subject: the forward", "To: tom@example.net",
            "Begin forwarded message:", "ſent from my phone", "a very long line " + "blah ".repeat(60),
            "emphasis: *yes*", "el lunes", "x\u0007y");
    private static final List<String> BREAKS = List.of("\r\n", "\n", "\r", "\r\n", "\n\n");

    @Test
    void stoppingEarlyGivesThePreviewOfTheWholeText() {
        Random random = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            String text = randomText(random);
            int maxChars = 1 + random.nextInt(random.nextBoolean() ? 60 : 400);
            boolean cut = random.nextBoolean();
            boolean signed = random.nextBoolean();

            PreviewText quick = Previews.shorten(ReplyTrimmer.trim(text, Previews.enough(maxChars)), cut, maxChars,
                    List.of(), signed);
            PreviewText whole = Previews.shorten(ReplyTrimmer.trim(text), cut, maxChars, List.of(), signed,
                    Integer.MAX_VALUE);

            assertThat(quick).as("seed %s, try %s, %s chars, cut %s: %s", SEED, i, maxChars, cut, text)
                    .isEqualTo(whole);
        }
    }

    @Test
    void linesAreSplitAsTheRegexSplitsThem() {
        Random random = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append("ab\r\n \t".charAt(random.nextInt(6)));
            }
            assertThat(ReplyTrimmer.lines(text.toString())).as("%s", text.toString().replace("\r", "\\r")
                    .replace("\n", "\\n")).containsExactly(text.toString().split("\r\n|\r|\n", -1));
        }
    }

    @Test
    void aLongTextIsStillCutOnAWordAndMarkedTruncated() {
        String text = "The quarterly figures are attached. ".repeat(200);

        PreviewText preview = new PreviewExtractor(50).extract(
                new TextPart("1", false, "us-ascii", "7bit", false, false, text.length()),
                text.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, text.length(), false, false);

        assertThat(preview.text()).isEqualTo("The quarterly figures are attached. The quarterly");
        assertThat(preview.truncated()).isTrue();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(25); n > 0; n--) {
            text.append(LINES.get(random.nextInt(LINES.size()))).append(BREAKS.get(random.nextInt(BREAKS.size())));
        }
        if (random.nextBoolean() && text.length() > 0) {
            text.setLength(random.nextInt(text.length())); // a prefix cut anywhere, as a partial fetch gives
        }
        return text.toString();
    }
}
