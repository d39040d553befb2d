package dev.imapsync.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop thread of {@link SyncScheduler#start()} and when it wakes: at the earliest next run
 * this node knows of, at least every {@link SyncScheduler#MAX_IDLE}, and at once when asked
 * ({@link #wake()}: a sync ended or was requested).
 *
 * <p>One lock guards the wake-up times and flags; it is never held while the step runs or during
 * I/O, and nothing else is locked while it is held.
 */
final class SchedulerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final Clock clock;
    private final String nodeId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeSet<Instant> wakeups = new TreeSet<>(); // guarded by lock
    private boolean wakeRequested; // guarded by lock
    private boolean stopped; // guarded by lock
    private Thread thread; // guarded by lock

    SchedulerLoop(Clock clock, String nodeId) {
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /**
     * Starts the loop thread, which runs {@code step} on every wake-up; starting twice does nothing.
     *
     * @return false if the loop was stopped already
     */
    boolean start(Runnable step) {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            if (thread == null) {
                thread = SchedulerThreads.startDaemon(() -> run(step), SyncScheduler.LOOP_THREAD);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #start} started the thread. */
    boolean started() {
        lock.lock();
        try {
            return thread != null;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the loop step again at once. */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes the loop step at {@code at} at the latest (a next run this node wrote). */
    void wakeAt(Instant at) {
        lock.lock();
        try {
            if (wakeups.add(at) && at.equals(wakeups.first()) && thread != null) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the wake-ups up to {@code now}: the step about to run covers them. */
    void prune(Instant now) {
        lock.lock();
        try {
            wakeups.headSet(now, true).clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop after its current step; {@link #start} then refuses.
     *
     * @return the loop thread to join, or null if none was started
     */
    Thread stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
            return thread;
        } finally {
            lock.unlock();
        }
    }

    private void run(Runnable step) {
        LOG.info("scheduler {}: loop started", nodeId);
        while (true) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("scheduler {}: a tick failed, trying again: {}", nodeId, e.toString(), e);
            }
            lock.lock();
            try {
                if (!stopped && !wakeRequested) {
                    long nanos = nanosToNextWake();
                    if (nanos > 0) {
                        changed.awaitNanos(nanos);
                    }
                }
                wakeRequested = false;
                if (stopped) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            } finally {
                lock.unlock();
            }
        }
        LOG.info("scheduler {}: loop stopped", nodeId);
    }

    /** Called holding the lock. */
    private long nanosToNextWake() {
        long max = SyncScheduler.MAX_IDLE.toNanos();
        if (wakeups.isEmpty()) {
            return max;
        }
        Duration until = Duration.between(clock.instant(), wakeups.first());
        if (until.isNegative() || until.isZero()) {
            return 0;
        }
        return until.compareTo(SyncScheduler.MAX_IDLE) >= 0 ? max : until.toNanos();
    }
}
