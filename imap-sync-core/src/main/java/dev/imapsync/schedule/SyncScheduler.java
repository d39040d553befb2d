package dev.imapsync.schedule;

import dev.imapsync.store.SyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncStatus;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs many accounts, forever and politely: each on its interval with jitter, at most a given
 * number at once on this node and per IMAP host, one connection per account, with backoff after
 * failures, as late as a throttling server asks, and no more retries after a failed login until
 * the account's settings change. Several nodes share the accounts through {@link AccountLeases}:
 * an account is synced only by the node that holds its claim.
 *
 * <pre>{@code
 * SyncScheduler scheduler = SyncScheduler.builder()
 *         .accounts(repository)
 *         .engine(engine)
 *         .build();
 * scheduler.start();          // a daemon thread; or tick() / runPass() from your own code
 * ...
 * scheduler.syncNow("alice"); // a user just connected her mailbox
 * scheduler.close();          // bounded: waits up to shutdownTimeout for running syncs
 * }</pre>
 *
 * <p>After every attempt the account's {@link AccountStatus} (with its next run) is written to
 * the store, and its {@link ScheduleState} to the leases. Threads: {@value #LOOP_THREAD} (after
 * {@link #start()}), {@value #HEARTBEAT_THREAD} (extends the claims of running syncs), and the
 * sync threads {@code imapsync-sync-N} unless the host gives its own executor; all are daemons.
 *
 * <p>Thread-safe. {@link #tick()} and {@link #runPass()} never sleep on the clock, so tests
 * drive them with a settable {@link Clock}.
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    /** The name of the loop thread {@link #start()} starts. */
    public static final String LOOP_THREAD = "imapsync-scheduler";
    /** The name of the thread that extends the claims of running syncs. */
    public static final String HEARTBEAT_THREAD = "imapsync-heartbeat";
    /** The prefix of the scheduler's own sync threads, numbered from 1. */
    public static final String SYNC_THREAD_PREFIX = "imapsync-sync-";

    /** The longest the loop sleeps; also how often it reads the repository for new and removed accounts. */
    static final Duration MAX_IDLE = Duration.ofSeconds(30);
    /** The most claim rounds one step makes, as a guard; each round makes progress. */
    private static final int MAX_ROUNDS = 1_000;

    private final AccountRepository repository;
    private final SyncStore store;
    private final AccountLeases leases;
    private final String nodeId;
    private final int maxConcurrentSyncs;
    private final int perHostLimit;
    private final Duration leaseDuration;
    private final Duration shutdownTimeout;
    private final Clock clock;
    private final SchedulerListener listener;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final RetryPolicy policy;
    private final AttemptRunner attempts;
    private final ScheduledExecutorService heartbeats;
    private final AtomicBoolean heartbeatScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Guards the fields below it; never held during I/O. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a sync ends, a sync is requested, or the scheduler closes. */
    private final Condition changed = lock.newCondition();
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, Integer> hostLoad = new HashMap<>();
    private final TreeSet<Instant> wakeups = new TreeSet<>();
    private long completions;
    private boolean wakeRequested;
    private boolean closing;
    private Thread loopThread;

    /** Serializes the claiming steps (tick, loop, pass) and guards the account view below. */
    private final Object claimLock = new Object();
    private Map<String, AccountSummary> summaries = Map.of();
    private final Map<String, Long> revisions = new HashMap<>();
    private volatile Instant refreshedAt;

    /** Serializes passes. */
    private final Object passLock = new Object();

    private SyncScheduler(Builder b) {
        this.repository = b.repository;
        this.store = b.store != null ? b.store : b.engine.store();
        this.leases = b.leases != null ? b.leases : new InMemoryAccountLeases();
        this.nodeId = b.nodeId != null ? b.nodeId : defaultNodeId();
        this.maxConcurrentSyncs = b.maxConcurrentSyncs;
        this.perHostLimit = b.perHostLimit;
        this.leaseDuration = b.leaseDuration;
        this.shutdownTimeout = b.shutdownTimeout;
        this.clock = b.clock;
        this.listener = b.listener;
        this.ownsExecutor = b.executor == null;
        this.executor = ownsExecutor ? ownExecutor(b.maxConcurrentSyncs) : b.executor;
        this.policy = new RetryPolicy(b.backoff, b.random != null ? b.random : new SplittableRandom(), b.defaultInterval);
        this.attempts = new AttemptRunner(b.repository, b.engine, b.clock, nodeId);
        ScheduledThreadPoolExecutor beats = new ScheduledThreadPoolExecutor(1, daemon(n -> HEARTBEAT_THREAD));
        beats.setRemoveOnCancelPolicy(true);
        this.heartbeats = beats;
        LOG.info("scheduler {}: {} syncs at once, {} per host, default interval {}, lease {}, backoff {}, {}", nodeId,
                maxConcurrentSyncs, perHostLimit, b.defaultInterval, leaseDuration, b.backoff,
                ownsExecutor ? "own sync threads" : "the host's executor");
    }

    /** A builder; {@link Builder#accounts} and {@link Builder#engine} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** This node's id, as its claims name it. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Starts the loop thread {@value #LOOP_THREAD}: it ticks when an account may be due (at the
     * earliest next run this node knows of, at least every 30 seconds, at once after
     * {@link #syncNow} and whenever a sync ends). Starting twice does nothing.
     *
     * @throws IllegalStateException if the scheduler is closed
     */
    public void start() {
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("Scheduler " + nodeId + " is closed: build a new one to start again");
            }
            if (loopThread != null) {
                return;
            }
            loopThread = new Thread(this::loop, LOOP_THREAD);
            loopThread.setDaemon(true);
            loopThread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One step, without sleeping: reads the repository (registering new accounts with a first
     * run spread within {@code min(interval, 1 minute)}, unregistering removed ones), claims due
     * accounts up to the free capacity, and hands them to the sync threads.
     *
     * @return how many syncs were started (an account whose host is at its cap, or whose retries
     *         are stopped, is put back and not counted)
     */
    public int tick() {
        return claimStep(true, null);
    }

    /**
     * Syncs every due account on this node, until none is due and none of this node's syncs
     * runs; blocks until then. Each account is synced at most once per pass. For scripts, the
     * CLI and tests; not while the loop of {@link #start()} runs.
     *
     * @return what was done to each account
     * @throws IllegalStateException if the loop runs or the scheduler is closed
     */
    public PassReport runPass() {
        synchronized (passLock) {
            lock.lock();
            try {
                if (closing) {
                    throw new IllegalStateException("Scheduler " + nodeId + " is closed: build a new one for another pass");
                }
                if (loopThread != null) {
                    throw new IllegalStateException("Scheduler " + nodeId + " runs its loop (start() was called):"
                            + " use runPass() only on a scheduler that was not started");
                }
            } finally {
                lock.unlock();
            }
            long started = System.nanoTime();
            Pass pass = new Pass();
            boolean refresh = true;
            while (true) {
                long seen;
                lock.lock();
                try {
                    seen = completions;
                } finally {
                    lock.unlock();
                }
                int dispatched = claimStep(refresh, pass);
                refresh = refreshDue(clock.instant());
                lock.lock();
                try {
                    if (closing || running.isEmpty() && dispatched == 0) {
                        break;
                    }
                    while (completions == seen && !running.isEmpty() && !closing) {
                        changed.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } finally {
                    lock.unlock();
                }
            }
            PassReport report = new PassReport(pass.outcomes(), Duration.ofNanos(System.nanoTime() - started));
            LOG.info("scheduler {}: pass done: {}", nodeId, report);
            return report;
        }
    }

    /**
     * Makes an account due now and wakes the loop; also ends a stop after a failed login. An
     * account the leases do not know yet is looked up in the repository first (a mailbox just
     * connected).
     *
     * @return false if the account is unknown
     */
    public boolean syncNow(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        Instant now = clock.instant();
        boolean known = leases.dueNow(accountId, now);
        if (!known) {
            synchronized (claimLock) {
                refreshAccounts(now);
            }
            known = leases.dueNow(accountId, now);
        }
        if (known) {
            LOG.info("scheduler {}: account {}: sync requested", nodeId, accountId);
            lock.lock();
            try {
                wakeups.add(now);
                wakeRequested = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return known;
    }

    /** Every account's status, from the store, in one call. */
    public List<AccountStatus> statuses() {
        return store.statuses();
    }

    /**
     * Stops, in order and in bounded time: no more claims; syncs handed over but not begun are
     * withdrawn and their claims released; running syncs get up to the shutdown timeout to end,
     * then their threads are interrupted (their claims lapse unless they end and release them).
     * Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        Thread loop;
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
            loop = loopThread;
        } finally {
            lock.unlock();
        }
        if (loop != null && loop != Thread.currentThread()) {
            joinUntil(loop, deadline);
        }
        withdrawUnstarted();
        List<Running> left = awaitRunning(deadline);
        if (!left.isEmpty()) {
            LOG.warn("scheduler {}: {} sync(s) still running after {}: interrupting them ({})", nodeId, left.size(),
                    shutdownTimeout, left.stream().map(r -> r.accountId).toList());
            for (Running r : left) {
                FutureTask<Void> task = r.task;
                if (task != null) {
                    task.cancel(true);
                }
            }
        }
        heartbeats.shutdownNow();
        if (ownsExecutor) {
            executor.shutdownNow();
        }
        LOG.info("scheduler {}: closed", nodeId);
    }

    // ------------------------------------------------------------------------------ claiming

    private enum Handling { DISPATCHED, MOVED_ON, STAYS_DUE }

    /** One claiming step; in a pass, {@code pass} collects the outcomes and keeps accounts to one sync. */
    private int claimStep(boolean refresh, Pass pass) {
        synchronized (claimLock) {
            Instant now = clock.instant();
            if (refresh) {
                refreshAccounts(now);
            }
            pruneWakeups(now);
            int dispatched = 0;
            for (int round = 0; round < MAX_ROUNDS; round++) {
                int free;
                lock.lock();
                try {
                    if (closing) {
                        return dispatched;
                    }
                    free = maxConcurrentSyncs - running.size();
                } finally {
                    lock.unlock();
                }
                if (free <= 0) {
                    break;
                }
                List<LeaseClaim> claims;
                try {
                    claims = leases.claimDue(nodeId, now, now.plus(leaseDuration), free);
                } catch (RuntimeException e) {
                    LOG.warn("scheduler {}: claiming due accounts failed, trying again later: {}", nodeId, e.toString(), e);
                    break;
                }
                int progressed = 0;
                for (LeaseClaim claim : claims) {
                    Handling h = handle(claim, now, pass);
                    if (h == Handling.DISPATCHED) {
                        dispatched++;
                    }
                    if (h != Handling.STAYS_DUE) {
                        progressed++;
                    }
                }
                // more may be due than this round could claim: go on while each round gets somewhere
                if (claims.size() < free || progressed == 0) {
                    break;
                }
            }
            return dispatched;
        }
    }

    private Handling handle(LeaseClaim claim, Instant now, Pass pass) {
        String id = claim.accountId();
        try {
            AccountSummary summary = summaries.get(id);
            if (summary == null) {
                // registered by a node with a newer list, or the last list failed: look once more
                if (refreshAccounts(now)) {
                    summary = summaries.get(id);
                }
                if (summary == null) {
                    ScheduleState later = new ScheduleState(now.plus(MAX_IDLE), claim.state().failures(),
                            claim.state().stoppedRevision());
                    releaseQuietly(claim, later);
                    LOG.debug("scheduler {}: account {} is not in the repository's list yet: looked at again later",
                            nodeId, id);
                    return Handling.MOVED_ON;
                }
            }
            if (pass != null && pass.attempted.contains(id)) {
                // due again within the pass (a short interval): the next pass syncs it
                ScheduleState state = claim.state();
                Instant after = now.plusMillis(1);
                releaseQuietly(claim, new ScheduleState(state.nextRunAt().isAfter(after) ? state.nextRunAt() : after,
                        state.failures(), state.stoppedRevision()));
                return Handling.MOVED_ON;
            }
            ScheduleState state = claim.state();
            OptionalLong stopped = state.stoppedRevision();
            if (stopped.isPresent()) {
                if (stopped.getAsLong() == summary.revision()) {
                    return keepStopped(claim, now, pass);
                }
                LOG.info("scheduler {}: account {}: its settings changed since the failed login (revision {}, now {}):"
                        + " trying again", nodeId, id, stopped.getAsLong(), summary.revision());
                state = new ScheduleState(state.nextRunAt(), state.failures(), OptionalLong.empty());
            }
            return dispatch(claim, state, summary, now, pass);
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: could not handle its claim, it lapses in {}: {}", nodeId, id,
                    leaseDuration, e.toString(), e);
            return Handling.MOVED_ON;
        }
    }

    private Handling keepStopped(LeaseClaim claim, Instant now, Pass pass) {
        String id = claim.accountId();
        ScheduleState later = policy.stillStopped(claim.state(), now);
        releaseQuietly(claim, later);
        addWakeup(later.nextRunAt());
        Optional<AccountStatus> status = Optional.empty();
        try {
            status = store.status(id);
            status.ifPresent(s -> store.saveStatus(new AccountStatus(s.accountId(), s.status(), s.lastAttemptAt(),
                    s.lastSyncedAt(), s.message(), s.hint(), Optional.of(later.nextRunAt()))));
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: its status could not be updated: {}", nodeId, id, e.toString());
        }
        LOG.debug("scheduler {}: account {}: retries stay stopped after a failed login until its settings change",
                nodeId, id);
        AccountOutcome outcome = new AccountOutcome(id, AccountOutcome.Result.SKIPPED,
                Optional.of(status.map(AccountStatus::status).orElse(SyncStatus.AUTH_FAILED)), Optional.empty(),
                status.map(AccountStatus::message).orElse(""), status.map(AccountStatus::hint).orElse(RetryPolicy.STOPPED_HINT),
                Optional.of(later.nextRunAt()));
        if (pass != null) {
            pass.add(outcome);
        }
        return Handling.MOVED_ON;
    }

    private Handling dispatch(LeaseClaim claim, ScheduleState state, AccountSummary summary, Instant now, Pass pass) {
        String id = claim.accountId();
        String host = hostKey(summary);
        Running r = null;
        boolean busy = false;
        boolean stopping = false;
        lock.lock();
        try {
            Running existing = running.get(id);
            if (existing != null) {
                // this node's sync still runs but its lease lapsed and was claimed anew: hold the new claim
                if (existing.adopt(claim)) {
                    return Handling.MOVED_ON;
                }
                stopping = true;
            }
            if (stopping || closing) {
                stopping = true;
            } else if (hostLoad.getOrDefault(host, 0) >= perHostLimit) {
                busy = true;
            } else {
                r = new Running(claim, state, summary, host, pass);
                running.put(id, r);
                hostLoad.merge(host, 1, Integer::sum);
            }
        } finally {
            lock.unlock();
        }
        if (stopping) {
            releaseQuietly(claim, claim.state());
            return Handling.STAYS_DUE;
        }
        if (busy) {
            if (pass != null) {
                // a pass comes back to it when one of the host's syncs ends: due still, behind the others
                ScheduleState s = claim.state();
                releaseQuietly(claim, new ScheduleState(s.nextRunAt().isAfter(now) ? s.nextRunAt() : now, s.failures(),
                        s.stoppedRevision()));
                return Handling.STAYS_DUE;
            }
            ScheduleState later = policy.hostBusy(claim.state(), now);
            releaseQuietly(claim, later);
            addWakeup(later.nextRunAt());
            LOG.debug("scheduler {}: account {}: host {} is at its cap of {} syncs: put back until {}", nodeId, id,
                    host, perHostLimit, later.nextRunAt());
            return Handling.MOVED_ON;
        }
        if (pass != null) {
            pass.attempted.add(id);
        }
        Running entry = r;
        FutureTask<Void> task = new FutureTask<>(() -> runClaimed(entry), null);
        entry.task = task;
        try {
            ensureHeartbeat();
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("scheduler {}: account {}: the executor refused the sync: {}", nodeId, id, e.toString());
            if (entry.cancelIfNotStarted()) {
                releaseQuietly(claim, claim.state());
                finished(entry);
            }
            return Handling.STAYS_DUE;
        }
        return Handling.DISPATCHED;
    }

    // ------------------------------------------------------------------------------ the accounts

    /**
     * Reads the repository: registers new accounts, unregisters removed ones, and makes an account
     * due whose retries stopped after a failed login and whose revision changed since.
     *
     * @return whether the repository could be read
     */
    private boolean refreshAccounts(Instant now) {
        List<String> registered;
        List<AccountSummary> listed;
        try {
            registered = leases.accountIds();
            listed = repository.list();
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: reading the accounts failed, trying again later: {}", nodeId, e.toString(), e);
            return false;
        }
        boolean first = refreshedAt == null;
        Map<String, AccountSummary> byId = new HashMap<>(listed.size() * 2);
        for (AccountSummary s : listed) {
            byId.put(s.id(), s);
        }
        Set<String> known = new HashSet<>(registered);
        Map<String, Instant> firstRuns = new HashMap<>();
        for (AccountSummary s : listed) {
            if (!known.contains(s.id())) {
                firstRuns.put(s.id(), policy.firstRun(now, policy.interval(s, Optional.empty())));
            }
        }
        List<String> gone = registered.stream().filter(id -> !byId.containsKey(id)).toList();
        try {
            if (!firstRuns.isEmpty()) {
                leases.register(firstRuns);
                firstRuns.values().forEach(this::addWakeup);
                LOG.info("scheduler {}: {} new account(s) registered", nodeId, firstRuns.size());
            }
            if (!gone.isEmpty()) {
                leases.unregister(gone);
                LOG.info("scheduler {}: {} account(s) no longer in the repository, unregistered: {}", nodeId,
                        gone.size(), gone);
            }
            resumeChanged(byId, known, first, now);
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: updating the schedule failed, trying again later: {}", nodeId, e.toString(), e);
        }
        summaries = byId;
        refreshedAt = now;
        return true;
    }

    /** Accounts stopped after a failed login whose revision changed become due at once. */
    private void resumeChanged(Map<String, AccountSummary> byId, Set<String> known, boolean first, Instant now) {
        for (AccountSummary s : byId.values()) {
            Long before = revisions.put(s.id(), s.revision());
            // on the first read every known account is looked at: its settings may have changed while no node ran
            boolean look = before != null ? before != s.revision() : first && known.contains(s.id());
            if (!look) {
                continue;
            }
            Optional<ScheduleState> state = leases.state(s.id());
            OptionalLong stopped = state.map(ScheduleState::stoppedRevision).orElse(OptionalLong.empty());
            if (stopped.isPresent() && stopped.getAsLong() != s.revision() && leases.dueNow(s.id(), now)) {
                addWakeup(now);
                LOG.info("scheduler {}: account {}: its settings changed since the failed login (revision {}, now {}):"
                        + " due now", nodeId, s.id(), stopped.getAsLong(), s.revision());
            }
        }
        revisions.keySet().retainAll(byId.keySet());
    }

    private boolean refreshDue(Instant now) {
        Instant last = refreshedAt;
        return last == null || now.isBefore(last) || !now.isBefore(last.plus(MAX_IDLE));
    }

    private static String hostKey(AccountSummary summary) {
        return summary.endpoint().host().toLowerCase(java.util.Locale.ROOT);
    }

    // ------------------------------------------------------------------------------ one sync

    private void runClaimed(Running r) {
        if (!r.begin()) {
            return;
        }
        String id = r.accountId;
        try {
            try {
                listener.accountStarted(id);
            } catch (RuntimeException e) {
                LOG.warn("scheduler {}: account {}: the listener threw, ignored: {}", nodeId, id, e.toString());
            }
            AccountOutcome outcome;
            ScheduleState next;
            try {
                Attempt attempt = attempts.run(r.summary);
                Instant now = clock.instant();
                if (attempt.removed()) {
                    r.finish();
                    leases.unregister(List.of(id));
                    LOG.info("scheduler {}: account {} is no longer in the repository: unregistered", nodeId, id);
                    next = r.state;
                    outcome = new AccountOutcome(id, AccountOutcome.Result.SKIPPED, Optional.empty(), Optional.empty(),
                            "Account " + id + " is no longer in the repository.", "", Optional.empty());
                } else {
                    Duration interval = policy.interval(r.summary, attempt.interval());
                    RetryPolicy.Plan plan = policy.after(r.state, r.summary.revision(), attempt, interval, now);
                    next = plan.next();
                    boolean held = release(r, next);
                    if (held) {
                        saveStatus(id, attempt, plan, now);
                        addWakeup(next.nextRunAt());
                    } else {
                        LOG.warn("scheduler {}: account {}: the claim was lost while syncing; the state written by"
                                + " the node that took it over stands", nodeId, id);
                    }
                    outcome = new AccountOutcome(id, attempt.synced() ? AccountOutcome.Result.SYNCED
                            : AccountOutcome.Result.FAILED, Optional.of(attempt.status()), attempt.report(),
                            attempt.message(), plan.hint(), Optional.of(next.nextRunAt()));
                    logOutcome(id, attempt, next);
                }
            } catch (RuntimeException e) {
                // a failing lease store, most likely: the claim lapses by itself after the lease
                LOG.warn("scheduler {}: account {}: recording the sync's outcome failed: {}", nodeId, id, e.toString(), e);
                next = r.state;
                outcome = new AccountOutcome(id, AccountOutcome.Result.FAILED, Optional.of(SyncStatus.ERROR),
                        Optional.empty(), "Account " + id + ": recording the sync's outcome failed: " + e,
                        AttemptRunner.UNEXPECTED_HINT, Optional.empty());
            }
            try {
                listener.accountFinished(outcome, next);
            } catch (RuntimeException e) {
                LOG.warn("scheduler {}: account {}: the listener threw, ignored: {}", nodeId, id, e.toString());
            }
            if (r.pass != null) {
                r.pass.add(outcome);
            }
        } finally {
            finished(r);
        }
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

    private void saveStatus(String id, Attempt attempt, RetryPolicy.Plan plan, Instant now) {
        try {
            Optional<Instant> lastSynced = attempt.synced() ? Optional.of(now)
                    : store.status(id).flatMap(AccountStatus::lastSyncedAt);
            store.saveStatus(new AccountStatus(id, attempt.status(), attempt.attemptedAt(), lastSynced,
                    attempt.message(), plan.hint(), Optional.of(plan.next().nextRunAt())));
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: its status could not be stored: {}", nodeId, id, e.toString());
        }
    }

    /** Releases the entry's current claim with the next state, unless the claim was lost. */
    private boolean release(Running r, ScheduleState next) {
        synchronized (r) {
            r.done = true;
            if (r.lost) {
                return false;
            }
            return leases.release(r.claim, next);
        }
    }

    private void releaseQuietly(LeaseClaim claim, ScheduleState next) {
        try {
            if (!leases.release(claim, next)) {
                LOG.debug("scheduler {}: account {}: the claim was gone at release", nodeId, claim.accountId());
            }
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: releasing its claim failed, it lapses in {}: {}", nodeId,
                    claim.accountId(), leaseDuration, e.toString());
        }
    }

    private void finished(Running r) {
        lock.lock();
        try {
            if (running.remove(r.accountId, r)) {
                hostLoad.computeIfPresent(r.host, (h, n) -> n <= 1 ? null : n - 1);
            }
            completions++;
            wakeRequested = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------ heartbeats

    private void ensureHeartbeat() {
        if (heartbeatScheduled.compareAndSet(false, true)) {
            long period = Math.max(1, leaseDuration.toMillis() / 3);
            heartbeats.scheduleWithFixedDelay(() -> {
                try {
                    heartbeat();
                } catch (RuntimeException e) {
                    LOG.warn("scheduler {}: heartbeat failed: {}", nodeId, e.toString(), e);
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Extends the claims of the syncs running now by a lease from the clock's now; the heartbeat
     * thread calls it every third of a lease. A claim found lost is not extended again and not
     * released: the node that took the account over writes its state.
     *
     * @return how many claims were extended
     */
    int heartbeat() {
        List<Running> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(running.values());
        } finally {
            lock.unlock();
        }
        Instant until = clock.instant().plus(leaseDuration);
        int extended = 0;
        for (Running r : snapshot) {
            synchronized (r) {
                if (r.done || r.lost || !r.started()) {
                    continue;
                }
                Optional<LeaseClaim> next;
                try {
                    next = leases.heartbeat(r.claim, until);
                } catch (RuntimeException e) {
                    LOG.warn("scheduler {}: account {}: extending its claim failed: {}", nodeId, r.accountId,
                            e.toString());
                    continue;
                }
                if (next.isPresent()) {
                    r.claim = next.get();
                    extended++;
                } else {
                    r.lost = true;
                    LOG.warn("scheduler {}: account {}: its claim was lost (the lease ended and another node may have"
                            + " taken it); the sync goes on, it is idempotent", nodeId, r.accountId);
                }
            }
        }
        return extended;
    }

    /** How many syncs run (or wait to begin) on this node now. */
    int runningCount() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------ the loop

    private void loop() {
        LOG.info("scheduler {}: loop started", nodeId);
        while (true) {
            try {
                claimStep(refreshDue(clock.instant()), null);
            } catch (RuntimeException e) {
                LOG.warn("scheduler {}: a tick failed, trying again: {}", nodeId, e.toString(), e);
            }
            lock.lock();
            try {
                if (closing) {
                    break;
                }
                if (!wakeRequested) {
                    long nanos = nanosToNextWake();
                    if (nanos > 0) {
                        changed.awaitNanos(nanos);
                    }
                }
                wakeRequested = false;
                if (closing) {
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
        long max = MAX_IDLE.toNanos();
        if (wakeups.isEmpty()) {
            return max;
        }
        Duration until = Duration.between(clock.instant(), wakeups.first());
        if (until.isNegative() || until.isZero()) {
            return 0;
        }
        return until.compareTo(MAX_IDLE) >= 0 ? max : until.toNanos();
    }

    private void addWakeup(Instant at) {
        lock.lock();
        try {
            if (wakeups.add(at) && at.equals(wakeups.first()) && loopThread != null) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void pruneWakeups(Instant now) {
        lock.lock();
        try {
            wakeups.headSet(now, true).clear();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------ shutdown

    private void withdrawUnstarted() {
        List<Running> unstarted = new ArrayList<>();
        lock.lock();
        try {
            for (Running r : running.values()) {
                if (r.cancelIfNotStarted()) {
                    unstarted.add(r);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Running r : unstarted) {
            FutureTask<Void> task = r.task;
            if (task != null) {
                task.cancel(false);
            }
            LeaseClaim claim;
            synchronized (r) {
                r.done = true;
                claim = r.claim;
            }
            releaseQuietly(claim, claim.state());
            finished(r);
        }
        if (!unstarted.isEmpty()) {
            LOG.info("scheduler {}: {} sync(s) withdrawn before they began; their claims are released", nodeId,
                    unstarted.size());
        }
    }

    private List<Running> awaitRunning(long deadline) {
        lock.lock();
        try {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            return new ArrayList<>(running.values());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ArrayList<>(running.values());
        } finally {
            lock.unlock();
        }
    }

    private static void joinUntil(Thread thread, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------ threads

    private static ExecutorService ownExecutor(int threads) {
        AtomicInteger numbers = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(n -> SYNC_THREAD_PREFIX + numbers.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemon(java.util.function.IntFunction<String> names) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, names.apply(count.incrementAndGet()));
            t.setDaemon(true);
            return t;
        };
    }

    static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
        }
        StringBuilder clean = new StringBuilder();
        host.codePoints().filter(c -> !Character.isISOControl(c) && !Character.isWhitespace(c))
                .limit(150).forEach(clean::appendCodePoint);
        return (clean.length() == 0 ? "localhost" : clean) + "-" + ProcessHandle.current().pid();
    }

    // ------------------------------------------------------------------------------ state

    /** One claimed account handed to the sync threads. Claim changes are confined to its monitor. */
    private static final class Running {
        private static final int NEW = 0;
        private static final int STARTED = 1;
        private static final int CANCELLED = 2;

        final String accountId;
        final ScheduleState state;
        final AccountSummary summary;
        final String host;
        final Pass pass;
        final AtomicInteger phase = new AtomicInteger(NEW);
        volatile FutureTask<Void> task;
        LeaseClaim claim; // guarded by this
        boolean lost; // guarded by this
        boolean done; // guarded by this

        Running(LeaseClaim claim, ScheduleState state, AccountSummary summary, String host, Pass pass) {
            this.accountId = claim.accountId();
            this.claim = claim;
            this.state = state;
            this.summary = summary;
            this.host = host;
            this.pass = pass;
        }

        boolean begin() {
            return phase.compareAndSet(NEW, STARTED);
        }

        boolean started() {
            return phase.get() == STARTED;
        }

        boolean cancelIfNotStarted() {
            return phase.compareAndSet(NEW, CANCELLED);
        }

        synchronized boolean adopt(LeaseClaim newer) {
            if (done) {
                return false;
            }
            claim = newer;
            lost = false;
            return true;
        }

        synchronized void finish() {
            done = true;
        }
    }

    /** What one pass collects. */
    private static final class Pass {
        final Set<String> attempted = ConcurrentHashMap.newKeySet();
        private final List<AccountOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

        void add(AccountOutcome outcome) {
            outcomes.add(outcome);
        }

        List<AccountOutcome> outcomes() {
            synchronized (outcomes) {
                return List.copyOf(outcomes);
            }
        }
    }

    // ------------------------------------------------------------------------------ builder

    /**
     * Settings of a {@link SyncScheduler}. Each setter checks its argument at once;
     * {@link #build()} checks that the required parts are there.
     */
    public static final class Builder {
        private AccountRepository repository;
        private SyncEngine engine;
        private SyncStore store;
        private AccountLeases leases;
        private String nodeId;
        private Duration defaultInterval = Duration.ofMinutes(5);
        private int maxConcurrentSyncs = 4;
        private ExecutorService executor;
        private int perHostLimit = 4;
        private Backoff backoff = Backoff.standard();
        private Duration leaseDuration = Duration.ofMinutes(10);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random;
        private SchedulerListener listener = SchedulerListener.NONE;

        private Builder() {
        }

        /** Where the accounts come from (required). */
        public Builder accounts(AccountRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * The engine that syncs them (required). Statuses are written to its store unless
         * {@link #store(SyncStore)} names another.
         */
        public Builder engine(SyncEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Where statuses are written and read (default: the engine's store). */
        public Builder store(SyncStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The schedule shared by the nodes (default: a new {@link InMemoryAccountLeases}, for one node). */
        public Builder leases(AccountLeases leases) {
            this.leases = Objects.requireNonNull(leases, "leases");
            return this;
        }

        /**
         * This node's id in the leases: 1-200 characters, no control characters (default: the
         * host name, a dash and the process id). Give each node its own.
         */
        public Builder nodeId(String nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (nodeId.isEmpty() || nodeId.length() > 200 || nodeId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("Node id '" + nodeId.replaceAll("\\p{Cntrl}", "?")
                        + "' is not usable: give 1-200 characters without control characters, unique per node");
            }
            this.nodeId = nodeId;
            return this;
        }

        /** How often an account syncs unless its own settings say (default 5 minutes). */
        public Builder defaultInterval(Duration interval) {
            this.defaultInterval = positive(interval, "defaultInterval", "e.g. PT5M");
            return this;
        }

        /** How many syncs run at once on this node (default 4). */
        public Builder maxConcurrentSyncs(int max) {
            if (max < 1 || max > 10_000) {
                throw new IllegalArgumentException("maxConcurrentSyncs " + max + " is out of range: give 1 to 10000");
            }
            this.maxConcurrentSyncs = max;
            return this;
        }

        /**
         * The host's own executor for the syncs (for example virtual threads); it is not shut
         * down by {@link SyncScheduler#close()}. Default: the scheduler's own daemon threads
         * {@code imapsync-sync-N}, as many as {@link #maxConcurrentSyncs}.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** How many connections at once this node opens to one IMAP host (default 4). */
        public Builder perHostLimit(int limit) {
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("perHostLimit " + limit + " is out of range: give 1 to 10000"
                        + " (Gmail allows 15 connections per account in all)");
            }
            this.perHostLimit = limit;
            return this;
        }

        /** The wait after failures (default {@link Backoff#standard()}). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * How long a claim holds without a heartbeat (default 10 minutes, at least 3 seconds);
         * running syncs extend theirs every third of it. A node that dies loses its accounts to
         * the others after this long.
         */
        public Builder leaseDuration(Duration duration) {
            positive(duration, "leaseDuration", "e.g. PT10M");
            if (duration.compareTo(Duration.ofSeconds(3)) < 0) {
                throw new IllegalArgumentException("leaseDuration " + duration
                        + " is too short: give at least 3 seconds (heartbeats come every third of it)");
            }
            this.leaseDuration = duration;
            return this;
        }

        /** How long {@link SyncScheduler#close()} waits for running syncs before interrupting them (default 30 s). */
        public Builder shutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "shutdownTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout " + timeout + " is negative: give 0 or more");
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /** The clock schedules are read from (default {@link Clock#systemUTC()}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of jitter (default a new {@link SplittableRandom}); tests pass a seeded one. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Who hears each account's start and end (default {@link SchedulerListener#NONE}). */
        public Builder listener(SchedulerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Makes the scheduler; it does nothing until {@link SyncScheduler#start()},
         * {@link SyncScheduler#tick()} or {@link SyncScheduler#runPass()}.
         *
         * @throws IllegalStateException naming what is missing
         */
        public SyncScheduler build() {
            if (repository == null) {
                throw new IllegalStateException("No accounts: call accounts(...) with an AccountRepository"
                        + " (JdbcAccountRepository, or the application's own)");
            }
            if (engine == null) {
                throw new IllegalStateException("No engine: call engine(...) with a SyncEngine (SyncEngine.builder())");
            }
            return new SyncScheduler(this);
        }

        private static Duration positive(Duration d, String what, String example) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " " + d + " is not positive: give a positive duration, " + example);
            }
            return d;
        }
    }
}
