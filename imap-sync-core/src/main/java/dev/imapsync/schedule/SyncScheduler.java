package dev.imapsync.schedule;

import dev.imapsync.ImapSyncException;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.Retention;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.StatusStore;
import dev.imapsync.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs many accounts, forever and politely: each on its interval with jitter, at most a given
 * number at once on this node and per IMAP host, one connection per account, with backoff after
 * failures, as late as a throttling server asks, and no more retries after a failed login until
 * the account's settings change. Several nodes share the accounts through {@link AccountLeases}:
 * an account is synced only by the node that holds its claim. With {@link Builder#idle(boolean)},
 * new mail announced by IMAP IDLE syncs an account at once.
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
 * the {@link StatusStore}, and its {@link ScheduleState} to the leases. Threads:
 * {@value #LOOP_THREAD} (after {@link #start()}), {@value #HEARTBEAT_THREAD} (extends the claims
 * of running syncs), the sync threads {@code imap-sync-sync-N} unless the host gives its own
 * executor, and with IDLE one thread per watched account, {@code imap-sync-idle-<accountId>}
 * (at most {@link Builder#maxIdleConnections}, 1,000 by default; further accounts are polled),
 * and their timer {@code imap-sync-idle-timer}, and with a {@link Builder#retention retention}
 * {@value RetentionTask#THREAD} once a day; all are daemons.
 *
 * <p>What it throws: nothing for what the accounts' servers, the engine, the repository or the
 * leases do while it schedules and syncs. A failed sync (whatever the engine reported or threw)
 * ends as the account's status and a retry with backoff; a repository or lease store that fails
 * is logged and read again later. Only the calls a host makes about one thing
 * ({@link #syncNow}, {@link #statuses()}) throw an {@link ImapSyncException} when the store they
 * read fails, and a misuse (a closed scheduler, {@code null}) throws at once.
 *
 * <p>Thread-safe. {@link #tick()} and {@link #runPass()} never sleep on the clock, so tests
 * drive them with a settable {@link Clock}.
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    /** The name of the loop thread {@link #start()} starts. */
    public static final String LOOP_THREAD = "imap-sync-scheduler";
    /** The name of the thread that extends the claims of running syncs. */
    public static final String HEARTBEAT_THREAD = "imap-sync-heartbeat";
    /** The prefix of the scheduler's own sync threads, numbered from 1. */
    public static final String SYNC_THREAD_PREFIX = "imap-sync-sync-";
    /** The default of {@link Builder#maxIdleConnections}: IDLE connections (and threads) per node. */
    public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 1_000;

    /** The longest the loop sleeps; also how often it reads the repository for new and removed accounts. */
    static final Duration MAX_IDLE = Duration.ofSeconds(30);

    private final AccountLeases leases;
    private final StatusStore statuses;
    private final String nodeId;
    private final Duration shutdownTimeout;
    private final Clock clock;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final SchedulerLoop loop;
    private final SchedulerIdle idle;
    private final AccountRegistry registry;
    private final RunningSyncs runs;
    private final Heartbeats heartbeats;
    private final SyncRunner runner;
    private final Dispatcher dispatcher;
    /** Null without a retention. */
    private final RetentionTask retention;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Serializes passes. */
    private final Object passLock = new Object();

    private SyncScheduler(Builder b) {
        this.statuses = b.statuses != null ? b.statuses : b.engine.statusStore();
        this.leases = b.leases != null ? b.leases : AccountLeases.inMemory();
        this.nodeId = b.nodeId != null ? b.nodeId : SchedulerThreads.defaultNodeId();
        this.shutdownTimeout = b.shutdownTimeout;
        this.clock = b.clock;
        this.ownsExecutor = b.executor == null;
        this.executor = ownsExecutor ? SchedulerThreads.syncExecutor(b.maxConcurrentSyncs) : b.executor;
        RetryPolicy policy = new RetryPolicy(b.backoff, b.random != null ? b.random : new SplittableRandom(),
                b.defaultInterval);
        this.loop = new SchedulerLoop(clock, nodeId);
        this.idle = b.idle ? SchedulerIdle.on(b.idleWatcher != null ? b.idleWatcher : IdleWatcher.builder(),
                this::syncNow, clock, nodeId, b.maxIdleConnections) : SchedulerIdle.off();
        this.registry = new AccountRegistry(b.repository, leases, policy, loop, idle, nodeId);
        this.runs = new RunningSyncs(b.maxConcurrentSyncs, new HostSlots(b.perHostLimit), loop::wake);
        Claims claims = new Claims(leases, nodeId, b.leaseDuration);
        this.heartbeats = new Heartbeats(leases, runs, clock, b.leaseDuration, nodeId);
        SchedulerNode node = new SchedulerNode(nodeId, clock, claims, registry, runs, loop, policy,
                new StatusWriter(this.statuses, nodeId));
        this.runner = new SyncRunner(node, new AttemptRunner(b.repository, b.engine, clock, nodeId), idle, b.listener);
        this.dispatcher = new Dispatcher(node, runner, heartbeats, executor);
        this.retention = b.retention == null ? null : new RetentionTask(
                b.retentionStore != null ? b.retentionStore : (PrivacyStore) b.engine.store(), b.retention, clock, nodeId);
        LOG.info("scheduler {}: {} syncs at once, {} per host, default interval {}, lease {}, backoff {}, {}{}{}", nodeId,
                b.maxConcurrentSyncs, b.perHostLimit, b.defaultInterval, b.leaseDuration, b.backoff,
                ownsExecutor ? "own sync threads" : "the host's executor", b.idle ? ", IDLE on" : "",
                b.retention == null ? "" : ", retention of previews " + b.retention.previews());
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
        if (closed.get() || !loop.start(() -> step(registry.refreshDue(clock.instant()), null))) {
            throw new IllegalStateException("Scheduler " + nodeId + " is closed: build a new one to start again");
        }
    }

    /**
     * One step, without sleeping: reads the repository (registering new accounts with a first
     * run spread within {@code min(interval, 1 minute)}, unregistering removed ones), claims due
     * accounts up to the free capacity, and hands them to the sync threads.
     *
     * @return how many syncs were started (an account whose host is at its cap, or whose retries
     *         are stopped, is put back and not counted); 0 once closed. Never throws: a repository
     *         or lease store that fails is logged and read again at the next tick
     */
    public int tick() {
        return step(true, null);
    }

    /** One claiming step; first starts the day's retention on its own thread when it is due. */
    private int step(boolean refresh, PassRecord pass) {
        if (retention != null && !closed.get()) {
            retention.startIfDue(clock.instant());
        }
        return dispatcher.step(refresh, pass);
    }

    /**
     * Syncs every due account on this node, until none is due and none of this node's syncs
     * runs; blocks until then. Each account is synced at most once per pass. For scripts, the
     * CLI and tests; not while the loop of {@link #start()} runs.
     *
     * @return what was done to each account; a sync that failed, or whose engine threw, is an
     *         outcome here, not an exception
     * @throws IllegalStateException if the loop runs or the scheduler is closed
     */
    public PassReport runPass() {
        synchronized (passLock) {
            if (closed.get()) {
                throw new IllegalStateException("Scheduler " + nodeId + " is closed: build a new one for another pass");
            }
            if (loop.started()) {
                throw new IllegalStateException("Scheduler " + nodeId + " runs its loop (start() was called):"
                        + " use runPass() only on a scheduler that was not started");
            }
            long started = System.nanoTime();
            PassRecord pass = new PassRecord();
            boolean refresh = true;
            while (true) {
                long seen = runs.completions();
                int dispatched = step(refresh, pass);
                refresh = registry.refreshDue(clock.instant());
                if (!runs.awaitProgress(seen, dispatched)) {
                    break;
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
     * connected). If this node syncs the account at the moment, it is synced once more after.
     *
     * @return false if the account is unknown
     * @throws ImapSyncException if the leases fail (the account may then not be due earlier: try again)
     * @throws NullPointerException if {@code accountId} is null
     */
    public boolean syncNow(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        Instant now = clock.instant();
        // noted before dueNow: a sync that releases its claim after dueNow is then sure to see the note
        runs.requestAgain(accountId);
        boolean known = dueNow(accountId, now);
        if (!known) {
            registry.refresh(now);
            known = dueNow(accountId, now);
        }
        if (known) {
            LOG.info("scheduler {}: account {}: sync requested", nodeId, accountId);
            loop.wakeAt(now);
            loop.wake();
        }
        return known;
    }

    private boolean dueNow(String accountId, Instant now) {
        try {
            return leases.dueNow(accountId, now);
        } catch (ImapSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImapSyncException("Scheduler " + nodeId + ": account " + accountId + " could not be made due"
                    + " now, because the leases failed: " + e + ". Check the lease store and try again; the account"
                    + " keeps its planned run.", e);
        }
    }

    /**
     * Every account's status, from the store, in one call.
     *
     * @throws ImapSyncException if the status store fails
     */
    public List<AccountStatus> statuses() {
        try {
            return statuses.statuses();
        } catch (ImapSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImapSyncException("Scheduler " + nodeId + ": the account statuses could not be read: " + e
                    + ". Check the status store.", e);
        }
    }

    /**
     * Stops, in order and in bounded time: no more claims; the IDLE watcher (if any) is closed;
     * syncs handed over but not begun are withdrawn and their claims released; running syncs get
     * up to the shutdown timeout to end, then their threads are interrupted (their claims lapse
     * unless they end and release them). Safe to call twice; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        Thread loopThread = loop.stop();
        runs.close();
        Thread idleClosing = idle.closeInBackground();
        if (loopThread != null && loopThread != Thread.currentThread()) {
            SchedulerThreads.joinUntil(loopThread, deadline);
        }
        List<SyncRun> unstarted = runs.cancelUnstarted();
        unstarted.forEach(runner::withdraw);
        if (!unstarted.isEmpty()) {
            LOG.info("scheduler {}: {} sync(s) withdrawn before they began; their claims are released", nodeId,
                    unstarted.size());
        }
        List<SyncRun> left = runs.awaitEmpty(deadline);
        if (!left.isEmpty()) {
            LOG.warn("scheduler {}: {} sync(s) still running after {}: interrupting them ({})", nodeId, left.size(),
                    shutdownTimeout, left.stream().map(r -> r.accountId).toList());
            left.forEach(r -> r.cancel(true));
        }
        heartbeats.shutdown();
        Thread retaining = retention == null ? null : retention.thread();
        if (retaining != null) {
            SchedulerThreads.joinUntil(retaining, deadline);
            if (retaining.isAlive()) {
                LOG.info("scheduler {}: the retention still runs after {}; its daemon thread ends by itself, and a"
                        + " rerun finishes what it leaves", nodeId, shutdownTimeout);
            }
        }
        if (idleClosing != null) {
            SchedulerThreads.joinUntil(idleClosing, deadline);
            if (idleClosing.isAlive()) {
                LOG.warn("scheduler {}: the IDLE watcher did not close within {}; its daemon threads end by"
                        + " themselves", nodeId, shutdownTimeout);
            }
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
        LOG.info("scheduler {}: closed", nodeId);
    }

    /**
     * How many IMAP IDLE connections this node holds now ({@link Builder#idle(boolean)}): one per
     * watched account, idling or reconnecting after a failure. 0 when IDLE is off. For metrics.
     */
    public int idleConnections() {
        return idle.watchedCount();
    }

    /**
     * How many accounts this node polls only because {@link Builder#maxIdleConnections} was
     * reached when they were last synced; 0 when IDLE is off. For metrics: a figure that stays
     * above 0 says the cap is below the accounts whose server offers IDLE.
     */
    public int idleCappedAccounts() {
        return idle.cappedCount();
    }

    /**
     * Extends the claims of this node's syncs by a lease from the clock's now, as the heartbeat
     * thread does every third of a lease.
     *
     * @return how many claims were extended
     */
    int heartbeat() {
        return heartbeats.beat();
    }

    /** How many syncs run (or wait to begin) on this node now. */
    int runningCount() {
        return runs.count();
    }

    /** How many retention runs this node started (for tests); 0 without a retention. */
    int retentionRuns() {
        return retention == null ? 0 : retention.started();
    }

    /** Whether a retention run is going on now (for tests). */
    boolean retentionRunning() {
        return retention != null && retention.running();
    }

    /** Whether IDLE watches the account now (for tests). */
    boolean idleWatching(String accountId) {
        return idle.watching(accountId);
    }

    // ------------------------------------------------------------------------------ builder

    /**
     * Settings of a {@link SyncScheduler}. Each setter checks its argument at once;
     * {@link #build()} checks that the required parts are there.
     */
    public static final class Builder {
        private AccountRepository repository;
        private SyncEngine engine;
        private StatusStore statuses;
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
        private boolean idle;
        private int maxIdleConnections = DEFAULT_MAX_IDLE_CONNECTIONS;
        private IdleWatcher.Builder idleWatcher;
        private Retention retention;
        private PrivacyStore retentionStore;

        private Builder() {
        }

        /**
         * Where the accounts come from (required).
         *
         * @throws NullPointerException if null (as every setter of this builder given a null); the
         *         setters of numbers and durations throw IllegalArgumentException, naming the range
         */
        public Builder accounts(AccountRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * The engine that syncs them (required). Statuses are written to its status store unless
         * {@link #statusStore(StatusStore)} names another.
         */
        public Builder engine(SyncEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Where statuses are written and read (default: the engine's status store). */
        public Builder statusStore(StatusStore statuses) {
            this.statuses = Objects.requireNonNull(statuses, "statuses");
            return this;
        }

        /** The schedule shared by the nodes (default: a new {@link AccountLeases#inMemory()}, for one node). */
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

        /** How often an account syncs unless its own settings say (default 5 minutes, at most 366 days). */
        public Builder defaultInterval(Duration interval) {
            Objects.requireNonNull(interval, "defaultInterval");
            if (interval.isNegative() || interval.isZero() || interval.compareTo(ManagedAccount.MAX_INTERVAL) > 0) {
                throw new IllegalArgumentException("defaultInterval " + interval + " is out of range: give a positive"
                        + " duration of at most 366 days, e.g. PT5M");
            }
            this.defaultInterval = interval;
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
         * {@code imap-sync-sync-N}, as many as {@link #maxConcurrentSyncs}.
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
         * How long a claim holds without a heartbeat (default 10 minutes, 3 seconds to 1 day);
         * running syncs extend theirs every third of it. A node that dies loses its accounts to
         * the others after this long.
         */
        public Builder leaseDuration(Duration duration) {
            positive(duration, "leaseDuration", "e.g. PT10M");
            if (duration.compareTo(Duration.ofSeconds(3)) < 0) {
                throw new IllegalArgumentException("leaseDuration " + duration
                        + " is too short: give at least 3 seconds (heartbeats come every third of it)");
            }
            if (duration.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("leaseDuration " + duration + " is too long: give at most 1 day"
                        + " (a node that dies keeps its accounts that long)");
            }
            this.leaseDuration = duration;
            return this;
        }

        /** How long {@link SyncScheduler#close()} waits for running syncs before interrupting them (default 30 s, at most 1 day). */
        public Builder shutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "shutdownTimeout");
            if (timeout.isNegative() || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("shutdownTimeout " + timeout + " is out of range: give 0 or more,"
                        + " at most 1 day");
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
         * Near-real-time new mail (default off): after an account's sync ends OK or PARTIAL, the
         * scheduler watches it with IMAP IDLE (one connection per account, on INBOX or All Mail,
         * at most {@link #maxIdleConnections} of them on this node) and syncs it as soon as new
         * mail arrives; where the server has no IDLE, or every IDLE slot is taken, polling goes on
         * alone. A removed account, or one stopped after a failed login, is no longer watched;
         * {@link SyncScheduler#close()} closes the watcher.
         */
        public Builder idle(boolean idle) {
            this.idle = idle;
            return this;
        }

        /**
         * The most IMAP IDLE connections this node holds at once with {@link #idle(boolean)
         * idle(true)}; default {@value SyncScheduler#DEFAULT_MAX_IDLE_CONNECTIONS}. Each one is a
         * socket and a thread of its own (IDLE needs a blocking read per connection), so the cap
         * bounds the node's threads and memory: once it is reached, a further account is only
         * polled at its interval, and it takes a slot freed by a removed or stopped account at
         * its next sync. From 1 to 100,000.
         */
        public Builder maxIdleConnections(int max) {
            if (max < 1 || max > 100_000) {
                throw new IllegalArgumentException("maxIdleConnections " + max + " is out of range: give 1 to 100000,"
                        + " e.g. 1000 (each IDLE connection holds a thread and a socket)");
            }
            this.maxIdleConnections = max;
            return this;
        }

        /**
         * The settings of the IDLE watcher used with {@link #idle(boolean) idle(true)} (tests
         * shorten its timeouts); the scheduler sets its {@code onNewMail} and {@code onStopped}
         * callbacks and its clock.
         */
        Builder idleWatcher(IdleWatcher.Builder settings) {
            this.idleWatcher = Objects.requireNonNull(settings, "idleWatcher");
            return this;
        }

        /**
         * Drops old previews (and history, if it says so) once a day on this node, in the engine's
         * store, which must then be a {@link PrivacyStore} (the built-in stores are). The run
         * goes to a daemon thread of its own ({@value RetentionTask#THREAD}), so it never holds
         * up a sync; a run that fails is logged with what to do and tried again an hour later.
         * With several nodes each runs it once a day: a run finds nothing to do when another
         * node's ran just before. Default: none.
         */
        public Builder retention(Retention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** As {@link #retention(Retention)}, in another store than the engine's. */
        public Builder retention(Retention retention, PrivacyStore store) {
            this.retentionStore = Objects.requireNonNull(store, "store");
            return retention(retention);
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
            if (retention != null && retentionStore == null) {
                if (!(engine.store() instanceof PrivacyStore)) {
                    throw new IllegalStateException("retention(...) was given, but the engine's store "
                            + engine.store().getClass().getName() + " is not a PrivacyStore: give the store that"
                            + " applies it with retention(retention, privacyStore), or leave out retention(...)");
                }
            }
            if (idleWatcher != null && !idle) {
                throw new IllegalStateException("idleWatcher(...) was given but IDLE is off: call idle(true) as well,"
                        + " or leave out idleWatcher(...)");
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
