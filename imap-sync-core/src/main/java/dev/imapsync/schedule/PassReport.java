package dev.imapsync.schedule;

import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link SyncScheduler#runPass()} did: an outcome per account it handled, in the order
 * they ended.
 *
 * @param outcomes one per account attempt or skip
 * @param duration how long the pass took
 */
public record PassReport(List<AccountOutcome> outcomes, Duration duration) {

    /** Validates and copies. */
    public PassReport {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(duration, "duration");
    }

    /** Accounts synced (OK or PARTIAL). */
    public int synced() {
        return count(AccountOutcome.Result.SYNCED);
    }

    /** Accounts whose sync failed. */
    public int failed() {
        return count(AccountOutcome.Result.FAILED);
    }

    /** Accounts due but not synced: retries stopped after a failed login, or removed. */
    public int skipped() {
        return count(AccountOutcome.Result.SKIPPED);
    }

    private int count(AccountOutcome.Result result) {
        return (int) outcomes.stream().filter(o -> o.result() == result).count();
    }

    /** {@code PassReport[synced=.., failed=.., skipped=.., in .. ms]}. */
    @Override
    public String toString() {
        return "PassReport[synced=" + synced() + ", failed=" + failed() + ", skipped=" + skipped() + ", in "
                + duration.toMillis() + " ms]";
    }

    /**
     * What a {@link SyncScheduler} did with one account in one attempt.
     *
     * @param accountId the account
     * @param result    whether it synced, failed, or was skipped
     * @param status    the status recorded for the attempt; empty when nothing was recorded (the
     *                  account was removed)
     * @param report    the engine's report, when the engine ran
     * @param message   what happened (empty when the sync went fine)
     * @param hint      what to do about it (empty when the sync went fine)
     * @param nextRunAt when the account is due next; empty when it has no schedule any more
     */
    public record AccountOutcome(String accountId, Result result, Optional<SyncStatus> status, Optional<SyncReport> report,
                                 String message, String hint, Optional<Instant> nextRunAt) {

        /** Validates that all parts are present. */
        public AccountOutcome {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(hint, "hint");
            Objects.requireNonNull(nextRunAt, "nextRunAt");
        }

        /** How an attempt ended, in one word. */
        public enum Result {
            /** The sync ran and completed ({@link SyncStatus#OK} or {@link SyncStatus#PARTIAL}). */
            SYNCED,
            /** The sync was attempted and failed; the account backs off (or stops, after a failed login). */
            FAILED,
            /** No sync was attempted: retries are stopped after a failed login, or the account was removed. */
            SKIPPED
        }
    }
}
