package dev.imapsync.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.Attachment;
import dev.imapsync.testing.MimeCorpus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The corpus against a real server: each message appended as it is, its BODYSTRUCTURE fetched raw
 * and planned, the text part's first 4 KiB fetched with BODY.PEEK (and BINARY.PEEK where offered)
 * and extracted; all of it compared with what Jakarta Mail's parser makes of the whole message
 * ({@link MimeOracle}).
 */
final class PreviewCorpusCheck {
    static final int PREFIX = 4096;
    private static final PreviewExtractor EXTRACTOR = new PreviewExtractor(PreviewExtractor.DEFAULT_MAX_CHARS);
    private static final PreviewExtractor WHOLE = new PreviewExtractor(1 << 20);

    private PreviewCorpusCheck() {
    }

    /**
     * Appends the corpus to {@code folder} (which must exist and be empty) and returns one test per message.
     *
     * @param skipped  messages the server cannot store or describe (not appended)
     * @param planOnly messages whose text part the server cannot serve (only the plan is checked)
     */
    static Stream<DynamicTest> appendAndCheck(RawImap imap, String folder, boolean binary, Set<String> skipped,
                                              Set<String> planOnly) throws Exception {
        return appendAndCheck(imap, folder, binary, skipped, planOnly, false);
    }

    /** As above; {@code recorded}: the BODYSTRUCTURE must be {@link MimeCorpus#dovecotBodyStructure}'s. */
    static Stream<DynamicTest> appendAndCheck(RawImap imap, String folder, boolean binary, Set<String> skipped,
                                              Set<String> planOnly, boolean recorded) throws Exception {
        List<MimeCorpus.Message> corpus = new ArrayList<>(MimeCorpus.all());
        corpus.removeIf(m -> skipped.contains(m.name()));
        for (MimeCorpus.Message m : corpus) {
            imap.append(folder, m.bytes());
        }
        imap.command("SELECT " + RawImap.quote(folder));
        List<byte[]> fetched = imap.command("FETCH 1:* (UID BODYSTRUCTURE)");
        assertThat(fetched).as("one FETCH response per corpus message").hasSize(corpus.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            MimeCorpus.Message message = corpus.get(i);
            byte[] response = fetched.get(i);
            tests.add(DynamicTest.dynamicTest(message.name(), () -> {
                if (recorded) {
                    assertThat(bodyStructure(response)).as("the recording of %s in bodystructures-dovecot.txt (re-record"
                            + " it when the project's Dovecot changes)", message.name())
                            .isEqualTo(new String(MimeCorpus.dovecotBodyStructure(message.name()), StandardCharsets.UTF_8));
                }
                check(imap, message, response, binary, planOnly.contains(message.name()));
            }));
        }
        return tests.stream();
    }

    private static void check(RawImap imap, MimeCorpus.Message message, byte[] response, boolean binary,
                              boolean planOnly) throws Exception {
        int at = indexOf(response, "BODYSTRUCTURE (", 0) + "BODYSTRUCTURE ".length();
        long uid = uid(response);
        PreviewPlan plan = PreviewPlanner.plan(response, at, response.length - at);
        MimeOracle.Expected expected;
        try {
            expected = MimeOracle.of(message.bytes());
        } catch (Exception unreadable) {
            // Jakarta cannot read it either (a broken structure): the plan must still be a plan
            assertThat(plan).isNotNull();
            assertThat(plan.attachments()).allSatisfy(a -> assertThat(a.part()).isNotEmpty());
            return;
        }
        assertThat(plan.warnings()).as("warnings for %s", new String(response, StandardCharsets.UTF_8)).isEmpty();
        assertThat(plan.encrypted()).as("encrypted").isEqualTo(expected.encrypted());
        assertThat(plan.signed()).as("signed").isEqualTo(expected.signed());
        assertThat(plan.calendarMethod()).as("calendar method").isEqualTo(expected.calendarMethod());
        assertThat(plan.attachments().stream().map(PreviewCorpusCheck::att).toList()).as("attachments")
                .isEqualTo(expected.attachments());
        assertThat(plan.attachments()).allSatisfy(a -> assertThat(a.size()).as("size of %s", a.part()).isPositive());
        assertThat(plan.text().map(TextPart::section)).as("text part").isEqualTo(expected.section());
        if (plan.text().isEmpty() || planOnly) {
            return;
        }
        TextPart part = plan.text().get();
        assertThat(part.html()).as("html").isEqualTo(expected.html());
        assertThat(part.flowed()).as("flowed").isEqualTo(expected.flowed());
        String oracle = expected.text().map(t -> whole(t, part)).orElse("");

        byte[] body = fetchPart(imap, uid, "BODY.PEEK", part.section());
        checkPreview(part, body, false, oracle, expected.text().isPresent());
        if (binary) {
            byte[] decoded = fetchPart(imap, uid, "BINARY.PEEK", part.section());
            checkPreview(part, decoded, true, oracle, expected.text().isPresent());
        }
    }

    private static void checkPreview(TextPart part, byte[] body, boolean decoded, String oracle, boolean readable) {
        boolean cut = PreviewExtractor.isCut(part, PREFIX, body.length, decoded);
        if (!decoded) {
            assertThat(cut).as("cut").isEqualTo(part.size() > PREFIX);
        }
        PreviewText preview = EXTRACTOR.extract(part, body, 0, body.length, decoded, cut);
        String how = (decoded ? "BINARY" : "BODY") + " preview";
        if (!readable) {
            assertThat(preview.text()).as(how).isEmpty();
            assertThat(preview.warnings()).as(how + " warnings").isNotEmpty();
            return;
        }
        assertThat(preview.warnings()).as(how + " warnings").isEmpty();
        if (oracle.isEmpty()) {
            assertThat(preview.text()).as(how).isEmpty();
            return;
        }
        assertThat(preview.text()).as(how).isNotEmpty();
        assertThat(oracle).as(how + " is the start of the oracle's text").startsWith(preview.text());
        assertThat(preview.truncated()).as(how + " truncated: %s of %s chars", preview.text().length(),
                oracle.length()).isEqualTo(oracle.length() > preview.text().length());
        assertThat(preview.text().length()).isLessThanOrEqualTo(PreviewExtractor.DEFAULT_MAX_CHARS);
        assertThat(PreviewPlanner.plan(new byte[0], 0, 0).toPreview(preview).text()).isEqualTo(preview.text());
    }

    /** The oracle's text through the same rules from the decoded string on, whole and uncut. */
    private static String whole(String text, TextPart part) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        TextPart asUtf8 = new TextPart("1", part.html(), "utf-8", "8bit", part.flowed(), part.delSp(), utf8.length);
        return WHOLE.extract(asUtf8, utf8, 0, utf8.length, true, false).text();
    }

    private static byte[] fetchPart(RawImap imap, long uid, String item, String section) throws Exception {
        List<byte[]> r = imap.command("UID FETCH " + uid + " (" + item + "[" + section + "]<0." + PREFIX + ">)");
        assertThat(r).as(item + " response").isNotEmpty();
        byte[] b = r.get(0);
        String name = item.replace(".PEEK", "") + "[" + section + "]<0>";
        int p = indexOf(b, name, 0);
        assertThat(p).as("%s in %s", name, new String(b, StandardCharsets.UTF_8)).isNotNegative();
        p += name.length();
        while (b[p] == ' ') {
            p++;
        }
        if (b[p] == '~') {
            p++; // literal8 of BINARY (RFC 3516)
        }
        if (b[p] == '{') {
            int close = indexOf(b, "}\r\n", p);
            int size = Integer.parseInt(new String(b, p + 1, close - p - 1, StandardCharsets.US_ASCII));
            return Arrays.copyOfRange(b, close + 3, close + 3 + size);
        }
        if (b[p] == '"') {
            int end = p + 1;
            while (b[end] != '"') {
                end++;
            }
            return Arrays.copyOfRange(b, p + 1, end);
        }
        return new byte[0]; // NIL
    }

    /** The BODYSTRUCTURE value of a FETCH response without literals, as text. */
    private static String bodyStructure(byte[] response) {
        int at = indexOf(response, "BODYSTRUCTURE (", 0) + "BODYSTRUCTURE ".length();
        int depth = 0;
        boolean quoted = false;
        for (int i = at; i < response.length; i++) {
            byte c = response[i];
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return new String(response, at, i + 1 - at, StandardCharsets.UTF_8);
            }
        }
        return new String(response, at, response.length - at, StandardCharsets.UTF_8);
    }

    private static long uid(byte[] response) {
        int p = indexOf(response, "UID ", 0) + 4;
        long uid = 0;
        while (response[p] >= '0' && response[p] <= '9') {
            uid = uid * 10 + (response[p++] - '0');
        }
        return uid;
    }

    private static MimeOracle.Att att(Attachment a) {
        return new MimeOracle.Att(a.part(), a.name(), a.mimeType(), a.inline(), a.contentId());
    }

    static int indexOf(byte[] b, String what, int from) {
        byte[] w = what.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= b.length - w.length; i++) {
            for (int k = 0; k < w.length; k++) {
                int c = b[i + k];
                int d = w[k];
                if (c != d && !(Character.isLetter(d) && (c | 0x20) == (d | 0x20))) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
