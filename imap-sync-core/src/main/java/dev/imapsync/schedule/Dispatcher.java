package dev.imapsync.schedule;

import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.SyncStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns claims into running syncs: claims due accounts up to the free capacity, and for each
 * claim either hands a sync to the executor, puts it back (host at its cap, not listed yet,
 * already synced in this pass) or skips it (retries stopped after a failed login).
 *
 * <p>Steps are serialized by this object's monitor, so two steps never claim for the same
 * capacity; under it the leases, the repository and the store are called (I/O) and
 * {@link RunningSyncs}' lock is taken briefly. Nothing it calls takes this monitor.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    /** The most claim rounds one step makes, as a guard; each round makes progress. */
    private static final int MAX_ROUNDS = 1_000;

    private enum Handling { DISPATCHED, MOVED_ON, STAYS_DUE }

    private final SyncRunner runner;
    private final Heartbeats heartbeats;
    private final ExecutorService executor;
    private final String nodeId;
    private final Clock clock;
    private final Claims claims;
    private final AccountRegistry registry;
    private final RunningSyncs runs;
    private final SchedulerLoop loop;
    private final RetryPolicy policy;
    private final StatusWriter statuses;

    /**
     * @param node       the node's shared parts
     * @param runner     runs each sync handed over, and withdraws one the executor refused
     * @param heartbeats keeps the claims of the syncs handed over alive
     * @param executor   the sync threads
     */
    Dispatcher(SchedulerNode node, SyncRunner runner, Heartbeats heartbeats, ExecutorService executor) {
        this.runner = runner;
        this.heartbeats = heartbeats;
        this.executor = executor;
        this.nodeId = node.nodeId();
        this.clock = node.clock();
        this.claims = node.claims();
        this.registry = node.registry();
        this.runs = node.runs();
        this.loop = node.loop();
        this.policy = node.policy();
        this.statuses = node.statuses();
    }

    /**
     * One claiming step.
     *
     * @param refresh whether to read the repository first
     * @param pass    in a pass, what it collects (each account synced at most once); else null
     * @return how many syncs were handed to the executor
     */
    synchronized int step(boolean refresh, PassRecord pass) {
        Instant now = clock.instant();
        if (refresh) {
            registry.refresh(now);
        }
        loop.prune(now);
        Step step = new Step(now, pass, refresh);
        int dispatched = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int free = runs.free();
            if (free <= 0) {
                break;
            }
            // the clock read again: reading the repository may have taken a while, and the claims'
            // leases must run from the moment they are taken
            List<LeaseClaim> claimed = claims.claimDue(clock.instant(), free);
            int progressed = 0;
            for (LeaseClaim claim : claimed) {
                Handling h = handle(claim, step);
                if (h == Handling.DISPATCHED) {
                    dispatched++;
                }
                if (h != Handling.STAYS_DUE) {
                    progressed++;
                }
            }
            // more may be due than this round could claim: go on while each round gets somewhere
            if (claimed.size() < free || progressed == 0) {
                break;
            }
        }
        return dispatched;
    }

    /** One step's context; {@code refreshed}: the repository was read in this step already. */
    private static final class Step {
        final Instant now;
        final PassRecord pass;
        boolean refreshed;

        Step(Instant now, PassRecord pass, boolean refreshed) {
            this.now = now;
            this.pass = pass;
            this.refreshed = refreshed;
        }
    }

    private Handling handle(LeaseClaim claim, Step step) {
        String id = claim.accountId();
        try {
            Optional<AccountSummary> summary = registry.summary(id);
            if (summary.isEmpty() && !step.refreshed) {
                // registered by a node with a newer list, or the last list failed: look once more (once a step)
                step.refreshed = registry.refresh(step.now);
                summary = registry.summary(id);
            }
            if (summary.isEmpty()) {
                claims.releaseQuietly(claim, RetryPolicy.dueAt(claim.state(), step.now.plus(SyncScheduler.MAX_IDLE)));
                LOG.debug("scheduler {}: account {} is not in the repository's list yet: looked at again later",
                        nodeId, id);
                return Handling.MOVED_ON;
            }
            if (step.pass != null && step.pass.attempted(id)) {
                // due again within the pass (a short interval): the next pass syncs it
                claims.releaseQuietly(claim, RetryPolicy.dueNoEarlierThan(claim.state(), step.now.plusMillis(1)));
                return Handling.MOVED_ON;
            }
            ScheduleState state = claim.state();
            OptionalLong stopped = state.stoppedRevision();
            if (stopped.isPresent()) {
                if (stopped.getAsLong() == summary.get().revision()) {
                    return keepStopped(claim, step);
                }
                registry.logResumed(id, stopped.getAsLong(), summary.get().revision(), "trying again");
                state = RetryPolicy.withoutStop(state);
            }
            return dispatch(new SyncRun(claim, state, summary.get(), step.pass), step);
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: could not handle its claim, it lapses in {}: {}", nodeId, id,
                    claims.leaseDuration(), e.toString(), e);
            return Handling.MOVED_ON;
        }
    }

    private Handling keepStopped(LeaseClaim claim, Step step) {
        String id = claim.accountId();
        ScheduleState later = policy.stillStopped(claim.state(), step.now);
        claims.releaseQuietly(claim, later);
        loop.wakeAt(later.nextRunAt());
        Optional<AccountStatus> status = statuses.nextRunMoved(id, later.nextRunAt());
        LOG.debug("scheduler {}: account {}: retries stay stopped after a failed login until its settings change",
                nodeId, id);
        if (step.pass != null) {
            step.pass.add(new AccountOutcome(id, AccountOutcome.Result.SKIPPED,
                    Optional.of(status.map(AccountStatus::status).orElse(SyncStatus.AUTH_FAILED)), Optional.empty(),
                    status.map(AccountStatus::message).orElse(""),
                    status.map(AccountStatus::hint).orElse(RetryPolicy.STOPPED_HINT), Optional.of(later.nextRunAt())));
        }
        return Handling.MOVED_ON;
    }

    private Handling dispatch(SyncRun run, Step step) {
        LeaseClaim claim = run.claim();
        switch (runs.admit(run)) {
            case ADOPTED:
                return Handling.MOVED_ON;
            case REFUSED:
                claims.releaseQuietly(claim, claim.state());
                return Handling.STAYS_DUE;
            case HOST_BUSY:
                return hostBusy(claim, run.host, step);
            case ADMITTED:
            default:
                break;
        }
        if (step.pass != null) {
            step.pass.attempting(run.accountId);
        }
        FutureTask<Void> task = new FutureTask<>(() -> runner.run(run), null);
        run.task(task);
        try {
            heartbeats.ensureStarted();
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("scheduler {}: account {}: the executor refused the sync: {}", nodeId, run.accountId,
                    e.toString());
            if (run.cancelIfNotStarted()) {
                runner.withdraw(run);
            }
            return Handling.STAYS_DUE;
        }
        return Handling.DISPATCHED;
    }

    private Handling hostBusy(LeaseClaim claim, String host, Step step) {
        if (step.pass != null) {
            // a pass comes back to it when one of the host's syncs ends: due still, behind the others
            claims.releaseQuietly(claim, RetryPolicy.dueNoEarlierThan(claim.state(), step.now));
            return Handling.STAYS_DUE;
        }
        ScheduleState later = policy.hostBusy(claim.state(), step.now);
        claims.releaseQuietly(claim, later);
        loop.wakeAt(later.nextRunAt());
        LOG.debug("scheduler {}: account {}: host {} is at its cap of {} syncs: put back until {}", nodeId,
                claim.accountId(), host, runs.hostLimit(), later.nextRunAt());
        return Handling.MOVED_ON;
    }
}
