package dev.imapsync.schedule;

import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
