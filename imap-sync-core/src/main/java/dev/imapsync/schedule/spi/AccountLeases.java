package dev.imapsync.schedule.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The shared schedule of all accounts, and the leases through which the nodes of a cluster
 * divide them: an account is synced only by the node that holds its claim. One node uses
 * an in-memory implementation (the default of {@link dev.imapsync.schedule.SyncScheduler}); several share {@code JdbcLeases} (imap-sync-jdbc).
 *
 * <p>Every change is a compare-and-set on the entry's version, so two nodes never both win a
 * claim, and a node whose claim lapsed (it stalled, or died) cannot overwrite the state written
 * by the node that took the account over. Implementations must be thread-safe.
 */
public interface AccountLeases {

    /**
     * Leases kept in this JVM's memory: the scheduler's default for one node, and a way to let
     * several schedulers of one JVM (tests, benchmarks) share accounts. Nothing survives a restart.
     */
    static AccountLeases inMemory() {
        return new InMemoryAccountLeases();
    }


    /**
     * Adds an entry for each account that has none, due at the time given; existing entries are
     * left as they are. Idempotent, and safe when nodes do it at once.
     */
    void register(Map<String, Instant> firstRuns);

    /** Removes the entries of these accounts (for example, accounts no longer stored). */
    void unregister(Collection<String> accountIds);

    /** The ids of all accounts with an entry, sorted. */
    List<String> accountIds();

    /** The schedule state of an account, if it has an entry. */
    Optional<ScheduleState> state(String accountId);

    /**
     * Claims up to {@code limit} accounts that are due ({@code nextRunAt <= now}) and not held
     * by a live claim (none, or one whose {@code leaseUntil} is before {@code now}), earliest due
     * first. Times are kept to the microsecond.
     *
     * @param node       this node's id
     * @param now        the current time
     * @param leaseUntil when the new claims lapse unless extended
     * @return the claims won; possibly fewer than {@code limit} when other nodes won some
     */
    List<LeaseClaim> claimDue(String node, Instant now, Instant leaseUntil, int limit);

    /**
     * Extends a claim while its sync runs.
     *
     * @return the extended claim, which replaces the one given (its version changed: use the
     *         returned claim for the next heartbeat and for the release), or empty if the claim
     *         was lost (its lease ended and another node took the account, or the account was
     *         unregistered)
     */
    Optional<LeaseClaim> heartbeat(LeaseClaim claim, Instant leaseUntil);

    /**
     * Ends a claim and records the account's next state.
     *
     * @return whether the claim still held; if not, nothing is written
     */
    boolean release(LeaseClaim claim, ScheduleState next);

    /**
     * Makes an account due at {@code now} (for a user who just connected a mailbox), and clears
     * a stop after a failed login. A claim held now is not disturbed (its version stays): the
     * sync that runs already covers the request, and its release sets the next run.
     *
     * @return whether the account has an entry
     */
    boolean dueNow(String accountId, Instant now);

    /**
     * One node's claim on one account: while it holds (until {@code leaseUntil}, extended by
     * heartbeats), no other node syncs the account.
     *
     * @param accountId  the account
     * @param node       the node holding it
     * @param leaseUntil when the claim lapses unless extended
     * @param version    the entry's version when claimed, for compare-and-set updates
     * @param state      the schedule state when claimed
     */
    public record LeaseClaim(String accountId, String node, Instant leaseUntil, long version, ScheduleState state) {
        /** Validates that all parts are present. */
        public LeaseClaim {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(leaseUntil, "leaseUntil");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * What the scheduler remembers about an account between runs, shared by all nodes: when it is
     * due next, how many attempts in a row have failed (for backoff), and, after a failed login,
     * the account revision at which retrying stopped (retries resume once the revision changes).
     *
     * @param nextRunAt        when the account is due
     * @param failures         failed attempts in a row; 0 after a success
     * @param stoppedRevision  the account revision ({@code AccountRepository.AccountSummary.revision()}) at which retries stopped, if they did
     */
    public record ScheduleState(Instant nextRunAt, int failures, OptionalLong stoppedRevision) {
        /** Validates the parts. */
        public ScheduleState {
            Objects.requireNonNull(nextRunAt, "nextRunAt");
            Objects.requireNonNull(stoppedRevision, "stoppedRevision");
            if (failures < 0) {
                throw new IllegalArgumentException("failures is " + failures + ": it counts attempts, so it is 0 or more");
            }
        }

        /** A new account's state: due at {@code firstRun}, no failures. */
        public static ScheduleState firstRunAt(Instant firstRun) {
            return new ScheduleState(firstRun, 0, OptionalLong.empty());
        }
    }
}
