package dev.imapsync.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that stands still until a test moves it, for schedules, backoff and leases tested
 * without sleeping: pass it where imap-sync takes a {@link Clock} ({@code SyncEngine.Builder},
 * {@code SyncScheduler.Builder}, ...).
 *
 * <pre>{@code
 * SettableClock clock = SettableClock.at(Instant.parse("2026-11-01T12:00:00Z"));
 * ... a scheduler built with .clock(clock) ...
 * clock.advance(Duration.ofMinutes(5));   // the next pass sees five minutes gone
 * }</pre>
 *
 * <p>Always in UTC. Thread-safe: a sync thread reading it sees every move a test thread made
 * before.
 */
public final class SettableClock extends Clock {
    private volatile Instant now;

    private SettableClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at {@code start}. */
    public static SettableClock at(Instant start) {
        return new SettableClock(Objects.requireNonNull(start, "start"));
    }

    /** Moves the clock on by {@code by} (backwards when negative); returns the new time. */
    public synchronized Instant advance(Duration by) {
        Objects.requireNonNull(by, "by");
        now = now.plus(by);
        return now;
    }

    /** Sets the clock to {@code to}, earlier or later than it was. */
    public void set(Instant to) {
        now = Objects.requireNonNull(to, "to");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * Not supported: a {@link SettableClock} stays in UTC, and a copy in another zone would no
     * longer follow {@link #advance}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a SettableClock stays in UTC; convert the instants it gives instead");
    }

    @Override
    public String toString() {
        return "SettableClock[" + now + "]";
    }
}
