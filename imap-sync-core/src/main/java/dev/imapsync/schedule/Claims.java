package dev.imapsync.schedule;

import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the {@link AccountLeases}: claiming due accounts, extending and releasing
 * the claim of a run, making an account due again, and giving claims back. {@link #claimDue} and
 * {@link #releaseQuietly} log a failure rather than throw, so that it does not stop the
 * scheduler (a claim not given back lapses by itself after the lease); the others throw what the
 * leases throw, for the sync's runner to handle.
 */
final class Claims {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final AccountLeases leases;
    private final String nodeId;
    private final Duration leaseDuration;

    Claims(AccountLeases leases, String nodeId, Duration leaseDuration) {
        this.leases = leases;
        this.nodeId = nodeId;
        this.leaseDuration = leaseDuration;
    }

    Duration leaseDuration() {
        return leaseDuration;
    }

    /**
     * Extends the claim of a run by a lease from {@code now}.
     *
     * @return empty if the run had nothing to extend; else whether its claim still held
     */
    Optional<Boolean> extend(SyncRun run, Instant now) {
        return run.extend(leases, now.plus(leaseDuration));
    }

    /** Releases the claim of a run with the account's next state; false if the claim was lost. */
    boolean release(SyncRun run, ScheduleState next) {
        return run.release(leases, next);
    }

    /** Makes an account due at {@code now}; false if the leases do not know it. */
    boolean dueNow(String accountId, Instant now) {
        return leases.dueNow(accountId, now);
    }

    /** Claims up to {@code limit} due accounts for a lease from {@code now}; none if the leases fail. */
    List<LeaseClaim> claimDue(Instant now, int limit) {
        try {
            return leases.claimDue(nodeId, now, now.plus(leaseDuration), limit);
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: claiming due accounts failed, trying again later: {}", nodeId, e.toString(), e);
            return List.of();
        }
    }

    /** Gives a claim back with the account's next state; a claim already gone is fine. */
    void releaseQuietly(LeaseClaim claim, ScheduleState next) {
        try {
            if (!leases.release(claim, next)) {
                LOG.debug("scheduler {}: account {}: the claim was gone at release", nodeId, claim.accountId());
            }
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: releasing its claim failed, it lapses in {}: {}", nodeId,
                    claim.accountId(), leaseDuration, e.toString());
        }
    }
}
