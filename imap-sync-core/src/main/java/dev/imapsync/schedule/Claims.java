package dev.imapsync.schedule;

import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the {@link AccountLeases} where a failure must not stop the scheduler:
 * claiming due accounts and giving claims back, each failure logged (a claim not given back
 * lapses by itself after the lease).
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
