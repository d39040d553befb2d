package dev.imapsync.schedule;

import dev.imapsync.FailureKind;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.IdleConnection;
import dev.imapsync.internal.mail.IdleListener;
import dev.imapsync.internal.mail.MailboxConnector;
import dev.imapsync.store.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Near-real-time new mail: one connection per watched account waits in IMAP IDLE (RFC 2177)
 * on the folder that receives new mail (INBOX, or All Mail on Gmail) and calls back when the
 * server reports more messages, so the host can sync the account at once instead of at its
 * next poll. Accounts whose server has no IDLE are not watched ({@link #watch} returns false)
 * and keep being polled.
 *
 * <pre>{@code
 * IdleWatcher watcher = IdleWatcher.builder()
 *         .onNewMail(accountId -> scheduler.syncNow(accountId))
 *         .build();
 * if (!watcher.watch(account)) {
 *     // no IDLE here: the interval sync is all there is
 * }
 * ...
 * watcher.close();
 * }</pre>
 *
 * <p>What it promises:
 * <ul>
 *   <li>The folder is opened with EXAMINE: the watcher never changes a flag, never expunges,
 *       never selects anything read-write. It logs in through the same guarded, verified
 *       connection path as a sync, and never logs a secret.</li>
 *   <li>Each IDLE command is ended with DONE after {@link Builder#reissueAfter} (25 minutes by
 *       default, always under the 29 minutes after which RFC 2177 servers may drop an idle
 *       client) and issued again at once.</li>
 *   <li>A dead connection is noticed and replaced: BYE, a closed or reset socket, or a DONE
 *       not answered within the account's read timeout (so a silently dropped connection is
 *       found at the latest one read timeout after the re-issue). The watcher then reconnects
 *       after {@link Builder#reconnectBackoff} (doubled per consecutive failure, with jitter,
 *       capped at 10 minutes) and calls back once after the reconnect, since mail may have
 *       arrived meanwhile.</li>
 *   <li>A failure classified {@link FailureKind#AUTH_FAILED}, {@link FailureKind#IMAP_DISABLED},
 *       {@link FailureKind#AUTH_REVOKED} or {@link FailureKind#OAUTH_MISCONFIGURED} stops watching the account (providers lock accounts that retry bad passwords), as does
 *       a server that no longer offers IDLE or refuses it; {@link Builder#onStopped} is told
 *       why.</li>
 * </ul>
 *
 * <p>Threads: one daemon thread per watched account, named {@code imap-sync-idle-<accountId>}
 * (the prefix is configurable), and one daemon timer thread that sends the DONEs. The callbacks
 * run on the account's thread and should return quickly (hand the account to a scheduler);
 * what they throw is logged and ignored. All methods are thread-safe.
 */
final class IdleWatcher implements AutoCloseable {
    /** The default time after which an IDLE command is ended with DONE and issued again. */
    public static final Duration DEFAULT_REISSUE_AFTER = Duration.ofMinutes(25);
    /** RFC 2177 servers may log an idle client out after 30 minutes; IDLE is re-issued before this. */
    public static final Duration MAX_REISSUE_AFTER = Duration.ofMinutes(29);
    /** The default wait before the first reconnect after a failure. */
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofSeconds(30);
    /** The longest wait between reconnects. */
    public static final Duration MAX_RECONNECT_BACKOFF = Duration.ofMinutes(10);
    /** The default bound on {@link #close()} and {@link #unwatch(String)}. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(IdleWatcher.class);
    /** The longest a reconnect wait sleeps before it looks at the clock again. */
    private static final Duration PAUSE_SLICE = Duration.ofSeconds(1);

    private final Consumer<String> onNewMail;
    private final BiConsumer<String, String> onStopped;
    private final Duration reissueAfter;
    private final Backoff reconnectBackoff;
    private final Clock clock;
    private final Duration closeTimeout;
    private final String threadNamePrefix;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private IdleWatcher(Builder b) {
        this.onNewMail = b.onNewMail;
        this.onStopped = b.onStopped;
        this.reissueAfter = b.reissueAfter;
        this.reconnectBackoff = reconnectBackoff(b.reconnectBackoff);
        this.clock = b.clock;
        this.closeTimeout = b.closeTimeout;
        this.threadNamePrefix = b.threadNamePrefix;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, b.threadNamePrefix + "timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A builder; {@link Builder#onNewMail} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts watching an account: logs in on the caller's thread and checks that the server
     * offers IDLE; then the account's thread opens the folder that receives new mail
     * read-only and starts IDLE. Returns once IDLE runs, or once the first attempt to start it
     * failed (the thread then retries with backoff), bounded by the account's timeouts.
     * Watching an account that is already watched replaces the earlier watch (for changed
     * settings or credentials).
     *
     * @return true when the account is being watched; false when the server has no IDLE
     *         capability (nothing further is opened: keep polling the account), when the first
     *         login failed (logged; the caller keeps polling and may call this again later), or
     *         when the watcher is closed
     */
    public boolean watch(ImapAccount account) {
        Objects.requireNonNull(account, "account");
        if (closed) {
            return false;
        }
        Watch earlier = watches.remove(account.id());
        if (earlier != null) {
            earlier.stopAndJoin();
        }
        MailboxConnector connector = MailboxConnector.forAccount(account);
        IdleConnection first = new IdleConnection(connector);
        try {
            first.open();
        } catch (ConnectionFailure e) {
            first.abort("the first login failed");
            first.close();
            LOG.warn("account {} at {}: cannot watch for new mail, {}", account.id(), account.endpoint(),
                    e.classified().detail());
            return false;
        }
        if (!first.supportsIdle()) {
            first.close();
            LOG.info("account {} at {}: the server does not offer IDLE; new mail is found by polling",
                    account.id(), account.endpoint());
            return false;
        }
        Watch watch = new Watch(connector, first);
        synchronized (this) {
            if (closed) {
                first.close();
                return false;
            }
            Watch concurrent = watches.put(account.id(), watch);
            if (concurrent != null) {
                concurrent.stop();
            }
            watch.thread.start();
        }
        watch.awaitFirstAttempt();
        return watches.get(account.id()) == watch;
    }

    /**
     * Stops watching an account: ends IDLE with DONE, logs out, and waits (bounded by the close
     * timeout) for its thread to end.
     *
     * @return whether the account was being watched
     */
    public boolean unwatch(String accountId) {
        Watch watch = watches.remove(Objects.requireNonNull(accountId, "accountId"));
        if (watch == null) {
            return false;
        }
        watch.stopAndJoin();
        return true;
    }

    /** Whether the account is being watched (idling, or reconnecting after a failure). */
    public boolean isWatching(String accountId) {
        return watches.containsKey(Objects.requireNonNull(accountId, "accountId"));
    }

    /** The ids of the accounts being watched. */
    public Set<String> watchedAccounts() {
        return Set.copyOf(watches.keySet());
    }

    /**
     * Stops every watch at once: closes the sockets of every connection without a word to the
     * server (no DONE, no LOGOUT, not even TLS's closing alert, which costs milliseconds a
     * socket on a loaded machine: with thousands of accounts watched, goodbyes and their answers
     * were what made close() slow; IDLE is read-only and holds nothing to save), then waits up to
     * the close timeout for the threads to end, and returns. The server sees the connection
     * closed, as when a node dies. Bounded: returns within about the close timeout, however many
     * accounts are watched (closing a socket takes well under a millisecond); a thread still running then is
     * a daemon that ends by itself without calling back. Nothing is lost: a new-mail callback a
     * watch did not get to make is only a hint, since the account's next sync finds every
     * message the watched folder received, whether or not it was told. Safe twice.
     */
    @Override
    public void close() {
        List<Watch> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(watches.values());
            watches.clear();
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        all.forEach(Watch::end);
        int running = 0;
        for (Watch w : all) {
            w.join(deadline);
            if (w.thread.isAlive()) {
                running++;
            }
        }
        if (running > 0) {
            LOG.warn("{} of {} IDLE threads still ran {} after their sockets were closed; they are daemons and end"
                    + " by themselves", running, all.size(), closeTimeout);
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The waits before reconnects: {@code base} doubled per consecutive failure, capped at
     * {@link #MAX_RECONNECT_BACKOFF}, with a jitter that only shortens (by up to a fifth), so
     * that accounts dropped together do not all return together and the cap still holds.
     * {@link Backoff} spreads its jitter on both sides of the delay, so the delay is set at 90 %
     * and spread by a ninth of that: from 80 % to 100 % of the doubled, capped wait.
     */
    static Backoff reconnectBackoff(Duration base) {
        return new Backoff(percent(base, 90), percent(MAX_RECONNECT_BACKOFF, 90), 2.0, 1.0 / 9);
    }

    private static Duration percent(Duration d, int percent) {
        return Duration.ofNanos(Math.max(1, d.toNanos() / 100 * percent));
    }

    private void fireNewMail(String accountId) {
        try {
            onNewMail.accept(accountId);
        } catch (RuntimeException e) {
            LOG.warn("account {}: the new-mail callback threw, ignored: {}", accountId, e.toString());
        }
    }

    private void stopped(Watch watch, String reason) {
        watches.remove(watch.account.id(), watch);
        try {
            onStopped.accept(watch.account.id(), reason);
        } catch (RuntimeException e) {
            LOG.warn("account {}: the stop callback threw, ignored: {}", watch.account.id(), e.toString());
        }
    }

    /** One watched account: its thread, its current connection, and how to stop it. */
    private final class Watch implements Runnable, IdleListener {
        final ImapAccount account;
        final Thread thread;
        private final MailboxConnector connector;
        private final CountDownLatch firstAttempt = new CountDownLatch(1);
        private final Object wakeUp = new Object();
        private volatile IdleConnection current;
        private volatile boolean stopping;
        private int failures;

        Watch(MailboxConnector connector, IdleConnection first) {
            this.account = connector.account();
            this.connector = connector;
            this.current = first;
            this.thread = new Thread(this, threadNamePrefix + account.id());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            boolean reconnect = false;
            try {
                while (!stopping) {
                    IdleConnection c = current;
                    boolean failed = true;
                    try {
                        if (c == null) {
                            c = new IdleConnection(connector);
                            current = c;
                            if (stopping) {
                                break;
                            }
                            c.open();
                            if (!c.supportsIdle()) {
                                LOG.warn("account {} at {}: the server no longer offers IDLE; stopped watching,"
                                        + " new mail is found by polling", account.id(), account.endpoint());
                                stopped(this, "the server does not offer IDLE");
                                stopping = true;
                                failed = false;
                                break;
                            }
                        }
                        String folder = c.examineNewMailFolder();
                        if (reconnect) {
                            LOG.info("account {}: reconnected, watching {} again", account.id(), folder);
                            fireNewMail(account.id());
                        }
                        while (!stopping) {
                            c.idle(reissueAfter, timer, this);
                        }
                        failed = false;
                    } catch (ConnectionFailure e) {
                        if (stopping) {
                            break;
                        }
                        FailureKind kind = e.classified().kind();
                        if (c != null && c.idleRefused()) {
                            LOG.warn("account {} at {}: the server refused IDLE ({}); stopped watching, new mail"
                                    + " is found by polling", account.id(), account.endpoint(), e.classified().detail());
                            stopped(this, "the server refused IDLE: " + e.classified().detail());
                            stopping = true;
                            break;
                        }
                        if (SyncStatus.of(kind) == SyncStatus.AUTH_FAILED
                                || SyncStatus.of(kind) == SyncStatus.AUTH_REVOKED) {
                            LOG.warn("account {} at {}: {} while watching for new mail ({}); stopped watching,"
                                    + " no retries until the account is watched again", account.id(),
                                    account.endpoint(), kind, e.classified().detail());
                            stopped(this, kind + ": " + e.classified().detail());
                            stopping = true;
                            break;
                        }
                        failures++;
                        LOG.info("account {} at {}: the IDLE connection failed ({}: {}); reconnecting",
                                account.id(), account.endpoint(), kind, e.classified().detail());
                    } catch (RuntimeException e) {
                        if (stopping) {
                            break;
                        }
                        failures++;
                        LOG.warn("account {}: unexpected failure while watching for new mail; reconnecting",
                                account.id(), e);
                    } finally {
                        firstAttempt.countDown();
                        if (c != null) {
                            if (failed) {
                                c.abort("the connection is given up");
                            }
                            c.close();
                        }
                        current = null;
                    }
                    if (stopping) {
                        break;
                    }
                    reconnect = true;
                    pause(reconnectBackoff.delay(failures, ThreadLocalRandom.current()));
                }
            } finally {
                firstAttempt.countDown();
                watches.remove(account.id(), this);
                LOG.debug("account {}: stopped watching for new mail", account.id());
            }
        }

        @Override
        public void idling() {
            failures = 0;
            firstAttempt.countDown();
        }

        @Override
        public void newMail(long exists) {
            LOG.debug("account {}: new mail ({} messages in the folder)", account.id(), exists);
            fireNewMail(account.id());
        }

        /** Waits until the clock reaches {@code wait} from now, or until the watch is stopped. */
        private void pause(Duration wait) {
            Instant until = clock.instant().plus(wait);
            synchronized (wakeUp) {
                Duration left;
                while (!stopping && (left = Duration.between(clock.instant(), until)).compareTo(Duration.ZERO) > 0) {
                    try {
                        // in slices, so that a clock that jumps (or a test's clock that is moved) is followed
                        TimeUnit.NANOSECONDS.timedWait(wakeUp, Math.min(left.toNanos(), PAUSE_SLICE.toNanos()));
                    } catch (InterruptedException e) {
                        stopping = true;
                    }
                }
            }
        }

        /** Asks the thread to end: DONE on the connection, or no more waiting for a reconnect. */
        void stop() {
            stopping = true;
            IdleConnection c = current;
            if (c != null) {
                c.stop();
            }
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }

        /**
         * Ends the watch without a word to the server: no more waiting for a reconnect, and the
         * sockets closed, so that a read, a login or a connect under way fails at once.
         */
        void end() {
            stopping = true; // before reading current: run() checks the flag after publishing a new connection
            IdleConnection c = current;
            if (c != null) {
                c.abort("the watcher is closing");
            }
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }

        /** Closes the sockets: for a thread that did not end after {@link #stop()}. */
        void abort() {
            IdleConnection c = current;
            if (c != null) {
                c.abort("the watcher is closing");
            }
            thread.interrupt();
        }

        void stopAndJoin() {
            stop();
            if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
                IdleConnection c = current;
                if (c != null) {
                    c.close();
                }
                return;
            }
            join(System.nanoTime() + closeTimeout.toNanos());
            if (thread.isAlive()) {
                abort();
                join(System.nanoTime() + closeTimeout.toNanos());
            }
        }

        void join(long deadlineNanos) {
            long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (millis <= 0) {
                return;
            }
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitFirstAttempt() {
            Duration bound = account.connectTimeout().plus(account.readTimeout().multipliedBy(3));
            try {
                firstAttempt.await(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Settings of an {@link IdleWatcher}. */
    public static final class Builder {
        private Consumer<String> onNewMail;
        private BiConsumer<String, String> onStopped = (id, reason) -> { };
        private Duration reissueAfter = DEFAULT_REISSUE_AFTER;
        private Duration reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private String threadNamePrefix = "imap-sync-idle-";
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Required: called with the account's id when new mail arrived in the watched folder,
         * and once after every reconnect. Runs on the account's thread; should return quickly.
         * What it throws is logged and ignored.
         */
        public Builder onNewMail(Consumer<String> callback) {
            this.onNewMail = Objects.requireNonNull(callback, "onNewMail");
            return this;
        }

        /**
         * Called with the account's id and the reason when the watcher stops watching an account
         * on its own (authentication failed, IMAP disabled, IDLE no longer offered or refused): the account
         * is then only polled. Not called for {@link IdleWatcher#unwatch} or
         * {@link IdleWatcher#close()}. What it throws is logged and ignored.
         */
        public Builder onStopped(BiConsumer<String, String> callback) {
            this.onStopped = Objects.requireNonNull(callback, "onStopped");
            return this;
        }

        /**
         * How long one IDLE command lasts before DONE and a new IDLE; default 25 minutes, less
         * than {@link #MAX_REISSUE_AFTER}.
         */
        public Builder reissueAfter(Duration interval) {
            Objects.requireNonNull(interval, "reissueAfter");
            if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_REISSUE_AFTER) >= 0) {
                throw new IllegalArgumentException("reissueAfter " + interval + " is out of range: give a positive"
                        + " duration under 29 minutes (RFC 2177 servers may drop an idle client after 30)");
            }
            this.reissueAfter = interval;
            return this;
        }

        /**
         * The wait before reconnecting after a failure; doubled per consecutive failure, capped
         * at {@link #MAX_RECONNECT_BACKOFF}; default 30 seconds.
         */
        public Builder reconnectBackoff(Duration wait) {
            Objects.requireNonNull(wait, "reconnectBackoff");
            if (wait.isNegative() || wait.isZero() || wait.compareTo(MAX_RECONNECT_BACKOFF) > 0) {
                throw new IllegalArgumentException("reconnectBackoff " + wait + " is out of range: give a positive"
                        + " duration of at most " + MAX_RECONNECT_BACKOFF);
            }
            this.reconnectBackoff = wait;
            return this;
        }

        /**
         * How long {@link IdleWatcher#unwatch} waits for a graceful DONE and LOGOUT before
         * closing the sockets, and how long {@link IdleWatcher#close()}, which closes every
         * socket at once, waits for the threads to end; default 5 seconds, at most 1 hour.
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("closeTimeout " + timeout + " is out of range: give a positive"
                        + " duration of at most 1 hour, e.g. PT5S");
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * The prefix of the thread names: an account's thread is the prefix followed by its id,
         * the timer thread the prefix followed by {@code timer}; default {@code imap-sync-idle-}.
         */
        public Builder threadNamePrefix(String prefix) {
            Objects.requireNonNull(prefix, "threadNamePrefix");
            if (prefix.isBlank() || prefix.length() > 100 || prefix.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("threadNamePrefix must be 1-100 characters without control"
                        + " characters and not blank, e.g. imap-sync-idle-");
            }
            this.threadNamePrefix = prefix;
            return this;
        }

        /**
         * The clock the reconnect waits are measured on (default the system clock; the
         * scheduler gives its own, tests a settable one). Only the waits between reconnects
         * follow it: socket timeouts, the IDLE re-issue and the close bounds are real time.
         */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the watcher; no thread runs until an account is watched. */
        public IdleWatcher build() {
            if (onNewMail == null) {
                throw new IllegalStateException("onNewMail is required: give the callback that syncs an account");
            }
            return new IdleWatcher(this);
        }
    }
}
