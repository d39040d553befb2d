package dev.imapsync.schedule;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait after failed attempts: exponential growth from {@code initial} by
 * {@code multiplier} per failure, capped at {@code max}, then spread by {@code ±jitter} so that
 * accounts that failed together (one server down for everyone) do not all retry together.
 *
 * <p>The jitter is applied after the cap, so at the cap delays lie between
 * {@code max × (1 - jitter)} and {@code max × (1 + jitter)}: that keeps them spread instead of
 * piling up on the cap itself.
 *
 * @param initial    the delay after the first failure (before jitter); positive
 * @param max        the longest delay before jitter; at least {@code initial}, at most 7 days
 * @param multiplier how much each further failure multiplies the delay; at least 1
 * @param jitter     the spread as a fraction of the delay, 0 (none) up to, not including, 1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /** Validates the parts, with messages that say what to fix. */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("Backoff initial delay " + initial + " is not positive: give e.g. PT1M");
        }
        if (max.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("Backoff max " + max + " is too long: give at most 7 days (PT168H);"
                    + " a failed login stops retries by itself");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff max " + max + " is below the initial delay " + initial
                    + ": give a max of at least the initial delay");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("Backoff multiplier " + multiplier
                    + " is not usable: give 1 (constant) or more (2 doubles the delay per failure)");
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("Backoff jitter " + jitter
                    + " is out of range: give a fraction from 0 (none) to below 1 (0.2 for ±20%)");
        }
    }

    /** The longest delay a backoff may reach. */
    private static final Duration MAX_DELAY = Duration.ofDays(7);

    /** The default: 1 minute, doubling per failure, capped at 1 hour, ±20% jitter. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 2.0, 0.2);
    }

    /** Doubling from {@code initial} up to {@code max}, with ±20% jitter. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0, 0.2);
    }

    /** This backoff with another jitter (0 for none). */
    public Backoff withJitter(double otherJitter) {
        return new Backoff(initial, max, multiplier, otherJitter);
    }

    /**
     * The delay before the next attempt.
     *
     * @param failures failed attempts in a row, counting the one just made (1 after the first
     *                 failure); values below 1 count as 1
     * @param random   the source of the jitter; used by one thread at a time
     * @return {@code min(initial × multiplier^(failures-1), max) × (1 ± jitter)}, never below 1 ms
     */
    public Duration delay(int failures, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        double maxMillis = max.toMillis();
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        double capped = Double.isFinite(base) ? Math.min(base, maxMillis) : maxMillis;
        double factor = jitter == 0.0 ? 1.0 : 1.0 + jitter * (2.0 * random.nextDouble() - 1.0);
        return Duration.ofMillis(Math.max(1L, Math.round(capped * factor)));
    }
}
