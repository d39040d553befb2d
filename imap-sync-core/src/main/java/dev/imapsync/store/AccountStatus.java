package dev.imapsync.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a person sees about an account: how its last sync went, when it last worked, and what
 * to do if it did not.
 *
 * @param accountId     the account
 * @param status        the last attempt's outcome
 * @param lastAttemptAt when the last sync was attempted
 * @param lastSyncedAt  when a sync last completed (OK or PARTIAL), if ever
 * @param message       what happened (empty when OK)
 * @param hint          what to do about it (empty when OK)
 * @param nextRunAt     when the next sync is planned, if a scheduler plans one
 * @param fetched       messages the last attempt read from the server
 * @param activities    history entries the last attempt newly wrote
 */
public record AccountStatus(String accountId, SyncStatus status, Instant lastAttemptAt, Optional<Instant> lastSyncedAt,
                            String message, String hint, Optional<Instant> nextRunAt, long fetched, long activities) {
    /** Validates that all parts are present and the counts are not negative. */
    public AccountStatus {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        Objects.requireNonNull(lastSyncedAt, "lastSyncedAt");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(nextRunAt, "nextRunAt");
        if (fetched < 0 || activities < 0) {
            throw new IllegalArgumentException("Counts of account " + accountId + " are negative (fetched " + fetched
                    + ", activities " + activities + "): they count messages and history entries");
        }
    }

    /** This status with another planned next run. */
    public AccountStatus withNextRunAt(Instant next) {
        return new AccountStatus(accountId, status, lastAttemptAt, lastSyncedAt, message, hint,
                Optional.of(Objects.requireNonNull(next, "next")), fetched, activities);
    }
}
