package dev.imapsync.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties that hold for any input: the parser never throws, finishes in bounded time, and
 * stays within its limits. Inputs are random bytes, random mutations of the corpus blocks, and
 * generators built to hurt (10 MB blocks, 100,000 addresses, 100,000-deep comments, a 1 MB
 * encoded word, …).
 *
 * <p>A fixed budget runs in CI with a fixed seed; {@code -Dimapsync.fuzz.iterations=N} runs
 * more, {@code -Dimapsync.fuzz.seed=S} another sequence. A failure names the seed, the
 * iteration and the input.
 */
class HeaderParserFuzzTest {
    private static final long SEED = Long.getLong("imapsync.fuzz.seed", 20_240_603L);
    private static final int ITERATIONS = Integer.getInteger("imapsync.fuzz.iterations", 20_000);
    /**
     * Generous: a wall-clock bound that catches quadratic work (minutes on the 10 MB inputs), not a
     * speed check; a linear parse of 10 MB took 1.5 s on a 2-core machine at load average 23.
     */
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final HeaderParser STANDARD = HeaderParser.standard();
    /** Reads whole 10 MB blocks, so the hostile content reaches every field reader. */
    private static final HeaderParser ROOMY = HeaderParser.builder().maxHeaderBytes(64 << 20).build();
    private static final String[] TOKENS = {"=?", "?=", "\"", "<", ">", "(", ")", "\\", "\r", "\n", "\r\n", "\r\n ",
            "\r\n\r\n", "\0", ",", ";", ":", "@", "[", "]", ".", "=", "?", "_", " ", "\t", "=?utf-8?B?", "=?utf-8?Q?",
            "=?iso-2022-jp?B?GyRC", "=?x-nonsense?Q?", "=?utf-8*en?q?", "=C3", "=", "From: ", "To: ", "Cc: ",
            "Date: ", "Subject: ", "Message-ID: ", "References: ", "undisclosed-recipients:;", "GMT+",
            "\u00e9", "\ud83d\ude80"};

    private static List<HeaderCorpus.Case> corpus;

    @BeforeAll
    static void warmUp() {
        corpus = HeaderCorpus.all();
        for (int round = 0; round < 200; round++) {
            for (HeaderCorpus.Case c : corpus) {
                STANDARD.parse(c.block());
            }
        }
    }

    @Test
    void randomBytesNeverBreakIt() {
        Random random = new Random(SEED);
        byte[] alphabet = "=?\"<>()\\\r\n\0,;:@[]. \tabcAZ09QB_-+".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < ITERATIONS; n++) {
            byte[] input = new byte[random.nextInt(600)];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            // as a value of each field read, and as a block of its own
            String field = switch (n % 4) {
                case 0 -> "To: ";
                case 1 -> "Subject: ";
                case 2 -> "Date: ";
                default -> "";
            };
            byte[] block = concat(field.getBytes(StandardCharsets.US_ASCII), input);
            check(STANDARD, block, "random input, seed " + SEED + ", iteration " + n);
        }
    }

    @Test
    void mutatedCorpusBlocksNeverBreakIt() {
        Random random = new Random(SEED + 1);
        for (int n = 0; n < ITERATIONS; n++) {
            HeaderCorpus.Case base = corpus.get(random.nextInt(corpus.size()));
            byte[] input = mutate(random, base.block());
            check(n % 2 == 0 ? STANDARD : ROOMY, input, "mutation of '" + base + "', seed " + (SEED + 1)
                    + ", iteration " + n);
        }
    }

    static Stream<Arguments> adversaries() {
        List<Arguments> all = new ArrayList<>();
        add(all, "a 10 MB block of foreign fields, From last",
                () -> concat(repeat("X-Junk: " + "x".repeat(90) + "\r\n", 10 << 20), ascii("From: a@example.com\r\n")));
        add(all, "a 10 MB line without a colon", () -> repeat("x", 10 << 20));
        add(all, "a 10 MB To field of one address and folding", () -> concat(ascii("To: a@example.com"),
                repeat("\r\n ", 10 << 20)));
        add(all, "100,000 addresses", () -> {
            StringBuilder sb = new StringBuilder("To: ");
            for (int i = 0; i < 100_000; i++) {
                sb.append("\"User ").append(i).append("\" <user").append(i).append("@example.com>, ");
            }
            return ascii(sb + "\r\nFrom: author@example.com\r\n");
        });
        add(all, "100,000 To fields", () -> repeat("To: a@example.com\r\n", 100_000 * 19));
        add(all, "100,000-deep parentheses, balanced",
                () -> ascii("From: " + "(".repeat(100_000) + "a@example.com" + ")".repeat(100_000) + " b@example.com\r\n"));
        add(all, "100,000-deep parentheses, never closed",
                () -> ascii("From: " + "(".repeat(100_000) + " a@example.com\r\n"));
        for (String field : List.of("To", "Subject", "Date", "Message-ID", "References")) {
            add(all, "100,000 '(' in " + field, () -> ascii(field + ": " + "(".repeat(100_000) + "\r\n"));
            add(all, "100,000 '\"' in " + field, () -> ascii(field + ": " + "\"".repeat(100_000) + "\r\n"));
            add(all, "100,000 '\\\"' in " + field, () -> ascii(field + ": " + "\\\"".repeat(100_000) + "\r\n"));
            add(all, "100,000 '<' in " + field, () -> ascii(field + ": " + "<".repeat(100_000) + "\r\n"));
            add(all, "100,000 '=?' in " + field, () -> ascii(field + ": " + "=?".repeat(100_000) + "\r\n"));
            add(all, "100,000 '=?a?q?' in " + field, () -> ascii(field + ": " + "=?a?q?".repeat(100_000) + "\r\n"));
            add(all, "100,000 '@[' in " + field, () -> ascii(field + ": " + "@[".repeat(100_000) + "\r\n"));
            add(all, "100,000 NUL in " + field, () -> concat(ascii(field + ": "), new byte[100_000]));
            add(all, "100,000 digits in " + field, () -> ascii(field + ": " + "1".repeat(100_000) + "\r\n"));
        }
        add(all, "an encoded word of 1 MB",
                () -> ascii("Subject: =?utf-8?B?" + "QUFB".repeat(1 << 18) + "?=\r\n"));
        add(all, "an encoded word of 1 MB in a display name",
                () -> ascii("From: =?utf-8?Q?" + "a".repeat(1 << 20) + "?= <a@example.com>\r\n"));
        add(all, "100,000 adjacent encoded words",
                () -> ascii("Subject: " + "=?utf-8?Q?a=C3?= =?utf-8?Q?=A9?= ".repeat(50_000) + "\r\n"));
        add(all, "100,000 encoded words with made-up charsets", () -> {
            StringBuilder sb = new StringBuilder("Subject: ");
            for (int i = 0; i < 100_000; i++) {
                sb.append("=?x-made-up-").append(i).append("?Q?a?= ");
            }
            return ascii(sb + "\r\n");
        });
        add(all, "100,000 References ids", () -> {
            StringBuilder sb = new StringBuilder("References:");
            for (int i = 0; i < 100_000; i++) {
                sb.append(" <id").append(i).append("@example.com>");
            }
            return ascii(sb + "\r\n");
        });
        add(all, "a Date of 100,000 words", () -> ascii("Date: " + "Mon Jun GMT ".repeat(100_000) + "\r\n"));
        add(all, "random bytes, 1 MB", () -> {
            byte[] bytes = new byte[1 << 20];
            new Random(SEED).nextBytes(bytes);
            return bytes;
        });
        return all.stream();
    }

    private static void add(List<Arguments> all, String name, Supplier<byte[]> input) {
        all.add(Arguments.of(name, input));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversaries")
    void adversarialInputsStayWithinBounds(String name, Supplier<byte[]> generator) {
        byte[] input = generator.get();

        check(STANDARD, input, name + " (standard limits)");
        check(ROOMY, input, name + " (64 MiB header limit)");
    }

    @Test
    void oneHundredThousandAddressesKeepTheAuthorAndTheBudget() {
        StringBuilder sb = new StringBuilder("To: ");
        for (int i = 0; i < 100_000; i++) {
            sb.append("user").append(i).append("@example.com, ");
        }
        byte[] input = ascii(sb + "\r\nFrom: author@example.com\r\n");

        MessageHeaders headers = ROOMY.parse(input);

        assertThat(headers.from()).containsExactly(EmailAddress.of("", "author@example.com"));
        assertThat(headers.to()).hasSize(999);
        assertThat(headers.warnings()).containsExactly("more than 1000 addresses; the rest were skipped");
    }

    @Test
    void aHugeEncodedWordIsKeptAsWrittenWithAWarning() {
        String word = "=?utf-8?B?" + "QUFB".repeat(1 << 18) + "?=";

        MessageHeaders headers = ROOMY.parse(ascii("Subject: " + word + "\r\n"));

        assertThat(headers.subject()).isEqualTo(word);
        assertThat(headers.warnings()).containsExactly("Subject: an encoded word of " + word.length()
                + " bytes is longer than the limit of 1000 bytes; kept as written");
    }

    @Test
    void aHugeEncodedWordWithinARaisedLimitIsDecoded() {
        HeaderParser parser = ROOMY.toBuilder().maxEncodedWordLength(2 << 20).build();

        MessageHeaders headers = parser.parse(ascii("Subject: =?utf-8?B?" + "QUFB".repeat(1 << 18) + "?=\r\n"));

        assertThat(headers.subject()).isEqualTo("A".repeat(3 << 18));
    }

    // ---- the properties

    private static void check(HeaderParser parser, byte[] input, String description) {
        long start = System.nanoTime();
        MessageHeaders headers;
        try {
            headers = parser.parse(input);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("parse threw on " + description + ": " + quote(input), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        try {
            assertThat(took).as("time to parse").isLessThan(BOUND);
            assertWithinBounds(parser, headers);
        } catch (AssertionError e) {
            throw new AssertionError(description + ": " + e.getMessage() + "\ninput: " + quote(input), e);
        }
    }

    private static void assertWithinBounds(HeaderParser parser, MessageHeaders h) {
        List<EmailAddress> all = new ArrayList<>();
        Stream.of(h.from(), h.sender(), h.replyTo(), h.to(), h.cc(), h.bcc()).forEach(all::addAll);
        assertThat(all.size()).as("addresses").isLessThanOrEqualTo(parser.maxAddresses());
        for (EmailAddress a : all) {
            int at = a.address().lastIndexOf('@');
            assertThat(at).as("'@' in %s", a.address()).isPositive().isLessThan(a.address().length() - 1);
            assertReadable(a.address());
            assertThat(a.normalized()).isEqualTo(EmailAddress.normalize(a.address()));
            assertReadable(a.displayName());
        }
        assertReadable(h.subject());
        assertThat(h.references().size()).as("references").isLessThanOrEqualTo(parser.maxReferences());
        assertThat(new HashSet<>(h.references())).as("distinct references").hasSameSizeAs(h.references());
        List<String> ids = new ArrayList<>(h.references());
        h.messageId().ifPresent(ids::add);
        h.inReplyTo().ifPresent(ids::add);
        for (String id : ids) {
            assertThat(id).as("id").isNotEmpty().doesNotContain(" ", "\t", "\r", "\n", "<", ">");
        }
        assertThat(h.warnings().size()).as("warnings").isLessThanOrEqualTo(21);
    }

    /** What people read has no C0 controls or DEL: no NUL for a database, no line breaks for a log. */
    private static void assertReadable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new AssertionError("control character U+" + Integer.toHexString(c) + " at " + i + " in \""
                        + text + "\"");
            }
        }
    }

    // ---- inputs

    private static byte[] mutate(Random random, byte[] base) {
        byte[] b = base.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            switch (random.nextInt(8)) {
                case 0 -> {
                    if (b.length > 0) {
                        int i = Math.min(at, b.length - 1);
                        b[i] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = java.util.Arrays.copyOf(b, at);
                case 2 -> {
                    int from = random.nextInt(b.length + 1);
                    int to = Math.min(b.length, from + random.nextInt(200));
                    b = insert(b, at, java.util.Arrays.copyOfRange(b, from, to));
                }
                case 3, 4 -> b = insert(b, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 5 -> {
                    int to = Math.min(b.length, at + random.nextInt(50));
                    byte[] shorter = new byte[b.length - (to - at)];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, to, shorter, at, b.length - to);
                    b = shorter;
                }
                case 6 -> {
                    String token = TOKENS[random.nextInt(TOKENS.length)];
                    b = insert(b, at, token.repeat(1_000 + random.nextInt(20_000)).getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    byte[] noise = new byte[1 + random.nextInt(16)];
                    random.nextBytes(noise);
                    b = insert(b, at, noise);
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static byte[] repeat(String unit, int totalBytes) {
        byte[] one = ascii(unit);
        byte[] out = new byte[totalBytes];
        for (int i = 0; i < totalBytes; i++) {
            out[i] = one[i % one.length];
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The input as a Java string literal (bytes as \\xHH past ASCII), cut after 2,000 bytes. */
    private static String quote(byte[] input) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = Math.min(input.length, 2_000);
        for (int i = 0; i < shown; i++) {
            int c = input[i] & 0xFF;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
            }
        }
        sb.append('"');
        if (input.length > shown) {
            sb.append(" … (").append(input.length).append(" bytes in all)");
        }
        return sb.toString();
    }

}
