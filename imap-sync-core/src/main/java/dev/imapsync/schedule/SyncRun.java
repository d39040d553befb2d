package dev.imapsync.schedule;

import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One claimed account handed to the sync threads, from hand-over to end: whether it began or was
 * withdrawn, the claim it holds now (heartbeats replace it), whether the claim was lost, and
 * whether a sync was requested while it ran.
 *
 * <p>The claim, {@code lost} and {@code done} change only under this object's monitor, which is
 * held across the lease call that reads or replaces the claim (heartbeat, release, adoption), so
 * a heartbeat never extends a claim that is being released. No other lock is taken under it.
 */
final class SyncRun {
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    final String accountId;
    /** The state the sync runs from (a cleared stop already cleared). */
    final ScheduleState state;
    final AccountSummary summary;
    final String host;
    /** The pass it belongs to, or null outside a pass. */
    final PassRecord pass;
    private final AtomicInteger phase = new AtomicInteger(NEW);
    private volatile FutureTask<Void> task;
    private volatile boolean requestedAgain;
    private LeaseClaim claim; // guarded by this
    private boolean lost; // guarded by this
    private boolean done; // guarded by this

    SyncRun(LeaseClaim claim, ScheduleState state, AccountSummary summary, PassRecord pass) {
        this.accountId = claim.accountId();
        this.claim = claim;
        this.state = state;
        this.summary = summary;
        this.host = HostSlots.hostOf(summary);
        this.pass = pass;
    }

    void task(FutureTask<Void> task) {
        this.task = task;
    }

    /** Interrupts the sync (shutdown) or withdraws it before it began. */
    void cancel(boolean interrupt) {
        FutureTask<Void> t = task;
        if (t != null) {
            t.cancel(interrupt);
        }
    }

    /** On the sync thread: whether the sync may begin (it was not withdrawn). */
    boolean begin() {
        return phase.compareAndSet(NEW, STARTED);
    }

    /** The claim held now. */
    synchronized LeaseClaim claim() {
        return claim;
    }

    /** Whether a heartbeat found the claim taken over by another node. */
    synchronized boolean lost() {
        return lost;
    }

    boolean cancelIfNotStarted() {
        return phase.compareAndSet(NEW, CANCELLED);
    }

    /** A sync was requested while this one ran: the account is made due again when it ends. */
    void requestAgain() {
        requestedAgain = true;
    }

    boolean requestedAgain() {
        return requestedAgain;
    }

    /** Holds a newer claim of the same account (its lease lapsed and this node claimed it anew). */
    synchronized boolean adopt(LeaseClaim newer) {
        if (done) {
            return false;
        }
        claim = newer;
        lost = false;
        return true;
    }

    /** Ends the run without writing a state (the account was removed); returns the claim held. */
    synchronized LeaseClaim finish() {
        done = true;
        return claim;
    }

    /** Releases the current claim with the next state, unless the claim was lost; ends the run. */
    synchronized boolean release(AccountLeases leases, ScheduleState next) {
        done = true;
        return !lost && leases.release(claim, next);
    }

    /**
     * Extends the claim until {@code until}, for a run not ended, withdrawn, or lost. A run that
     * waits for a sync thread is extended too: its claim must hold until it begins.
     *
     * @return empty if nothing was to be extended; else whether the claim still held
     */
    synchronized Optional<Boolean> extend(AccountLeases leases, Instant until) {
        if (done || lost || phase.get() == CANCELLED) {
            return Optional.empty();
        }
        Optional<LeaseClaim> next = leases.heartbeat(claim, until);
        if (next.isPresent()) {
            claim = next.get();
            return Optional.of(true);
        }
        lost = true;
        return Optional.of(false);
    }
}
