package dev.imapsync.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A small property runner on plain JUnit: {@link #check} runs a property's body {@link #TRIES}
 * times, each try on its own seeded {@link SplittableRandom} ({@link Gen}), and when a try fails
 * it throws an {@link AssertionError} that names the property, the try, its seed, the command
 * line that replays that one try, and every input the try drew (escaped, truncated), with the
 * original failure as the cause. There is no shrinking: the failing input is shown as drawn.
 *
 * <p>System properties (surefire passes {@code -D} user properties on to the tests):
 * <ul>
 *   <li>{@code imapsync.fuzz.tries}: tries per property, 2,000 unless set;</li>
 *   <li>{@code imapsync.fuzz.seed}: the seed of the first try (a number, or {@code random} for a
 *       new one each run); unset, a fixed seed derived from the property's name, so CI runs the
 *       same inputs every time. Try {@code k} uses {@code seed + k * 0x9E3779B97F4A7C15L}, so
 *       {@code -Dimapsync.fuzz.seed=<a try's seed> -Dimapsync.fuzz.tries=1} replays that try
 *       exactly.</li>
 * </ul>
 */
public final class Fuzz {
    /** Tries per property: {@code -Dimapsync.fuzz.tries=N}, 2,000 unless set. */
    public static final int TRIES = Integer.getInteger("imapsync.fuzz.tries", 2_000);
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final int SHOWN_CHARS = 600;

    private Fuzz() {
    }

    /**
     * Runs {@code property} {@link #TRIES} times; see the class comment for the seeds and the
     * failure message. A try that finds its input does not apply simply returns (it still counts).
     *
     * @param name     the property's name, for the message and the default seed; use
     *                 {@code Class#method} so the replay hint is a valid {@code -Dtest} filter
     * @param property draws its inputs from the {@link Gen} with {@link Gen#draw} and asserts
     */
    public static void check(String name, Consumer<Gen> property) {
        String configured = System.getProperty("imapsync.fuzz.seed");
        long first;
        if (configured == null || configured.isBlank()) {
            first = new SplittableRandom(name.hashCode() * GAMMA).nextLong();
        } else if (configured.trim().equalsIgnoreCase("random")) {
            first = new SplittableRandom().nextLong();
        } else {
            first = Long.parseLong(configured.trim());
        }
        for (int k = 0; k < TRIES; k++) {
            long seed = first + k * GAMMA;
            Gen gen = new Gen(seed);
            try {
                property.accept(gen);
            } catch (Throwable failure) {
                if (failure instanceof VirtualMachineError) {
                    throw (VirtualMachineError) failure;
                }
                throw new AssertionError(report(name, k, seed, gen, failure), failure);
            }
        }
    }

    private static String report(String name, int k, long seed, Gen gen, Throwable failure) {
        StringBuilder out = new StringBuilder();
        out.append("property ").append(name).append(" failed on try ").append(k + 1).append(" of ").append(TRIES)
                .append(", seed ").append(seed).append('\n')
                .append("  replay, in the test's module: mvn test -Dtest='").append(name)
                .append("' -Dimapsync.fuzz.seed=").append(seed).append(" -Dimapsync.fuzz.tries=1\n");
        for (Map.Entry<String, String> input : gen.drawn.entrySet()) {
            out.append("  ").append(input.getKey()).append(" = ").append(input.getValue()).append('\n');
        }
        String message = String.valueOf(failure.getMessage());
        out.append("  failure: ").append(failure.getClass().getSimpleName()).append(": ")
                .append(message.length() > 2 * SHOWN_CHARS ? message.substring(0, 2 * SHOWN_CHARS) + "…" : message);
        return out.toString();
    }

    /** A value as the failure message shows it: text and bytes escaped to printable ASCII, long ones cut. */
    public static String show(Object value) {
        if (value instanceof byte[]) {
            byte[] bytes = (byte[]) value;
            StringBuilder s = new StringBuilder("byte[").append(bytes.length).append("] \"");
            for (int i = 0; i < bytes.length && s.length() < SHOWN_CHARS; i++) {
                escape(s, (char) (bytes[i] & 0xFF), true);
            }
            return s.append(cutMark(s, bytes.length)).toString();
        }
        if (value instanceof CharSequence) {
            CharSequence text = (CharSequence) value;
            StringBuilder s = new StringBuilder("String(").append(text.length()).append(") \"");
            for (int i = 0; i < text.length() && s.length() < SHOWN_CHARS; i++) {
                escape(s, text.charAt(i), false);
            }
            return s.append(cutMark(s, text.length())).toString();
        }
        return String.valueOf(value);
    }

    private static String cutMark(StringBuilder s, int length) {
        return s.length() >= SHOWN_CHARS ? "\"… (cut; " + length + " in all)" : "\"";
    }

    private static void escape(StringBuilder s, char c, boolean asByte) {
        switch (c) {
            case '\r' -> s.append("\\r");
            case '\n' -> s.append("\\n");
            case '\t' -> s.append("\\t");
            case '"' -> s.append("\\\"");
            case '\\' -> s.append("\\\\");
            default -> {
                if (c >= 0x20 && c < 0x7F) {
                    s.append(c);
                } else if (asByte) {
                    s.append(String.format("\\x%02X", (int) c));
                } else {
                    s.append(String.format("\\u%04X", (int) c));
                }
            }
        }
    }

    /**
     * One try's randomness, with the generators the properties are built from. Sizes and
     * integers lean to their bounds and to small values now and then, as a property-testing
     * library's would, so empty and extreme inputs come up in every run.
     */
    public static final class Gen {
        private final SplittableRandom random;
        private final Map<String, String> drawn = new LinkedHashMap<>();

        Gen(long seed) {
            this.random = new SplittableRandom(seed);
        }

        /** Draws a property's input and records it for the failure message. */
        public <T> T draw(String name, Function<Gen, T> generator) {
            T value = generator.apply(this);
            drawn.put(name, show(value));
            return value;
        }

        /** Records a value the property derived, for the failure message. */
        public void note(String name, Object value) {
            drawn.put(name, show(value));
        }

        /** An int in {@code [min, max]}: {@code min} or {@code max} one time in 16 each, otherwise uniform. */
        public int between(int min, int max) {
            int edge = random.nextInt(16);
            if (edge == 0) {
                return min;
            }
            if (edge == 1) {
                return max;
            }
            return min + random.nextInt(max - min + 1);
        }

        /**
         * A size in {@code [min, max]}: the bounds now and then, small sizes often (most inputs
         * that break something are small), otherwise uniform.
         */
        public int size(int min, int max) {
            int pick = random.nextInt(16);
            if (pick == 0) {
                return min;
            }
            if (pick == 1) {
                return max;
            }
            if (pick < 9) {
                return min + random.nextInt(Math.min(max - min, 12) + 1);
            }
            return min + random.nextInt(max - min + 1);
        }

        /** A double in {@code [0, 1]}: 0 or 1 one time in 16 each, otherwise uniform. */
        public double unit() {
            int edge = random.nextInt(16);
            return edge == 0 ? 0.0 : edge == 1 ? 1.0 : random.nextDouble();
        }

        public boolean nextBoolean() {
            return random.nextBoolean();
        }

        /** An int in {@code [0, bound)}, uniform. */
        public int nextInt(int bound) {
            return random.nextInt(bound);
        }

        /** One of the values, uniform. */
        @SafeVarargs
        public final <T> T pick(T... values) {
            return values[random.nextInt(values.length)];
        }

        /** The value of one of the generators, each as likely. */
        @SafeVarargs
        public final <T> T oneOf(Function<Gen, T>... generators) {
            return generators[random.nextInt(generators.length)].apply(this);
        }

        /** {@code size(min, max)} values of the generator. */
        public <T> List<T> list(int min, int max, Supplier<T> element) {
            int n = size(min, max);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.get());
            }
            return out;
        }

        /** Any bytes, up to {@code maxSize} of them; 0, -1, 127 and -128 more often than the rest. */
        public byte[] bytes(int maxSize) {
            byte[] out = new byte[size(0, maxSize)];
            for (int i = 0; i < out.length; i++) {
                out[i] = random.nextInt(16) == 0 ? pick((byte) 0, (byte) -1, (byte) 127, (byte) -128)
                        : (byte) random.nextInt(256);
            }
            return out;
        }

        /** A string of {@code size(minLength, maxLength)} chars from {@code [from, to]}. */
        public String chars(char from, char to, int minLength, int maxLength) {
            int n = size(minLength, maxLength);
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append(aChar(from, to));
            }
            return s.toString();
        }

        /** A string of {@code size(minLength, maxLength)} chars, each one of {@code alphabet}. */
        public String charsOf(String alphabet, int minLength, int maxLength) {
            int n = size(minLength, maxLength);
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return s.toString();
        }

        /** A char in {@code [from, to]}: a bound one time in 16 each, otherwise uniform. */
        public char aChar(char from, char to) {
            return (char) between(from, to);
        }
    }
}
