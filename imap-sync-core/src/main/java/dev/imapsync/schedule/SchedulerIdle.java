package dev.imapsync.schedule;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's use of IMAP IDLE ({@link SyncScheduler.Builder#idle}): after a sync ends OK or
 * PARTIAL, the account is watched by the scheduler's own {@link IdleWatcher}, whose new mail
 * makes it due at once; a removed account, or one stopped after a failed login, is unwatched.
 * An account whose server declined (no IDLE, or the first login failed) is asked again only
 * after {@link #DECLINED_RECHECK} or when its settings change, so polling is not doubled by a
 * login per sync; one watched at an older revision is watched anew with its new settings.
 *
 * <p>The watcher holds a thread and a socket per watched account (IDLE needs a blocking read
 * per connection through Angus Mail, and Java 17 has no virtual threads), so the node holds at
 * most {@code maxConnections} of them: an account synced while every slot is taken is only
 * polled, is not recorded as declined, and takes a slot at a later sync once one is free (a
 * removed account, one stopped after a failed login, or one whose server declined gives its
 * slot back). A slot is reserved before the watcher's login, so concurrent syncs never exceed
 * the cap.
 *
 * <p>Thread-safe: the state per account is a concurrent map; {@link IdleWatcher#watch} and
 * {@link IdleWatcher#unwatch} (I/O, bounded by the account's timeouts and the watcher's close
 * timeout) are called with no lock of this class held: watch on the thread of the account's
 * sync, before its run ends, so that {@link SyncScheduler#close()} waits for it.
 */
final class SchedulerIdle {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    /** How long an account whose server declined IDLE is only polled before it is asked again. */
    static final Duration DECLINED_RECHECK = Duration.ofHours(6);

    /** Watched at a revision, or declined at a revision until a time. */
    private record Entry(long revision, boolean watched, Instant askAgainAt) {
    }

    private final IdleWatcher watcher; // null when IDLE is off
    private final Clock clock;
    private final String nodeId;
    private final Map<String, Entry> accounts = new ConcurrentHashMap<>();
    private final int maxConnections;
    /** The accounts holding one of the {@link #maxConnections} slots; guarded by itself for reservations. */
    private final Set<String> slots = ConcurrentHashMap.newKeySet();
    /** The accounts that found every slot taken at their last sync: polled only. */
    private final Set<String> capped = ConcurrentHashMap.newKeySet();

    private SchedulerIdle(IdleWatcher.Builder settings, Consumer<String> onNewMail, Clock clock, String nodeId,
            int maxConnections) {
        this.clock = clock;
        this.nodeId = nodeId;
        this.maxConnections = maxConnections;
        this.watcher = settings == null ? null
                : settings.clock(clock).onNewMail(onNewMail).onStopped(this::stopped).build();
    }

    /** IDLE off: every method does nothing. */
    static SchedulerIdle off() {
        return new SchedulerIdle(null, null, null, null, 0);
    }

    /**
     * IDLE on, through a watcher built from {@code settings}, its callbacks set here, with at
     * most {@code maxConnections} accounts watched at once.
     */
    static SchedulerIdle on(IdleWatcher.Builder settings, Consumer<String> onNewMail, Clock clock, String nodeId,
            int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + " is not positive");
        }
        return new SchedulerIdle(settings, onNewMail, clock, nodeId, maxConnections);
    }

    boolean enabled() {
        return watcher != null;
    }

    /** How many accounts the watcher watches now (each over a connection of its own, at most the cap); 0 when off. */
    int watchedCount() {
        return watcher == null ? 0 : watcher.watchedAccounts().size();
    }

    /** How many accounts found every IDLE slot taken at their last sync and are only polled; 0 when off. */
    int cappedCount() {
        return capped.size();
    }

    /** Whether the watcher watches the account now. */
    boolean watching(String accountId) {
        return watcher != null && watcher.isWatching(accountId);
    }

    /**
     * After a sync that ended OK or PARTIAL: watches the account unless it is watched or declined.
     * Never throws: IDLE is an addition to polling, and its failure must not fail the sync.
     */
    void synced(AccountSummary summary, Optional<ImapAccount> account) {
        if (watcher == null || account.isEmpty()) {
            return;
        }
        try {
            watch(summary, account.get());
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: starting IDLE failed, it is polled: {}", nodeId, summary.id(),
                    e.toString(), e);
        }
    }

    private void watch(AccountSummary summary, ImapAccount account) {
        String id = summary.id();
        Instant now = clock.instant();
        Entry entry = accounts.get(id);
        if (entry != null && entry.revision() == summary.revision()
                && (entry.watched() ? watcher.isWatching(id) : now.isBefore(entry.askAgainAt()))) {
            return;
        }
        if (!reserveSlot(id)) {
            if (capped.add(id)) {
                LOG.info("scheduler {}: account {}: not watched with IDLE, this node already holds the most IDLE"
                        + " connections ({}); polled at its interval, watched once a slot is free (raise"
                        + " maxIdleConnections, or add nodes)", nodeId, id, maxConnections);
            }
            return;
        }
        capped.remove(id);
        boolean watching = false;
        try {
            watching = watcher.watch(account);
        } finally {
            if (!watching) {
                slots.remove(id);
            }
        }
        accounts.put(id, new Entry(summary.revision(), watching, watching ? now : now.plus(DECLINED_RECHECK)));
        if (watching) {
            LOG.info("scheduler {}: account {}: watched with IDLE, new mail syncs it at once", nodeId, id);
        } else {
            LOG.info("scheduler {}: account {}: not watched with IDLE, polled; asked again in {}", nodeId, id,
                    DECLINED_RECHECK);
        }
    }

    /** Takes a slot for the account, or finds it already holds one; false when every slot is taken. */
    private boolean reserveSlot(String id) {
        synchronized (slots) {
            if (slots.contains(id)) {
                return true;
            }
            if (slots.size() >= maxConnections) {
                return false;
            }
            slots.add(id);
            return true;
        }
    }

    /** Stops watching the accounts (removed, or stopped after a failed login); never throws. */
    void forget(Collection<String> accountIds) {
        if (watcher == null) {
            return;
        }
        for (String id : accountIds) {
            accounts.remove(id);
            capped.remove(id);
            try {
                if (watcher.unwatch(id)) {
                    LOG.info("scheduler {}: account {}: no longer watched with IDLE", nodeId, id);
                }
            } catch (RuntimeException e) {
                LOG.warn("scheduler {}: account {}: stopping IDLE failed: {}", nodeId, id, e.toString(), e);
            } finally {
                slots.remove(id);
            }
        }
    }

    /** The watcher stopped on its own (a failed login, IDLE gone): polled until asked again. */
    private void stopped(String accountId, String reason) {
        accounts.computeIfPresent(accountId,
                (id, e) -> new Entry(e.revision(), false, clock.instant().plus(DECLINED_RECHECK)));
        slots.remove(accountId);
        LOG.info("scheduler {}: account {}: IDLE stopped ({}), polled", nodeId, accountId, reason);
    }

    /** Closes the watcher on a thread of its own, so that the caller can bound the wait; null if off. */
    Thread closeInBackground() {
        if (watcher == null) {
            return null;
        }
        return SchedulerThreads.startDaemon(watcher::close, "imap-sync-idle-close");
    }
}
