package dev.imapsync.schedule;

import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;

/**
 * Hears what a {@link SyncScheduler} does with each account, for metrics or a live view.
 * Override what you need; the methods do nothing by default.
 *
 * <p>Called on the sync threads, possibly several at once: implementations must be thread-safe,
 * fast, and must not call back into the scheduler. What they throw is logged and ignored.
 */
public interface SchedulerListener {

    /** A listener that does nothing. */
    SchedulerListener NONE = new SchedulerListener() {
    };

    /** A sync of the account begins on this node (its claim is held). */
    default void accountStarted(String accountId) {
    }

    /**
     * A sync of the account ended, or was not made (the account was removed, or retries are
     * stopped after a failed login).
     *
     * @param outcome what happened: the sync's report, or why there is none
     * @param next    the account's schedule state from now on, as this node wrote it (for a
     *                removed account, its last state)
     */
    default void accountFinished(AccountOutcome outcome, ScheduleState next) {
    }
}
