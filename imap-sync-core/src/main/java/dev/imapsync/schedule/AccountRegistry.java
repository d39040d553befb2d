package dev.imapsync.schedule;

import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts this node knows: reads the repository, registers new accounts in the leases with
 * their first run spread out, unregisters removed ones (and stops watching them), and makes an
 * account due whose retries stopped after a failed login once its revision changed.
 *
 * <p>Thread-safe: the methods that read or write the view are synchronized on this object.
 * Under it the repository and the leases are read (I/O) and {@link SchedulerLoop#wakeAt} is
 * called, which takes only the loop's lock. Removed accounts are unwatched after it is let go:
 * an IDLE thread being stopped may be calling {@link SyncScheduler#syncNow}, which refreshes.
 */
final class AccountRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final AccountRepository repository;
    private final AccountLeases leases;
    private final RetryPolicy policy;
    private final SchedulerLoop loop;
    private final SchedulerIdle idle;
    private final String nodeId;
    private Map<String, AccountSummary> summaries = Map.of(); // guarded by this
    private final Map<String, Long> revisions = new HashMap<>(); // guarded by this
    private volatile Instant refreshedAt;

    AccountRegistry(AccountRepository repository, AccountLeases leases, RetryPolicy policy, SchedulerLoop loop,
                    SchedulerIdle idle, String nodeId) {
        this.repository = repository;
        this.leases = leases;
        this.policy = policy;
        this.loop = loop;
        this.idle = idle;
        this.nodeId = nodeId;
    }

    /** The account as the repository listed it at the last refresh. */
    synchronized Optional<AccountSummary> summary(String accountId) {
        return Optional.ofNullable(summaries.get(accountId));
    }

    /** Whether the repository was last read {@link SyncScheduler#MAX_IDLE} ago or more (or never). */
    boolean refreshDue(Instant now) {
        Instant last = refreshedAt;
        return last == null || now.isBefore(last) || !now.isBefore(last.plus(SyncScheduler.MAX_IDLE));
    }

    /**
     * Reads the repository and brings the leases in line with it.
     *
     * @return whether the repository could be read
     */
    boolean refresh(Instant now) {
        List<String> gone = new ArrayList<>();
        boolean read = refresh(now, gone);
        idle.forget(gone);
        return read;
    }

    /** {@link #refresh(Instant)}, adding the accounts it unregistered to {@code unregistered}. */
    private synchronized boolean refresh(Instant now, List<String> unregistered) {
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
                firstRuns.values().forEach(loop::wakeAt);
                LOG.info("scheduler {}: {} new account(s) registered", nodeId, firstRuns.size());
            }
            if (!gone.isEmpty()) {
                leases.unregister(gone);
                LOG.info("scheduler {}: {} account(s) no longer in the repository, unregistered: {}", nodeId,
                        gone.size(), gone);
                unregistered.addAll(gone);
            }
            resumeChanged(byId, known, first, now);
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: updating the schedule failed, trying again later: {}", nodeId, e.toString(), e);
        }
        summaries = byId;
        refreshedAt = now;
        return true;
    }

    /** Unregisters an account found gone when its sync began. */
    void removed(String accountId) {
        leases.unregister(List.of(accountId));
        LOG.info("scheduler {}: account {} is no longer in the repository: unregistered", nodeId, accountId);
        idle.forget(List.of(accountId));
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
            OptionalLong stopped = leases.state(s.id()).map(ScheduleState::stoppedRevision).orElse(OptionalLong.empty());
            if (stopped.isPresent() && stopped.getAsLong() != s.revision() && leases.dueNow(s.id(), now)) {
                loop.wakeAt(now);
                logResumed(s.id(), stopped.getAsLong(), s.revision(), "due now");
            }
        }
        revisions.keySet().retainAll(byId.keySet());
    }

    /** Logs that an account stopped after a failed login is tried again, its settings having changed. */
    void logResumed(String accountId, long stoppedAt, long now, String what) {
        LOG.info("scheduler {}: account {}: its settings changed since the failed login (revision {}, now {}): {}",
                nodeId, accountId, stoppedAt, now, what);
    }
}
