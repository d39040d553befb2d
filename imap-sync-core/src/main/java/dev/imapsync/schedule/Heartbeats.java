package dev.imapsync.schedule;

import dev.imapsync.schedule.spi.AccountLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the claims of this node's syncs alive: the thread {@value SyncScheduler#HEARTBEAT_THREAD},
 * started with the first sync, extends them every third of a lease. A claim found lost is not
 * extended again and not released: the node that took the account over writes its state.
 */
final class Heartbeats {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final AccountLeases leases;
    private final RunningSyncs runs;
    private final Clock clock;
    private final Duration leaseDuration;
    private final String nodeId;
    private final ScheduledThreadPoolExecutor thread;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Heartbeats(AccountLeases leases, RunningSyncs runs, Clock clock, Duration leaseDuration, String nodeId) {
        this.leases = leases;
        this.runs = runs;
        this.clock = clock;
        this.leaseDuration = leaseDuration;
        this.nodeId = nodeId;
        this.thread = new ScheduledThreadPoolExecutor(1,
                SchedulerThreads.daemon(n -> SyncScheduler.HEARTBEAT_THREAD));
        thread.setRemoveOnCancelPolicy(true);
    }

    /** Starts the heartbeats, once. */
    void ensureStarted() {
        if (scheduled.compareAndSet(false, true)) {
            long period = Math.max(1, leaseDuration.toMillis() / 3);
            thread.scheduleWithFixedDelay(() -> {
                try {
                    beat();
                } catch (RuntimeException e) {
                    LOG.warn("scheduler {}: heartbeat failed: {}", nodeId, e.toString(), e);
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Extends the claims of the syncs running or waiting to begin by a lease from the clock's now.
     *
     * @return how many claims were extended
     */
    int beat() {
        Instant until = clock.instant().plus(leaseDuration);
        int extended = 0;
        for (SyncRun run : runs.snapshot()) {
            Optional<Boolean> held;
            try {
                held = run.extend(leases, until);
            } catch (RuntimeException e) {
                LOG.warn("scheduler {}: account {}: extending its claim failed: {}", nodeId, run.accountId,
                        e.toString());
                continue;
            }
            if (held.isEmpty()) {
                continue;
            }
            if (held.get()) {
                extended++;
            } else {
                LOG.warn("scheduler {}: account {}: its claim was lost (the lease ended and another node may have"
                        + " taken it); the sync goes on, it is idempotent", nodeId, run.accountId);
            }
        }
        return extended;
    }

    void shutdown() {
        thread.shutdownNow();
    }
}
