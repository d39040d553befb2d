package dev.imapsync.schedule;

import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one handed-over sync on a sync thread, to its end: tells the listener, makes the attempt,
 * gives the claim back with the next state, writes the status, starts or stops IDLE for the
 * account, and frees the run's place; or withdraws a run that never began. Nothing it does is
 * thrown to the thread: failures are logged and end as an outcome.
 */
final class SyncRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final AttemptRunner attempts;
    private final SchedulerIdle idle;
    private final SchedulerListener listener;
    private final String nodeId;
    private final Clock clock;
    private final Claims claims;
    private final AccountRegistry registry;
    private final RunningSyncs runs;
    private final SchedulerLoop loop;
    private final RetryPolicy policy;
    private final StatusWriter statuses;

    /**
     * @param node     the node's shared parts
     * @param attempts makes each attempt
     * @param idle     starts and stops IDLE for an account after its sync
     * @param listener hears each account's start and end
     */
    SyncRunner(SchedulerNode node, AttemptRunner attempts, SchedulerIdle idle, SchedulerListener listener) {
        this.attempts = attempts;
        this.idle = idle;
        this.listener = listener;
        this.nodeId = node.nodeId();
        this.clock = node.clock();
        this.claims = node.claims();
        this.registry = node.registry();
        this.runs = node.runs();
        this.loop = node.loop();
        this.policy = node.policy();
        this.statuses = node.statuses();
    }

    /** The sync thread's task. */
    void run(SyncRun run) {
        if (!run.begin()) {
            return; // withdrawn: whoever withdrew it gave its claim back
        }
        String id = run.accountId;
        try {
            // confirm the claim (compare-and-set) and extend it from now: a claim that lapsed while
            // the sync waited for a thread, or was taken with a lease already partly spent, is not
            // used; another node may hold the account by now
            if (!claimHolds(run)) {
                LOG.warn("scheduler {}: account {}: its claim was lost before the sync began; the node"
                        + " that took it over syncs it", nodeId, id);
                return;
            }
            tell(() -> listener.accountStarted(id), id);
            AccountOutcome outcome;
            ScheduleState next;
            try {
                Attempt attempt = attempts.run(run.summary);
                if (attempt.removed()) {
                    run.finish();
                    registry.removed(id);
                    next = run.state;
                    outcome = new AccountOutcome(id, AccountOutcome.Result.SKIPPED, Optional.empty(), Optional.empty(),
                            "Account " + id + " is no longer in the repository.", "", Optional.empty());
                } else {
                    RetryPolicy.Plan plan = recorded(run, attempt);
                    next = plan.next();
                    outcome = new AccountOutcome(id, attempt.synced() ? AccountOutcome.Result.SYNCED
                            : AccountOutcome.Result.FAILED, Optional.of(attempt.status()), attempt.report(),
                            attempt.message(), plan.hint(), Optional.of(next.nextRunAt()));
                }
            } catch (Error e) {
                // an Error (a class missing from the class path, a stack overflow) would vanish in the FutureTask
                LOG.error("scheduler {}: account {}: the sync failed with {}; the next attempt follows at the"
                        + " interval", nodeId, id, e.toString(), e);
                next = run.state;
                outcome = new AccountOutcome(id, AccountOutcome.Result.FAILED, Optional.of(SyncStatus.ERROR),
                        Optional.empty(), "Account " + id + ": the sync failed with " + e,
                        AttemptRunner.UNEXPECTED_HINT, Optional.empty());
            } catch (RuntimeException e) {
                // a failing lease store, most likely: the claim lapses by itself after the lease
                LOG.warn("scheduler {}: account {}: recording the sync's outcome failed: {}", nodeId, id, e.toString(), e);
                next = run.state;
                outcome = new AccountOutcome(id, AccountOutcome.Result.FAILED, Optional.of(SyncStatus.ERROR),
                        Optional.empty(), "Account " + id + ": recording the sync's outcome failed: " + e,
                        AttemptRunner.UNEXPECTED_HINT, Optional.empty());
            }
            AccountOutcome finalOutcome = outcome;
            ScheduleState finalNext = next;
            tell(() -> listener.accountFinished(finalOutcome, finalNext), id);
            if (run.pass != null) {
                run.pass.add(outcome);
            }
        } finally {
            runs.finished(run);
        }
    }

    private boolean claimHolds(SyncRun run) {
        if (run.lost()) {
            return false;
        }
        try {
            return claims.extend(run, clock.instant()).orElse(true);
        } catch (RuntimeException e) {
            // the lease store failed: without a confirmed claim, no sync; the claim lapses by itself
            LOG.warn("scheduler {}: account {}: could not confirm its claim: {}", nodeId, run.accountId, e.toString());
            return false;
        }
    }

    /** Gives the claim back with the state that follows the attempt, writes the status, sees to IDLE. */
    private RetryPolicy.Plan recorded(SyncRun run, Attempt attempt) {
        String id = run.accountId;
        Instant now = clock.instant();
        Duration interval = policy.interval(run.summary, attempt.interval());
        RetryPolicy.Plan plan = policy.after(run.state, run.summary.revision(), attempt, interval, now);
        ScheduleState next = plan.next();
        // the status first: a node killed between the two leaves a true status and a claim that
        // lapses, rather than a released claim beside a stale status
        if (!run.lost()) {
            statuses.afterAttempt(id, attempt, plan, now);
        }
        if (claims.release(run, next)) {
            loop.wakeAt(next.nextRunAt());
            if (run.requestedAgain() && next.stoppedRevision().isEmpty()) {
                dueAgain(id, now);
            }
        } else {
            LOG.warn("scheduler {}: account {}: the claim was lost while syncing; the state written by"
                    + " the node that took it over stands", nodeId, id);
        }
        logOutcome(id, attempt, next);
        if (attempt.synced()) {
            idle.synced(run.summary, attempt.account());
        } else if (next.stoppedRevision().isPresent()) {
            idle.forget(List.of(id));
        }
        return plan;
    }

    /** A sync was requested (new mail, say) while this one ran, perhaps after it read the folder. */
    private void dueAgain(String id, Instant now) {
        try {
            if (claims.dueNow(id, now)) {
                LOG.debug("scheduler {}: account {}: a sync was requested while it ran: due again now", nodeId, id);
                loop.wakeAt(now);
            }
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: making it due again failed, it runs at its next run: {}", nodeId, id,
                    e.toString());
        }
    }

    /** Withdraws a run that never began (shutdown, or the executor refused it): its claim goes back. */
    void withdraw(SyncRun run) {
        run.cancel(false);
        LeaseClaim claim = run.finish();
        claims.releaseQuietly(claim, claim.state());
        runs.finished(run);
    }

    private void logOutcome(String id, Attempt attempt, ScheduleState next) {
        if (attempt.synced()) {
            LOG.info("scheduler {}: account {}: {}; next sync at {}", nodeId, id, attempt.status(), next.nextRunAt());
        } else if (next.stoppedRevision().isPresent()) {
            LOG.warn("scheduler {}: account {}: {}: retries stopped until its credentials or settings change: {}",
                    nodeId, id, attempt.status(), attempt.message());
        } else {
            LOG.warn("scheduler {}: account {}: {} (failure {} in a row), next attempt at {}: {}", nodeId, id,
                    attempt.status(), next.failures(), next.nextRunAt(), attempt.message());
        }
    }

    /** Calls the listener; what it throws is logged and ignored. */
    private void tell(Runnable call, String id) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: the listener threw, ignored: {}", nodeId, id, e.toString());
        }
    }
}
