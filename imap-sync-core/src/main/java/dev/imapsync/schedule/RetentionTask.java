package dev.imapsync.schedule;

import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the retention ({@link PrivacyStore#applyRetention}) at most once a day on this node.
 * The scheduler's step asks {@link #startIfDue}; a due run goes to a daemon thread of its own,
 * {@value #THREAD}, so that it never holds up a sync nor the claiming of the next one, however
 * long the store's batches take. A failure is logged with what to do and tried again an hour
 * later; it never stops the scheduler.
 */
final class RetentionTask {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    /** The name of the thread a run goes to. */
    static final String THREAD = "imap-sync-retention";
    /** The least time between two runs that succeeded. */
    static final Duration EVERY = Duration.ofDays(1);
    /** The wait after a run that failed. */
    static final Duration AFTER_FAILURE = Duration.ofHours(1);

    private final PrivacyStore store;
    private final Retention retention;
    private final Clock clock;
    private final String nodeId;
    private final AtomicInteger started = new AtomicInteger();
    /** Guarded by this. */
    private Instant nextRun = Instant.MIN;
    /** Guarded by this. */
    private Thread running;

    RetentionTask(PrivacyStore store, Retention retention, Clock clock, String nodeId) {
        this.store = Objects.requireNonNull(store, "store");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /**
     * Starts a run on its own thread when one is due and none runs.
     *
     * @return whether a run was started
     */
    synchronized boolean startIfDue(Instant now) {
        if (running != null || now.isBefore(nextRun)) {
            return false;
        }
        nextRun = now.plus(EVERY); // a run that fails moves it closer
        started.incrementAndGet();
        running = SchedulerThreads.startDaemon(this::run, THREAD);
        return true;
    }

    private void run() {
        Instant now = clock.instant();
        try {
            Retention.Result r = store.applyRetention(retention, now);
            LOG.info("scheduler {}: retention applied (previews older than {}{}): {} previews, {} history entries,"
                    + " {} messages dropped; next in {}", nodeId, retention.previews(),
                    retention.entries().map(e -> ", history older than " + e).orElse(""), r.previews(), r.entries(),
                    r.messages(), EVERY);
        } catch (RuntimeException e) {
            synchronized (this) {
                nextRun = now.plus(AFTER_FAILURE);
            }
            LOG.warn("scheduler {}: the retention (previews older than {}) could not be applied: {}. Syncs go on;"
                    + " it is tried again in {}. Check that the store is reachable and its schema migrated; what a"
                    + " failed run dropped stays dropped and the rerun finishes it.", nodeId, retention.previews(),
                    e.toString(), AFTER_FAILURE, e);
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    /** How many runs were started (for tests). */
    int started() {
        return started.get();
    }

    /** Whether a run is going on now. */
    synchronized boolean running() {
        return running != null;
    }

    /** The thread of the run going on, if any, so that close() can wait for it a bounded time. */
    synchronized Thread thread() {
        return running;
    }
}
