package dev.imapsync.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.Attachment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Properties of the preview path that hold for any input, as {@code HeaderParserFuzzTest} checks
 * them for headers: the planner and the extractor never throw, finish in bounded time, and stay
 * within their limits. Inputs are random mutations of the BODYSTRUCTURE values GreenMail and
 * Dovecot sent for the MIME corpus, random bytes, and generators built to hurt (10,000 open
 * parentheses, huge literals, 100,000 parts or parameters).
 *
 * <p>A fixed budget runs in CI with a fixed seed; {@code -Dimapsync.fuzz.iterations=N} runs
 * more, {@code -Dimapsync.fuzz.seed=S} another sequence. A failure names the seed, the
 * iteration and the input.
 */
class PreviewPlannerFuzzTest {
    private static final long SEED = Long.getLong("imapsync.fuzz.seed", 20_261_207L);
    private static final int ITERATIONS = Integer.getInteger("imapsync.fuzz.iterations", 5_000);
    /**
     * Generous: a bound on the thread's CPU time (not wall-clock time, which other processes on a
     * loaded machine stretch) that catches quadratic work; not a micro benchmark.
     */
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String[] TOKENS = {"(", ")", "((", "))", "\"", "\\", " ", "NIL", "nil", "{5}\r\nabcde",
            "{0}\r\n", "{99999}\r\n", "{12", "}", "\r\n", "\"text\" \"plain\"", "\"multipart\"", "\"message\" \"rfc822\"",
            "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", "(\"attachment\" (\"filename*0*\" \"utf-8''%E2%82\"))",
            "(\"name*\" \"x'y'%%%\")", "\"=?utf-8?B?\"", "\"base64\"", "\"quoted-printable\"", "12345678901234567890",
            "-1", "\"encrypted\"", "\"signed\"", "\"alternative\"", "\u00e9", "\ud83d\ude80", "\0"};

    private static final String TEXT = "=<>-\r\n >ab c=C3=\r\n+/";

    private static List<byte[]> structures;

    @BeforeAll
    static void readRealStructures() throws IOException {
        try (InputStream in = PreviewPlannerFuzzTest.class.getResourceAsStream("bodystructures.txt")) {
            structures = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    structures.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        for (byte[] s : structures) {
            PreviewPlan plan = PreviewPlanner.plan(s, 0, s.length);
            assertThat(plan.warnings()).as("a real structure reads cleanly: %s", new String(s, StandardCharsets.UTF_8))
                    .isEmpty();
        }
    }

    @Test
    void mutatedRealStructuresNeverBreakIt() {
        Random random = new Random(SEED);
        for (int n = 0; n < ITERATIONS; n++) {
            byte[] base = structures.get(random.nextInt(structures.size()));
            byte[] input = mutate(random, base);
            check(input, "mutation of " + new String(base, StandardCharsets.UTF_8) + ", seed " + SEED + ", iteration " + n);
        }
    }

    @Test
    void randomBytesNeverBreakIt() {
        Random random = new Random(SEED + 1);
        byte[] alphabet = "()\"\\{}\r\n 0123456789NILnil.*'%=?".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < ITERATIONS; n++) {
            byte[] input = new byte[1 + random.nextInt(600)];
            input[0] = '(';
            for (int i = 1; i < input.length; i++) {
                input[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            check(input, "random input, seed " + (SEED + 1) + ", iteration " + n);
        }
    }

    @Test
    void theExtractorNeverBreaksOnRandomTextInAnyEncoding() {
        Random random = new Random(SEED + 2);
        String[] charsets = {"utf-8", "us-ascii", "iso-2022-jp", "shift_jis", "gb18030", "windows-1252", "x-nonsense",
                "", "utf-16", "utf-32", "ks_c_5601-1987"};
        String[] encodings = {"7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary"};
        PreviewExtractor extractor = new PreviewExtractor(1 + random.nextInt(300));
        for (int n = 0; n < ITERATIONS / 4; n++) {
            byte[] input = new byte[random.nextInt(4096)];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : (byte) TEXT.charAt(random.nextInt(TEXT.length()));
            }
            TextPart part = new TextPart("1", random.nextBoolean(), charsets[random.nextInt(charsets.length)],
                    encodings[random.nextInt(encodings.length)], random.nextBoolean(), random.nextBoolean(), -1);
            long start = cpuNanos();
            PreviewText text;
            try {
                text = extractor.extract(part, input, 0, input.length, random.nextBoolean(), random.nextBoolean());
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("extract threw on " + part + ", seed " + (SEED + 2) + ", iteration " + n, e);
            }
            assertThat(Duration.ofNanos(cpuNanos() - start)).as("CPU time to extract").isLessThan(BOUND);
            assertThat(text.text().length()).isLessThanOrEqualTo(extractor.maxChars());
            assertThat(text.text()).doesNotContain("\r", "\n", "\t", "  ");
        }
    }

    static Stream<Arguments> adversaries() {
        String leaf = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1)";
        List<Arguments> all = new ArrayList<>();
        add(all, "10,000 open parentheses", () -> ascii("(".repeat(10_000)));
        add(all, "10,000 balanced parentheses", () -> ascii("(".repeat(10_000) + ")".repeat(10_000)));
        add(all, "a multipart nested 10,000 deep", () -> ascii("(".repeat(10_000) + leaf + " \"mixed\")".repeat(10_000)));
        add(all, "message/rfc822 nested 1,000 deep", () -> {
            String s = leaf;
            for (int i = 0; i < 1_000; i++) {
                s = "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) " + s + " 1)";
            }
            return ascii(s);
        });
        add(all, "100,000 parts", () -> ascii("(" + leaf.repeat(100_000) + " \"mixed\")"));
        add(all, "a literal claiming 2 GB", () -> ascii("(\"text\" \"plain\" {2147483647}\r\nabc)"));
        add(all, "a literal claiming 10^15 bytes", () -> ascii("(\"text\" \"plain\" {999999999999999}\r\nabc)"));
        add(all, "a 10 MB literal file name", () -> concat(ascii("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1)"
                + "(\"application\" \"pdf\" (\"name\" {10485760}\r\n"), concat(new byte[10 << 20], ascii(") NIL NIL \"base64\" 9) \"mixed\")"))));
        add(all, "a 10 MB quoted string", () -> ascii("(\"text\" \"" + "x".repeat(10 << 20) + "\" NIL NIL NIL \"7bit\" 5 1)"));
        add(all, "100,000 parameters", () -> ascii("(\"text\" \"plain\" (" + "\"a\" \"b\" ".repeat(100_000)
                + ") NIL NIL \"7bit\" 5 1)"));
        add(all, "100,000 RFC 2231 sections", () -> {
            StringBuilder sb = new StringBuilder("(\"application\" \"pdf\" (");
            for (int i = 0; i < 100_000; i++) {
                sb.append("\"name*").append(i).append("*\" \"%41%42\" ");
            }
            return ascii(sb + ") NIL NIL \"base64\" 9)");
        });
        add(all, "10 MB of backslashes in a string", () -> ascii("(\"" + "\\".repeat(10 << 20) + "\")"));
        add(all, "random bytes, 1 MB", () -> {
            byte[] bytes = new byte[1 << 20];
            new Random(SEED).nextBytes(bytes);
            bytes[0] = '(';
            return bytes;
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversaries")
    void adversarialInputsStayWithinBounds(String name, Supplier<byte[]> generator) {
        check(generator.get(), name);
    }

    // ---- the properties

    /** This thread's CPU time, else (where the JVM cannot tell it) wall-clock time. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static void check(byte[] input, String description) {
        long start = cpuNanos();
        PreviewPlan plan;
        try {
            plan = PreviewPlanner.plan(input, 0, input.length);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("plan threw on " + description + ": " + quote(input), e);
        }
        Duration took = Duration.ofNanos(cpuNanos() - start);
        try {
            assertThat(took).as("CPU time to plan").isLessThan(BOUND);
            assertThat(plan.attachments().size()).as("attachments").isLessThanOrEqualTo(BodyReader.MAX_PARTS);
            for (Attachment a : plan.attachments()) {
                assertThat(a.part()).matches("[1-9][0-9]*(\\.[1-9][0-9]*)*");
                assertThat(a.name().length()).isLessThanOrEqualTo(PreviewPlanner.MAX_NAME);
                assertThat(a.mimeType()).contains("/");
            }
            plan.text().ifPresent(t -> assertThat(t.section()).matches("[1-9][0-9]*(\\.[1-9][0-9]*)*"));
            assertThat(plan.warnings().size()).as("warnings").isLessThanOrEqualTo(1);
            if (!plan.warnings().isEmpty()) {
                assertThat(plan.text()).isEmpty();
                assertThat(plan.attachments()).isEmpty();
            }
        } catch (AssertionError e) {
            throw new AssertionError(description + ": " + e.getMessage() + "\ninput: " + quote(input), e);
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
                case 1 -> b = Arrays.copyOf(b, at);
                case 2 -> {
                    int from = random.nextInt(b.length + 1);
                    int to = Math.min(b.length, from + random.nextInt(200));
                    b = insert(b, at, Arrays.copyOfRange(b, from, to));
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

    private static void add(List<Arguments> all, String name, Supplier<byte[]> input) {
        all.add(Arguments.of(name, input));
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
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
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
            }
        }
        return sb.append(input.length > shown ? "\"… (" + input.length + " bytes)" : "\"").toString();
    }
}
