package dev.imapsync.schedule;

import dev.imapsync.FailureKind;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How one scheduled attempt at an account went, before the scheduler decides what follows.
 *
 * @param status      the outcome in one word
 * @param report      the engine's report, when the engine ran
 * @param kind        the kind of failure that stopped the sync, when it came from the server
 * @param message     what happened (empty when OK)
 * @param hint        what to do about it (empty when OK)
 * @param attemptedAt when the attempt began
 * @param removed     whether the account turned out to be gone from the repository
 * @param interval    the account's own interval, when its stored settings name one
 * @param account     the account as it was synced, when it was read from the repository (for IDLE)
 */
record Attempt(SyncStatus status, Optional<SyncReport> report, Optional<FailureKind> kind, String message,
               String hint, Instant attemptedAt, boolean removed, Optional<Duration> interval,
               Optional<ImapAccount> account) {

    /** Whether the sync completed (OK or PARTIAL). */
    boolean synced() {
        return !removed && (status == SyncStatus.OK || status == SyncStatus.PARTIAL);
    }

    static Attempt removed(Instant attemptedAt) {
        return new Attempt(SyncStatus.ERROR, Optional.empty(), Optional.empty(), "", "", attemptedAt, true,
                Optional.empty(), Optional.empty());
    }

    static Attempt error(String message, String hint, Instant attemptedAt, Optional<Duration> interval) {
        return new Attempt(SyncStatus.ERROR, Optional.empty(), Optional.empty(), message, hint, attemptedAt, false,
                interval, Optional.empty());
    }
}
