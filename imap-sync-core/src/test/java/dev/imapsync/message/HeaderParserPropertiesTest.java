package dev.imapsync.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The header parser's promises checked by jqwik on generated inputs, which jqwik shrinks to a
 * smallest failing block when a property fails. {@link HeaderParserFuzzTest} throws random
 * bytes, corpus mutations and a fixed list of huge adversaries at the parser; this class adds
 * what that one does not: header blocks built from a grammar of hostile parts (addresses with
 * nested comments, groups, routes and domain literals; encoded words with unknown charsets,
 * broken base64 and Q; NULs, bare CR and LF, 8-bit bytes, huge lines) under random limits, the
 * {@code parse(bytes, offset, length)} entry point, and determinism across the per-thread
 * buffers the parser reuses.
 *
 * <p>The budget comes from the JUnit Platform parameter {@code jqwik.tries.default}, which the
 * module's surefire configuration sets from the Maven property {@code imapsync.fuzz.tries}
 * (2,000 per property in CI, a few seconds in all); run longer with
 * {@code mvn -pl imap-sync-core test -Dtest=HeaderParserPropertiesTest -Dimapsync.fuzz.tries=200000}.
 * A failure prints the seed to rerun it with ({@code @Property(seed = "...")}).
 */
class HeaderParserPropertiesTest {

    // ---- properties

    /** Any bytes at all, with any limits: no exception, and every limit holds. */
    @Property
    void arbitraryBytesNeverBreakTheParserAndStayWithinItsLimits(@ForAll("anyBytes") byte[] input,
                                                                @ForAll("limits") HeaderParser parser) {
        MessageHeaders headers = parser.parse(input);

        assertWithinLimits(parser, input, headers);
    }

    /** Header blocks built from hostile parts: no exception, and every limit holds. */
    @Property
    void hostileHeaderBlocksNeverBreakTheParserAndStayWithinItsLimits(@ForAll("hostileBlocks") byte[] input,
                                                                     @ForAll("limits") HeaderParser parser) {
        MessageHeaders headers = parser.parse(input);

        assertWithinLimits(parser, input, headers);
    }

    /**
     * Nothing past {@code maxHeaderBytes} is read: the block and the block cut at the last line
     * end inside the limit give the same parse, apart from the warning about the cut.
     */
    @Property
    void nothingBeyondMaxHeaderBytesIsRead(@ForAll("hostileBlocks") byte[] head, @ForAll("hostileBlocks") byte[] tail,
                                           @ForAll @IntRange(min = 1024, max = 4096) int maxHeaderBytes) {
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
    }

    /**
     * A block inside a larger buffer parses as the same block copied out: the parser reads only
     * {@code [offset, offset + length)}, whatever surrounds it (here bytes that would change the
     * parse if they were read: another From, a line end, folding).
     */
    @Property
    void aSliceParsesAsTheCopiedBlock(@ForAll("hostileBlocks") byte[] block, @ForAll("anyBytes") byte[] before,
                                      @ForAll("surroundings") byte[] after) {
        byte[] buffer = concat(concat(before, block), after);

        MessageHeaders slice = HeaderParser.standard().parse(buffer, before.length, block.length);

        assertThat(slice).isEqualTo(HeaderParser.standard().parse(block.clone()));
    }

    /**
     * The parse depends on the input only: not on what this thread parsed before (the parser
     * reuses per-thread buffers), not on the thread, and not on the input array's identity.
     */
    @Property
    void theParseIsDeterministic(@ForAll("hostileBlocks") byte[] input, @ForAll("hostileBlocks") byte[] other) {
        HeaderParser parser = HeaderParser.standard();

        MessageHeaders first = parser.parse(input);
        parser.parse(other);
        MessageHeaders again = parser.parse(input.clone());
        MessageHeaders elsewhere = CompletableFuture.supplyAsync(() -> parser.parse(input)).join();

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(first);
        assertThat(input).as("the input is only read").isEqualTo(input.clone());
    }

    /** An encoded word longer than the limit is never decoded: the subject keeps it as written. */
    @Property
    void anEncodedWordOverTheLimitIsKeptAsWritten(@ForAll @IntRange(min = 75, max = 300) int limit,
                                                  @ForAll @IntRange(min = 1, max = 400) int extra,
                                                  @ForAll("charsets") String charset) {
        HeaderParser parser = HeaderParser.builder().maxEncodedWordLength(limit).build();
        String prefix = "=?" + charset + "?B?";
        int payload = Math.max(4, (limit - prefix.length() - 2 + extra + 3) / 4 * 4);
        String word = prefix + "QUFB".repeat(payload / 4) + "?=";
        if (word.length() <= limit || charset.chars().anyMatch(c -> c < 0x21 || c > 0x7E || c == '?')) {
            return; // the charset made the word fit, or it is not a word at all
        }

        MessageHeaders headers = parser.parse(ascii("Subject: " + word + "\r\n"));

        assertThat(headers.subject()).isEqualTo(word);
    }

    /**
     * Found by the properties above: C1 controls (raw 8-bit bytes read as ISO-8859-1) reached
     * warnings, which are logged, and subjects; U+0085 is a line break and U+009B a terminal
     * escape to some readers.
     */
    @Example
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
            assertThat(a.normalized()).isEqualTo(AddressNormalizer.normalize(a.address()));
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

    @Provide
    Arbitrary<HeaderParser> limits() {
        return Combinators.combine(
                Arbitraries.integers().between(1024, 70_000),
                Arbitraries.integers().between(1, 50),
                Arbitraries.integers().between(75, 2000),
                Arbitraries.integers().between(1, 30)).as((bytes, addresses, word, references) ->
                HeaderParser.builder().maxHeaderBytes(bytes).maxAddresses(addresses).maxEncodedWordLength(word)
                        .maxReferences(references).build());
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    }

    @Provide
    Arbitrary<byte[]> surroundings() {
        return Arbitraries.of("", "\r\n", " more@example.com\r\n", "\r\nFrom: other@example.com\r\n",
                "\r\n\tfolded@example.com>", "?=", ")", "\"").map(HeaderParserPropertiesTest::ascii);
    }

    @Provide
    Arbitrary<byte[]> hostileBlocks() {
        Arbitrary<String> fields = field().list().ofMaxSize(14).map(list -> String.join("", list));
        Arbitrary<String> bom = Arbitraries.of("", "", "", "\u00EF\u00BB\u00BF");
        Arbitrary<String> end = Arbitraries.of("", "\r\n", "\n", "\r\n\r\nbody: not a field\r\nFrom: body@x.y\r\n");
        Arbitrary<String> block = Combinators.combine(bom, fields, end).as((a, b, c) -> a + b + c);
        return Combinators.combine(block, insertions().list().ofMaxSize(4)).as((text, inserts) -> {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            for (Tuple.Tuple2<Double, String> insert : inserts) {
                int at = (int) (insert.get1() * bytes.length);
                bytes = concat(concat(Arrays.copyOf(bytes, at), insert.get2().getBytes(StandardCharsets.ISO_8859_1)),
                        Arrays.copyOfRange(bytes, at, bytes.length));
            }
            return bytes;
        });
    }

    /** Something dropped anywhere in a block: NUL, a bare CR or LF, 8-bit bytes, a huge line. */
    private Arbitrary<Tuple.Tuple2<Double, String>> insertions() {
        Arbitrary<String> what = Arbitraries.oneOf(
                Arbitraries.of("\0", "\r", "\n", "\r\r\n", "\n\r", "\r\n ", "\u00FF", "\u0080", "\u00C3", "\u00C3\u00A9",
                        "\u00F0\u009F\u009A", "=?", "?=", "(", ")", "\"", "\\", "<", ">", ",", ";", ":", "@"),
                Arbitraries.strings().withCharRange('\u0000', '\u00FF').ofMaxLength(20),
                hugeLine());
        return Combinators.combine(Arbitraries.doubles().between(0, 1), what).as(Tuple::of);
    }

    private Arbitrary<String> hugeLine() {
        return Combinators.combine(
                Arbitraries.of("x", "a@b.c, ", "(", "\"", "=?utf-8?B?QUFB", "\0", "\u00E9", " ", "\r\n ", "<a@b>"),
                Arbitraries.integers().between(1_000, 30_000)).as((unit, bytes) -> unit.repeat(bytes / unit.length() + 1));
    }

    private Arbitrary<String> field() {
        Arbitrary<String> name = Arbitraries.of("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date",
                "Message-ID", "In-Reply-To", "References", "X-Other", "from", "TO", "cC", "Subject ", "To\t", "Resent-From",
                "", " To", "Fro\u00E9m", "To\0");
        Arbitrary<String> value = Arbitraries.oneOf(addressList(), subject(), date(), ids(),
                Arbitraries.strings().withCharRange('\u0000', '\u00FF').ofMaxLength(80));
        Arbitrary<String> lineEnd = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n", "\r", "", "\r\n\r\n");
        return Combinators.combine(name, Arbitraries.of(":", ": ", ":\t", " : ", ""), value, lineEnd)
                .as((n, colon, v, e) -> n + colon + v + e);
    }

    private Arbitrary<String> addressList() {
        Arbitrary<String> item = Arbitraries.oneOf(mailbox(), mailbox(), group(), junkText());
        Arbitrary<String> separator = Arbitraries.of(", ", ",", ",\r\n ", ";", ",,", " ", "\r\n\t,");
        return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(8), separator)
                .as((items, sep) -> String.join(sep, items));
    }

    private Arbitrary<String> group() {
        return Combinators.combine(displayName(), mailbox().list().ofMaxSize(4), Arbitraries.of(";", "", ";;", ":;"))
                .as((n, members, end) -> n + ":" + String.join(",", members) + end);
    }

    private Arbitrary<String> mailbox() {
        Arbitrary<String> angle = Combinators.combine(displayName(), comment(), route(), addrSpec(),
                        Arbitraries.of(">", ">", "", ">>", "> "))
                .as((n, c, r, a, close) -> n + " " + c + "<" + r + a + close);
        Arbitrary<String> bare = Combinators.combine(comment(), addrSpec(), comment()).as((c1, a, c2) -> c1 + a + c2);
        return Arbitraries.oneOf(angle, bare);
    }

    private Arbitrary<String> route() {
        return Arbitraries.of("", "", "", "@relay.example:", "@a,@b:", "@:", ":");
    }

    private Arbitrary<String> addrSpec() {
        Arbitrary<String> local = Arbitraries.oneOf(atom(), quoted(), Arbitraries.of("", ".", "a..b", "\u00C3\u00A9l\u00C3\u00A8ve"));
        Arbitrary<String> domain = Arbitraries.oneOf(
                atom().list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join(".", parts)),
                Arbitraries.of("[127.0.0.1]", "[IPv6:::1]", "[", "[a\\]b]", "", ".", "xn--", "xn--bcher-kva.example",
                        "b\u00C3\u00BCcher.example", "\u00FF\u00FE", "example.com.", "-x-.example"));
        return Combinators.combine(local, Arbitraries.of("@", "@", "@", "@@", "", " @ "), domain)
                .as((l, at, d) -> l + at + d);
    }

    private Arbitrary<String> displayName() {
        Arbitrary<String> word = Arbitraries.oneOf(atom(), quoted(), encodedWord(), comment(),
                Arbitraries.of("\u00C3\u00A9t\u00C3\u00A9", "caf\u00E9", "\u00E2\u0080\u00AE", "\0"));
        return word.list().ofMaxSize(4).map(words -> String.join(" ", words));
    }

    private Arbitrary<String> subject() {
        Arbitrary<String> part = Arbitraries.oneOf(atom(), encodedWord(), encodedWord(), junkText(),
                Arbitraries.of(" ", "\r\n ", "\t", "Re:", "=?", "?=", "\u00E9", "\u00F0\u009F\u009A\u0080"));
        return part.list().ofMaxSize(10).map(parts -> String.join("", parts));
    }

    private Arbitrary<String> encodedWord() {
        Arbitrary<String> encoding = Arbitraries.of("B", "b", "Q", "q", "X", "", "BB");
        Arbitrary<String> payload = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60).map(b -> Base64.getEncoder().encodeToString(b)),
                Arbitraries.strings().withChars("ABCabc019+/=_-.?*").ofMaxLength(40),
                Arbitraries.strings().withChars("=0123456789ABCDEFabcdefxyz_ ").ofMaxLength(40),
                Arbitraries.of("=C3", "=C3=A9", "=", "==", "=G1", "QUFB=QUFB", "Q", "4pyT", "8J+agA", "=FF=FE", "\0"));
        return Combinators.combine(charsets(), Arbitraries.of("", "", "*en", "*", "*x-"), encoding, payload,
                        Arbitraries.of("?=", "?=", "?=", "?", "", "?=?="))
                .as((charset, lang, enc, text, end) -> "=?" + charset + lang + "?" + enc + "?" + text + end);
    }

    @Provide
    Arbitrary<String> charsets() {
        return Arbitraries.oneOf(
                Arbitraries.of("utf-8", "UTF-8", "iso-8859-1", "windows-1252", "iso-2022-jp", "utf-16", "UTF-16LE",
                        "utf-32", "gb18030", "koi8-r", "x-nonsense", "", "unicode-1-1-utf-7", "x-IBM930",
                        "../../etc/passwd", "utf-8\0", "ut\u00E9f", "US-ASCII", "cp1252", "JIS_X0212-1990"),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(70));
    }

    private Arbitrary<String> comment() {
        Arbitrary<String> nested = Arbitraries.integers().between(0, 3).flatMap(this::comment);
        Arbitrary<String> deep = Combinators.combine(Arbitraries.integers().between(1, 5_000), Arbitraries.of(true, false))
                .as((depth, closed) -> "(".repeat(depth) + "x" + (closed ? ")".repeat(depth) : ""));
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")), Tuple.of(3, nested), Tuple.of(1, deep));
    }

    private Arbitrary<String> comment(int depth) {
        Arbitrary<String> inner = depth == 0
                ? Arbitraries.oneOf(atom(), Arbitraries.of("\\)", "\\(", "\\", "a@b.c", "\"", "=?utf-8?Q?x?="))
                : Arbitraries.oneOf(atom(), comment(depth - 1));
        return Combinators.combine(inner.list().ofMaxSize(3), Arbitraries.of(")", ")", ")", ""))
                .as((parts, close) -> "(" + String.join(" ", parts) + close);
    }

    private Arbitrary<String> quoted() {
        return Combinators.combine(
                        Arbitraries.strings().withChars("ab ,;:<>@()[].\\\"\t\r\n\0\u00E9").ofMaxLength(20),
                        Arbitraries.of("\"", "\"", "", "\\\""))
                .as((text, close) -> "\"" + text + close);
    }

    private Arbitrary<String> atom() {
        return Arbitraries.strings().withChars("abcXYZ0189!#$%&'*+-/=?^_`{|}~.").ofMinLength(1).ofMaxLength(12);
    }

    private Arbitrary<String> junkText() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00FF').ofMaxLength(30);
    }

    private Arbitrary<String> date() {
        Arbitrary<String> proper = Combinators.combine(
                        Arbitraries.of("", "Mon, ", "Fri,", "Xyz, ", "Sunday, "),
                        Arbitraries.integers().between(-5, 99),
                        Arbitraries.of("Jan", "Feb", "jun", "Dec", "Foo", ""),
                        Arbitraries.integers().between(-1, 99_999),
                        Arbitraries.of("12:34:56", "23:59:60", "25:61:61", "1:2", "", "12:34"),
                        Arbitraries.of("+0000", "-1200", "+9999", "GMT", "UT", "EST", "Z", "A", "(CET)", "", "+01", "--0100"))
                .as((dow, day, month, year, time, zone) -> dow + day + " " + month + " " + year + " " + time + " " + zone);
        return Arbitraries.oneOf(proper, junkText(), Arbitraries.of("", " ", "0", "99999999999999999999 Jan 2024"));
    }

    private Arbitrary<String> ids() {
        Arbitrary<String> id = Combinators.combine(Arbitraries.of("<", "<", "", "<<"), atom(), Arbitraries.of("@", "", "@@"),
                        Arbitraries.oneOf(atom(), Arbitraries.of("[1.2.3.4]", "", "\u00E9")), Arbitraries.of(">", ">", "", ">>"))
                .as((open, local, at, domain, close) -> open + local + at + domain + close);
        Arbitrary<String> separator = Arbitraries.of(" ", "", "\r\n ", ",", " (comment) ");
        return Combinators.combine(id.list().ofMaxSize(40), separator).as((list, sep) -> String.join(sep, list));
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
