package dev.imapsync.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The syncs this node runs (or has handed over and not yet begun), one per account, within the
 * global limit and the per-host cap; and the closing flag that stops new ones.
 *
 * <p>One lock guards the map, the host slots, the completion count and the flag. It is never held
 * during I/O; the only call made under it is {@link SyncRun#adopt}, which takes the run's
 * monitor (lock order: this lock, then a run's monitor; never the reverse). {@code onChange}
 * runs after the lock is let go.
 */
final class RunningSyncs {
    /** What {@link #admit} did. */
    enum Admission {
        /** Added: the caller hands it to a sync thread. */
        ADMITTED,
        /** The account's earlier sync still runs and now holds the new claim. */
        ADOPTED,
        /** Its host is at the per-host cap. */
        HOST_BUSY,
        /** Closing, or the account's earlier sync is ending: the claim goes back. */
        REFUSED
    }

    private final int maxConcurrent;
    private final HostSlots hosts;
    private final Runnable onChange;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a sync ends or the scheduler closes. */
    private final Condition changed = lock.newCondition();
    private final Map<String, SyncRun> running = new HashMap<>(); // guarded by lock
    private long completions; // guarded by lock
    private boolean closing; // guarded by lock

    RunningSyncs(int maxConcurrent, HostSlots hosts, Runnable onChange) {
        this.maxConcurrent = maxConcurrent;
        this.hosts = hosts;
        this.onChange = onChange;
    }

    /** How many syncs at once this node runs against one IMAP host. */
    int hostLimit() {
        return hosts.limit(); // fixed at construction: no lock needed
    }

    /** How many more syncs may start now; 0 when closing. */
    int free() {
        lock.lock();
        try {
            return closing ? 0 : maxConcurrent - running.size();
        } finally {
            lock.unlock();
        }
    }

    Admission admit(SyncRun run) {
        lock.lock();
        try {
            SyncRun existing = running.get(run.accountId);
            if (existing != null) {
                // this node's sync still runs but its lease lapsed and was claimed anew: hold the new claim
                return existing.adopt(run.claim()) ? Admission.ADOPTED : Admission.REFUSED;
            }
            if (closing) {
                return Admission.REFUSED;
            }
            if (!hosts.tryTake(run.host)) {
                return Admission.HOST_BUSY;
            }
            running.put(run.accountId, run);
            return Admission.ADMITTED;
        } finally {
            lock.unlock();
        }
    }

    /** Removes an ended (or withdrawn) run and frees its host slot. */
    void finished(SyncRun run) {
        lock.lock();
        try {
            if (running.remove(run.accountId, run)) {
                hosts.give(run.host);
            }
            completions++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /** Notes a request for a sync of an account whose sync runs now; false if none runs. */
    boolean requestAgain(String accountId) {
        lock.lock();
        try {
            SyncRun run = running.get(accountId);
            if (run != null) {
                run.requestAgain();
            }
            return run != null;
        } finally {
            lock.unlock();
        }
    }

    long completions() {
        lock.lock();
        try {
            return completions;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a pass: waits until a sync ends after {@code seen} completions.
     *
     * @return false when the pass is over: closing, or nothing runs and nothing was dispatched
     */
    boolean awaitProgress(long seen, int dispatched) {
        lock.lock();
        try {
            if (closing || running.isEmpty() && dispatched == 0) {
                return false;
            }
            while (completions == seen && !running.isEmpty() && !closing) {
                changed.await();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    List<SyncRun> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(running.values());
        } finally {
            lock.unlock();
        }
    }

    int count() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    /** No more admissions; wakes a waiting pass. */
    void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the runs that have not begun as withdrawn and returns them; they are still listed. */
    List<SyncRun> cancelUnstarted() {
        List<SyncRun> unstarted = new ArrayList<>();
        for (SyncRun run : snapshot()) {
            if (run.cancelIfNotStarted()) {
                unstarted.add(run);
            }
        }
        return unstarted;
    }

    /** Waits until no sync runs, or until the {@link System#nanoTime()} deadline; returns those left. */
    List<SyncRun> awaitEmpty(long deadlineNanos) {
        lock.lock();
        try {
            while (!running.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        return snapshot();
    }
}
