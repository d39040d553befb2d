package dev.imapsync.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the scheduler remembers about an account between runs, shared by all nodes: when it is
 * due next, how many attempts in a row have failed (for backoff), and, after a failed login,
 * the account revision at which retrying stopped (retries resume once the revision changes).
 *
 * @param nextRunAt        when the account is due
 * @param failures         failed attempts in a row; 0 after a success
 * @param stoppedRevision  the {@link AccountSummary#revision()} at which retries stopped, if they did
 */
public record ScheduleState(Instant nextRunAt, int failures, OptionalLong stoppedRevision) {
    /** Validates the parts. */
    public ScheduleState {
        Objects.requireNonNull(nextRunAt, "nextRunAt");
        Objects.requireNonNull(stoppedRevision, "stoppedRevision");
        if (failures < 0) {
            throw new IllegalArgumentException("failures is " + failures + ": it counts attempts, so it is 0 or more");
        }
    }

    /** A new account's state: due at {@code firstRun}, no failures. */
    public static ScheduleState firstRunAt(Instant firstRun) {
        return new ScheduleState(firstRun, 0, OptionalLong.empty());
    }
}
