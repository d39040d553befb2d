package dev.imapsync.schedule;

import dev.imapsync.FailureKind;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Decides when an account runs next: at its interval after a sync (±10%), after a backoff
 * following failures, as late as a throttling server asks, and not at all after a failed login
 * or a revoked OAuth 2.0 grant until the account's settings change (its revision moves when it
 * is saved again). The one source of randomness is shared by the sync
 * threads, so every draw holds its lock.
 */
final class RetryPolicy {
    /** The spread of regular syncs around the interval. */
    static final double INTERVAL_JITTER = 0.1;
    /** The longest spread of new accounts' first runs. */
    static final Duration FIRST_RUN_SPREAD = Duration.ofMinutes(1);
    /** How often an account whose retries stopped is looked at again (its revision is also watched). */
    static final Duration STOPPED_RECHECK = Duration.ofDays(1);
    /** How long an account waits when its host is at the per-host cap on this node (before jitter). */
    static final Duration HOST_BUSY_DELAY = Duration.ofSeconds(5);
    /** Appended to the hint when retries stop after a failed login. */
    static final String STOPPED_HINT = "Retries are stopped until the account's credentials or settings change"
            + " (or a sync is requested with syncNow), so that the provider does not lock the account.";

    private final Backoff backoff;
    private final RandomGenerator random;
    private final Duration defaultInterval;

    RetryPolicy(Backoff backoff, RandomGenerator random, Duration defaultInterval) {
        this.backoff = backoff;
        this.random = random;
        this.defaultInterval = defaultInterval;
    }

    /** What follows an attempt: the next state and the hint to show with the status. */
    record Plan(ScheduleState next, String hint) {
    }

    /** The interval of an account: its stored settings', else its summary's, else the default. */
    Duration interval(AccountSummary summary, Optional<Duration> managed) {
        return managed.or(summary::interval).orElse(defaultInterval);
    }

    /** A new account's first run: within {@code min(interval, 1 minute)} from now, spread at random. */
    Instant firstRun(Instant now, Duration interval) {
        long spread = Math.min(interval.toMillis(), FIRST_RUN_SPREAD.toMillis());
        return spread <= 0 ? now : now.plusMillis(nextLong(spread));
    }

    /**
     * The state after an attempt.
     *
     * @param before   the state the attempt ran from (a cleared stop already cleared)
     * @param revision the account's revision when it was claimed
     * @param interval the account's interval
     */
    Plan after(ScheduleState before, long revision, Attempt attempt, Duration interval, Instant now) {
        if (attempt.synced()) {
            double factor = 1.0 + INTERVAL_JITTER * (2.0 * nextDouble() - 1.0);
            long millis = Math.max(1L, Math.round(interval.toMillis() * factor));
            return new Plan(new ScheduleState(now.plusMillis(millis), 0, OptionalLong.empty()), attempt.hint());
        }
        int failures = before.failures() >= Integer.MAX_VALUE - 1 ? before.failures() : before.failures() + 1;
        if (attempt.status() == SyncStatus.AUTH_FAILED || attempt.status() == SyncStatus.AUTH_REVOKED) {
            String hint = attempt.hint().isEmpty() ? STOPPED_HINT : attempt.hint() + " " + STOPPED_HINT;
            return new Plan(new ScheduleState(now.plus(STOPPED_RECHECK), failures, OptionalLong.of(revision)), hint);
        }
        Duration wait = delay(failures);
        if (attempt.status() == SyncStatus.THROTTLED || attempt.kind().filter(k -> k == FailureKind.THROTTLED).isPresent()) {
            wait = ThrottleAdvice.waitAfterThrottling(attempt.message(), wait);
        }
        return new Plan(new ScheduleState(now.plus(wait), failures, OptionalLong.empty()), attempt.hint());
    }

    /** The state of an account whose retries stay stopped: looked at again later, nothing else changes. */
    ScheduleState stillStopped(ScheduleState state, Instant now) {
        return dueAt(state, now.plus(STOPPED_RECHECK));
    }

    /** The state of an account put back because its host is at the cap: a few seconds later, not a failure. */
    ScheduleState hostBusy(ScheduleState state, Instant now) {
        long millis = HOST_BUSY_DELAY.toMillis() + nextLong(HOST_BUSY_DELAY.toMillis() / 5);
        return dueAt(state, now.plusMillis(millis));
    }

    /** The same state, due at {@code at}. */
    static ScheduleState dueAt(ScheduleState state, Instant at) {
        return new ScheduleState(at, state.failures(), state.stoppedRevision());
    }

    /** The same state, due at {@code at} unless it is due later already. */
    static ScheduleState dueNoEarlierThan(ScheduleState state, Instant at) {
        return state.nextRunAt().isAfter(at) ? state : dueAt(state, at);
    }

    /** The same state without a stop after a failed login. */
    static ScheduleState withoutStop(ScheduleState state) {
        return new ScheduleState(state.nextRunAt(), state.failures(), OptionalLong.empty());
    }

    private Duration delay(int failures) {
        synchronized (random) {
            return backoff.delay(failures, random);
        }
    }

    private double nextDouble() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private long nextLong(long bound) {
        if (bound <= 0) {
            return 0;
        }
        synchronized (random) {
            return random.nextLong(bound);
        }
    }
}
