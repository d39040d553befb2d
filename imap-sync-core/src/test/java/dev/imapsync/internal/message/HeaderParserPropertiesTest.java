package dev.imapsync.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.EmailAddress;
import dev.imapsync.testing.Fuzz;
import dev.imapsync.testing.Fuzz.Gen;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The header parser's promises checked on generated inputs. {@link HeaderParserFuzzTest} throws
 * random bytes, corpus mutations and a fixed list of huge adversaries at the parser; this class
 * adds what that one does not: header blocks built from a grammar of hostile parts (addresses
 * with nested comments, groups, routes and domain literals; encoded words with unknown charsets,
 * broken base64 and Q; NULs, bare CR and LF, 8-bit bytes, huge lines) under random limits, the
 * {@code parse(bytes, offset, length)} entry point, and determinism across the per-thread
 * buffers the parser reuses. What it proves, for every generated input:
 * <ul>
 *   <li>any bytes and any hostile block, under any limits, parse without an exception and
 *       within every limit (addresses, references, lengths, no controls in text, short
 *       one-line warnings);</li>
 *   <li>nothing past {@code maxHeaderBytes} is read;</li>
 *   <li>a slice of a larger buffer parses as the same block copied out;</li>
 *   <li>the parse depends on the input only (not on earlier parses, the thread or the array);</li>
 *   <li>an encoded word over the length limit is kept as written.</li>
 * </ul>
 *
 * <p>Each property runs {@link Fuzz#TRIES} tries, each on its own seeded generator: 2,000 unless
 * {@code -Dimapsync.fuzz.tries=N} says otherwise (the module's surefire configuration passes
 * it on), e.g.
 * {@code mvn -pl imap-sync-core test -Dtest=HeaderParserPropertiesTest -Dimapsync.fuzz.tries=200000}.
 * The seed is fixed unless {@code -Dimapsync.fuzz.seed=S} (or {@code random}) is given; a failure
 * prints the failing try's seed, the command that replays it, and the inputs it drew, escaped
 * and cut to a readable length. Inputs are not shrunk.
 */
class HeaderParserPropertiesTest {

    // ---- properties

    /** Any bytes at all, with any limits: no exception, and every limit holds. */
    @Test
    void arbitraryBytesNeverBreakTheParserAndStayWithinItsLimits() {
        Fuzz.check("HeaderParserPropertiesTest#arbitraryBytesNeverBreakTheParserAndStayWithinItsLimits", g -> {
            byte[] input = g.draw("input", HeaderParserPropertiesTest::anyBytes);
            HeaderParser parser = g.draw("parser", HeaderParserPropertiesTest::limits);

            MessageHeaders headers = parser.parse(input);

            assertWithinLimits(parser, input, headers);
        });
    }

    /** Header blocks built from hostile parts: no exception, and every limit holds. */
    @Test
    void hostileHeaderBlocksNeverBreakTheParserAndStayWithinItsLimits() {
        Fuzz.check("HeaderParserPropertiesTest#hostileHeaderBlocksNeverBreakTheParserAndStayWithinItsLimits", g -> {
            byte[] input = g.draw("input", HeaderParserPropertiesTest::hostileBlock);
            HeaderParser parser = g.draw("parser", HeaderParserPropertiesTest::limits);

            MessageHeaders headers = parser.parse(input);

            assertWithinLimits(parser, input, headers);
        });
    }

    /**
     * Nothing past {@code maxHeaderBytes} is read: the block and the block cut at the last line
     * end inside the limit give the same parse, apart from the warning about the cut.
     */
    @Test
    void nothingBeyondMaxHeaderBytesIsRead() {
        Fuzz.check("HeaderParserPropertiesTest#nothingBeyondMaxHeaderBytesIsRead", g -> {
            byte[] head = g.draw("head", HeaderParserPropertiesTest::hostileBlock);
            byte[] tail = g.draw("tail", HeaderParserPropertiesTest::hostileBlock);
            int maxHeaderBytes = g.draw("maxHeaderBytes", r -> r.between(1024, 4096));

            HeaderParser parser = HeaderParser.builder().maxHeaderBytes(maxHeaderBytes).build();
            byte[] input = concat(head, tail);
            if (input.length <= maxHeaderBytes) {
                input = concat(input, ascii("\r\nX-Pad: " + "p".repeat(maxHeaderBytes) + "\r\n"));
            }
            int lastLineEnd = maxHeaderBytes - 1;
            while (lastLineEnd >= 0 && input[lastLineEnd] != '\n') {
                lastLineEnd--;
            }
            byte[] cut = Arrays.copyOf(input, lastLineEnd >= 0 ? lastLineEnd + 1 : maxHeaderBytes);

            MessageHeaders whole = parser.parse(input);
            MessageHeaders read = parser.parse(cut);

            assertThat(withoutWarnings(whole)).isEqualTo(withoutWarnings(read));
            assertThat(whole.warnings()).contains("the header block is " + input.length + " bytes; only the first "
                    + maxHeaderBytes + " were read");
        });
    }

    /**
     * A block inside a larger buffer parses as the same block copied out: the parser reads only
     * {@code [offset, offset + length)}, whatever surrounds it (here bytes that would change the
     * parse if they were read: another From, a line end, folding).
     */
    @Test
    void aSliceParsesAsTheCopiedBlock() {
        Fuzz.check("HeaderParserPropertiesTest#aSliceParsesAsTheCopiedBlock", g -> {
            byte[] block = g.draw("block", HeaderParserPropertiesTest::hostileBlock);
            byte[] before = g.draw("before", HeaderParserPropertiesTest::anyBytes);
            byte[] after = g.draw("after", HeaderParserPropertiesTest::surroundings);
            byte[] buffer = concat(concat(before, block), after);

            MessageHeaders slice = HeaderParser.standard().parse(buffer, before.length, block.length);

            assertThat(slice).isEqualTo(HeaderParser.standard().parse(block.clone()));
        });
    }

    /**
     * The parse depends on the input only: not on what this thread parsed before (the parser
     * reuses per-thread buffers), not on the thread, and not on the input array's identity.
     */
    @Test
    void theParseIsDeterministic() {
        Fuzz.check("HeaderParserPropertiesTest#theParseIsDeterministic", g -> {
            byte[] input = g.draw("input", HeaderParserPropertiesTest::hostileBlock);
            byte[] other = g.draw("other", HeaderParserPropertiesTest::hostileBlock);
            byte[] original = input.clone();
            HeaderParser parser = HeaderParser.standard();

            MessageHeaders first = parser.parse(input);
            parser.parse(other);
            MessageHeaders again = parser.parse(input.clone());
            MessageHeaders elsewhere = CompletableFuture.supplyAsync(() -> parser.parse(input)).join();

            assertThat(again).isEqualTo(first);
            assertThat(elsewhere).isEqualTo(first);
            assertThat(input).as("the input is only read").isEqualTo(original);
        });
    }

    /** An encoded word longer than the limit is never decoded: the subject keeps it as written. */
    @Test
    void anEncodedWordOverTheLimitIsKeptAsWritten() {
        Fuzz.check("HeaderParserPropertiesTest#anEncodedWordOverTheLimitIsKeptAsWritten", g -> {
            int limit = g.draw("limit", r -> r.between(75, 300));
            int extra = g.draw("extra", r -> r.between(1, 400));
            String charset = g.draw("charset", HeaderParserPropertiesTest::charset);

            HeaderParser parser = HeaderParser.builder().maxEncodedWordLength(limit).build();
            String prefix = "=?" + charset + "?B?";
            int payload = Math.max(4, (limit - prefix.length() - 2 + extra + 3) / 4 * 4);
            String word = prefix + "QUFB".repeat(payload / 4) + "?=";
            if (word.length() <= limit || charset.chars().anyMatch(c -> c < 0x21 || c > 0x7E || c == '?')) {
                return; // the charset made the word fit, or it is not a word at all
            }

            MessageHeaders headers = parser.parse(ascii("Subject: " + word + "\r\n"));

            assertThat(headers.subject()).isEqualTo(word);
        });
    }

    /**
     * Found by the properties above: C1 controls (raw 8-bit bytes read as ISO-8859-1) reached
     * warnings, which are logged, and subjects; U+0085 is a line break and U+009B a terminal
     * escape to some readers.
     */
    @Test
    void c1ControlsReachNeitherWarningsNorSubjects() {
        byte[] input = {(byte) 0x85, (byte) 0x9B, '3', '1', 'm', '\r', '\n', 'S', 'u', 'b', 'j', 'e', 'c', 't', ':', ' ', 'a',
                (byte) 0x85, 'b', (byte) 0x9B, 'c', '\r', '\n'};

        MessageHeaders headers = HeaderParser.standard().parse(input);

        assertThat(headers.subject()).isEqualTo("abc");
        assertThat(headers.warnings()).containsExactly("a line that is not a header field was skipped: \"??31m\"");
    }

    // ---- the limits every parse keeps

    private static void assertWithinLimits(HeaderParser parser, byte[] input, MessageHeaders h) {
        List<EmailAddress> all = new ArrayList<>();
        Stream.of(h.from(), h.sender(), h.replyTo(), h.to(), h.cc(), h.bcc()).forEach(all::addAll);
        assertThat(all.size()).as("addresses kept").isLessThanOrEqualTo(parser.maxAddresses());
        assertThat(h.references().size()).as("references kept").isLessThanOrEqualTo(parser.maxReferences());
        assertThat(h.references()).as("references").doesNotHaveDuplicates();
        // decoding never makes text longer than the bytes it came from
        int read = Math.min(input.length, parser.maxHeaderBytes());
        for (EmailAddress a : all) {
            assertThat(a.address().length()).as("length of %s", a.address()).isLessThanOrEqualTo(read);
            assertThat(a.displayName().length()).as("length of display name").isLessThanOrEqualTo(read);
            int at = a.address().lastIndexOf('@');
            assertThat(at).as("the domain's '@' in %s", a.address()).isPositive().isLessThan(a.address().length() - 1);
            assertThat(a.normalized()).isEqualTo(EmailAddress.normalize(a.address()));
            assertThat(a.address()).as("address").doesNotContain("\0", "\r", "\n");
            assertNoControls(a.displayName(), "display name");
        }
        assertThat(h.subject().length()).as("subject length").isLessThanOrEqualTo(read);
        assertNoControls(h.subject(), "subject");
        List<String> ids = new ArrayList<>(h.references());
        h.messageId().ifPresent(ids::add);
        h.inReplyTo().ifPresent(ids::add);
        for (String id : ids) {
            assertThat(id).as("id").isNotEmpty().doesNotContain(" ", "\t", "\r", "\n", "\0", "<", ">");
            assertThat(id.length()).as("id length").isLessThanOrEqualTo(read);
        }
        // warnings are log lines: at most 20 and a summary, each short and on one line
        assertThat(h.warnings().size()).as("warnings").isLessThanOrEqualTo(21);
        for (String warning : h.warnings()) {
            assertThat(warning.length()).as("length of warning %s", warning).isLessThanOrEqualTo(300);
            assertNoControls(warning, "warning");
        }
    }

    /** No C0 control, DEL or C1 control: nothing that breaks a log line or a database text column. */
    private static void assertNoControls(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                throw new AssertionError("control character U+" + String.format("%04X", (int) c) + " at " + i
                        + " in the " + what + " \"" + text + "\"");
            }
        }
    }

    private static MessageHeaders withoutWarnings(MessageHeaders h) {
        return new MessageHeaders(h.from(), h.sender(), h.replyTo(), h.to(), h.cc(), h.bcc(), h.subject(), h.date(),
                h.messageId(), h.inReplyTo(), h.references(), List.of());
    }

    // ---- generators: strings of chars U+0000..U+00FF, one per byte, turned into bytes at the end

    private static HeaderParser limits(Gen g) {
        return HeaderParser.builder().maxHeaderBytes(g.between(1024, 70_000)).maxAddresses(g.between(1, 50))
                .maxEncodedWordLength(g.between(75, 2000)).maxReferences(g.between(1, 30)).build();
    }

    private static byte[] anyBytes(Gen g) {
        return g.bytes(3000);
    }

    private static byte[] surroundings(Gen g) {
        return ascii(g.pick("", "\r\n", " more@example.com\r\n", "\r\nFrom: other@example.com\r\n",
                "\r\n\tfolded@example.com>", "?=", ")", "\""));
    }

    private static byte[] hostileBlock(Gen g) {
        String bom = g.pick("", "", "", "\u00EF\u00BB\u00BF");
        String fields = String.join("", g.list(0, 14, () -> field(g)));
        String end = g.pick("", "\r\n", "\n", "\r\n\r\nbody: not a field\r\nFrom: body@x.y\r\n");
        byte[] bytes = ascii(bom + fields + end);
        int inserts = g.size(0, 4);
        for (int i = 0; i < inserts; i++) {
            // something dropped anywhere in the block: NUL, a bare CR or LF, 8-bit bytes, a huge line
            int at = (int) (g.unit() * bytes.length);
            String what = g.oneOf(
                    r -> r.pick("\0", "\r", "\n", "\r\r\n", "\n\r", "\r\n ", "\u00FF", "\u0080", "\u00C3", "\u00C3\u00A9",
                            "\u00F0\u009F\u009A", "=?", "?=", "(", ")", "\"", "\\", "<", ">", ",", ";", ":", "@"),
                    r -> r.chars('\u0000', '\u00FF', 0, 20),
                    HeaderParserPropertiesTest::hugeLine);
            bytes = concat(concat(Arrays.copyOf(bytes, at), ascii(what)), Arrays.copyOfRange(bytes, at, bytes.length));
        }
        return bytes;
    }

    private static String hugeLine(Gen g) {
        String unit = g.pick("x", "a@b.c, ", "(", "\"", "=?utf-8?B?QUFB", "\0", "\u00E9", " ", "\r\n ", "<a@b>");
        int bytes = g.between(1_000, 30_000);
        return unit.repeat(bytes / unit.length() + 1);
    }

    private static String field(Gen g) {
        String name = g.pick("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date",
                "Message-ID", "In-Reply-To", "References", "X-Other", "from", "TO", "cC", "Subject ", "To\t", "Resent-From",
                "", " To", "Fro\u00E9m", "To\0");
        String colon = g.pick(":", ": ", ":\t", " : ", "");
        String value = g.oneOf(HeaderParserPropertiesTest::addressList, HeaderParserPropertiesTest::subject,
                HeaderParserPropertiesTest::date, HeaderParserPropertiesTest::ids, r -> r.chars('\u0000', '\u00FF', 0, 80));
        String lineEnd = g.pick("\r\n", "\r\n", "\r\n", "\n", "\r", "", "\r\n\r\n");
        return name + colon + value + lineEnd;
    }

    private static String addressList(Gen g) {
        List<String> items = g.list(1, 8, () -> g.oneOf(HeaderParserPropertiesTest::mailbox,
                HeaderParserPropertiesTest::mailbox, HeaderParserPropertiesTest::group, HeaderParserPropertiesTest::junkText));
        return String.join(g.pick(", ", ",", ",\r\n ", ";", ",,", " ", "\r\n\t,"), items);
    }

    private static String group(Gen g) {
        String name = displayName(g);
        List<String> members = g.list(0, 4, () -> mailbox(g));
        return name + ":" + String.join(",", members) + g.pick(";", "", ";;", ":;");
    }

    private static String mailbox(Gen g) {
        if (g.nextBoolean()) { // in angle brackets
            return displayName(g) + " " + comment(g) + "<" + route(g) + addrSpec(g) + g.pick(">", ">", "", ">>", "> ");
        }
        return comment(g) + addrSpec(g) + comment(g);
    }

    private static String route(Gen g) {
        return g.pick("", "", "", "@relay.example:", "@a,@b:", "@:", ":");
    }

    private static String addrSpec(Gen g) {
        String local = g.oneOf(HeaderParserPropertiesTest::atom, HeaderParserPropertiesTest::quoted,
                r -> r.pick("", ".", "a..b", "\u00C3\u00A9l\u00C3\u00A8ve"));
        String at = g.pick("@", "@", "@", "@@", "", " @ ");
        String domain = g.oneOf(
                r -> String.join(".", r.list(1, 4, () -> atom(r))),
                r -> r.pick("[127.0.0.1]", "[IPv6:::1]", "[", "[a\\]b]", "", ".", "xn--", "xn--bcher-kva.example",
                        "b\u00C3\u00BCcher.example", "\u00FF\u00FE", "example.com.", "-x-.example"));
        return local + at + domain;
    }

    private static String displayName(Gen g) {
        List<String> words = g.list(0, 4, () -> g.oneOf(HeaderParserPropertiesTest::atom,
                HeaderParserPropertiesTest::quoted, HeaderParserPropertiesTest::encodedWord,
                HeaderParserPropertiesTest::comment, r -> r.pick("\u00C3\u00A9t\u00C3\u00A9", "caf\u00E9", "\u00E2\u0080\u00AE", "\0")));
        return String.join(" ", words);
    }

    private static String subject(Gen g) {
        List<String> parts = g.list(0, 10, () -> g.oneOf(HeaderParserPropertiesTest::atom,
                HeaderParserPropertiesTest::encodedWord, HeaderParserPropertiesTest::encodedWord,
                HeaderParserPropertiesTest::junkText,
                r -> r.pick(" ", "\r\n ", "\t", "Re:", "=?", "?=", "\u00E9", "\u00F0\u009F\u009A\u0080")));
        return String.join("", parts);
    }

    private static String encodedWord(Gen g) {
        String charset = charset(g);
        String lang = g.pick("", "", "*en", "*", "*x-");
        String encoding = g.pick("B", "b", "Q", "q", "X", "", "BB");
        String payload = g.oneOf(
                r -> Base64.getEncoder().encodeToString(r.bytes(60)),
                r -> r.charsOf("ABCabc019+/=_-.?*", 0, 40),
                r -> r.charsOf("=0123456789ABCDEFabcdefxyz_ ", 0, 40),
                r -> r.pick("=C3", "=C3=A9", "=", "==", "=G1", "QUFB=QUFB", "Q", "4pyT", "8J+agA", "=FF=FE", "\0"));
        String end = g.pick("?=", "?=", "?=", "?", "", "?=?=");
        return "=?" + charset + lang + "?" + encoding + "?" + payload + end;
    }

    private static String charset(Gen g) {
        return g.oneOf(
                r -> r.pick("utf-8", "UTF-8", "iso-8859-1", "windows-1252", "iso-2022-jp", "utf-16", "UTF-16LE",
                        "utf-32", "gb18030", "koi8-r", "x-nonsense", "", "unicode-1-1-utf-7", "x-IBM930",
                        "../../etc/passwd", "utf-8\0", "ut\u00E9f", "US-ASCII", "cp1252", "JIS_X0212-1990"),
                r -> r.chars('!', '~', 0, 70));
    }

    /** Mostly none, often nested up to four deep, one time in ten 1 to 5,000 deep, closed or not. */
    private static String comment(Gen g) {
        int pick = g.nextInt(10);
        if (pick < 6) {
            return "";
        }
        if (pick < 9) {
            return comment(g, g.between(0, 3));
        }
        int depth = g.between(1, 5_000);
        return "(".repeat(depth) + "x" + (g.nextBoolean() ? ")".repeat(depth) : "");
    }

    private static String comment(Gen g, int depth) {
        List<String> parts = g.list(0, 3, () -> depth == 0
                ? g.oneOf(HeaderParserPropertiesTest::atom, r -> r.pick("\\)", "\\(", "\\", "a@b.c", "\"", "=?utf-8?Q?x?="))
                : g.oneOf(HeaderParserPropertiesTest::atom, r -> comment(r, depth - 1)));
        return "(" + String.join(" ", parts) + g.pick(")", ")", ")", "");
    }

    private static String quoted(Gen g) {
        return "\"" + g.charsOf("ab ,;:<>@()[].\\\"\t\r\n\0\u00E9", 0, 20) + g.pick("\"", "\"", "", "\\\"");
    }

    private static String atom(Gen g) {
        return g.charsOf("abcXYZ0189!#$%&'*+-/=?^_`{|}~.", 1, 12);
    }

    private static String junkText(Gen g) {
        return g.chars('\u0000', '\u00FF', 0, 30);
    }

    private static String date(Gen g) {
        return g.oneOf(
                r -> r.pick("", "Mon, ", "Fri,", "Xyz, ", "Sunday, ") + r.between(-5, 99) + " "
                        + r.pick("Jan", "Feb", "jun", "Dec", "Foo", "") + " " + r.between(-1, 99_999) + " "
                        + r.pick("12:34:56", "23:59:60", "25:61:61", "1:2", "", "12:34") + " "
                        + r.pick("+0000", "-1200", "+9999", "GMT", "UT", "EST", "Z", "A", "(CET)", "", "+01", "--0100"),
                HeaderParserPropertiesTest::junkText,
                r -> r.pick("", " ", "0", "99999999999999999999 Jan 2024"));
    }

    private static String ids(Gen g) {
        List<String> list = g.list(0, 40, () -> g.pick("<", "<", "", "<<") + atom(g) + g.pick("@", "", "@@")
                + g.oneOf(HeaderParserPropertiesTest::atom, r -> r.pick("[1.2.3.4]", "", "\u00E9"))
                + g.pick(">", ">", "", ">>"));
        return String.join(g.pick(" ", "", "\r\n ", ",", " (comment) "), list);
    }

    // ---- bytes

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
