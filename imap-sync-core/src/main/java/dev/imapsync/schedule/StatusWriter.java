package dev.imapsync.schedule;

import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.StatusStore;
import dev.imapsync.sync.SyncReport;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each account's {@link AccountStatus} to the store after an attempt or a skip. A store
 * that fails is logged and otherwise ignored: the schedule, kept in the leases, goes on.
 */
final class StatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final StatusStore store;
    private final String nodeId;

    StatusWriter(StatusStore store, String nodeId) {
        this.store = store;
        this.nodeId = nodeId;
    }

    /** The status after an attempt; the last synced time stays unless this attempt synced. */
    void afterAttempt(String id, Attempt attempt, RetryPolicy.Plan plan, Instant now) {
        try {
            Optional<Instant> lastSynced = attempt.synced() ? Optional.of(now)
                    : store.status(id).flatMap(AccountStatus::lastSyncedAt);
            store.saveStatus(new AccountStatus(id, attempt.status(), attempt.attemptedAt(), lastSynced,
                    attempt.message(), plan.hint(), Optional.of(plan.next().nextRunAt()),
                    attempt.report().map(SyncReport::fetched).orElse(0L),
                    attempt.report().map(SyncReport::activities).orElse(0L)));
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: its status could not be stored: {}", nodeId, id, e.toString());
        }
    }

    /**
     * Moves the next run of a skipped account's status; nothing else changes.
     *
     * @return the status as it was, if there was one and it could be read
     */
    Optional<AccountStatus> nextRunMoved(String id, Instant nextRunAt) {
        Optional<AccountStatus> status = Optional.empty();
        try {
            status = store.status(id);
            status.ifPresent(s -> store.saveStatus(s.withNextRunAt(nextRunAt)));
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: its status could not be updated: {}", nodeId, id, e.toString());
        }
        return status;
    }
}
