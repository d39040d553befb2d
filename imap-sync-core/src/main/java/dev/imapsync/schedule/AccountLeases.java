package dev.imapsync.schedule;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared schedule of all accounts, and the leases through which the nodes of a cluster
 * divide them: an account is synced only by the node that holds its claim. One node uses
 * {@link InMemoryAccountLeases}; several share {@code JdbcLeases} (imap-sync-jdbc).
 *
 * <p>Every change is a compare-and-set on the entry's version, so two nodes never both win a
 * claim, and a node whose claim lapsed (it stalled, or died) cannot overwrite the state written
 * by the node that took the account over. Implementations must be thread-safe.
 */
public interface AccountLeases {

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
}
