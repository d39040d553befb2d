package dev.imapsync.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bounded polling, for what a test cannot be told about and must look at again: a line in a log
 * another process writes, a count another thread raises, a server's recordings. Waits first 1 ms
 * between looks, doubling up to {@value #MAX_PAUSE_MILLIS} ms, so a condition that soon holds
 * costs little and one that takes seconds does not spin.
 *
 * <pre>{@code
 * Await.until("the scheduler's syncs end", Duration.ofSeconds(10), () -> scheduler.runningCount() == 0);
 * long seen = Await.until("two failed logins in the log", Duration.ofSeconds(5),
 *         () -> dovecot.passwordMismatches(user), n -> n >= 2);
 * }</pre>
 *
 * <p>Prefer a latch or a future where the code under test can signal: polling is for what it
 * cannot. A timeout fails with an {@link AssertionError} saying what was awaited, for how long,
 * and (for {@link #until(String, Duration, Supplier, Predicate)}) the value last seen.
 */
public final class Await {
    /** The longest pause between two looks. */
    public static final long MAX_PAUSE_MILLIS = 50;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds; checks once more at the deadline.
     *
     * @param what      what is awaited, for the failure message ("the sync ends")
     * @param atMost    how long to wait at most
     * @param condition what to look at; called from this thread only
     * @throws AssertionError if it did not hold within {@code atMost}, or the thread was interrupted
     *                        (the interrupt flag is then set again)
     */
    public static void until(String what, Duration atMost, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        until(what, atMost, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Looks at {@code probe} until {@code done} accepts what it answers, and returns that value;
     * checks once more at the deadline.
     *
     * @param what   what is awaited, for the failure message
     * @param atMost how long to wait at most
     * @param probe  what to look at; called from this thread only
     * @param done   whether a value is the one awaited
     * @throws AssertionError if no value was accepted within {@code atMost} (the message shows the
     *                        last one), or the thread was interrupted (the interrupt flag is then
     *                        set again)
     */
    public static <T> T until(String what, Duration atMost, Supplier<T> probe, Predicate<? super T> done) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(done, "done");
        if (atMost == null || atMost.isNegative()) {
            throw new IllegalArgumentException("atMost must be zero or positive, not " + atMost);
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        long pause = 1;
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Timed out after " + atMost + " waiting until " + what
                        + (value instanceof Boolean ? "" : "; last seen: " + value));
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting until " + what, e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }
}
