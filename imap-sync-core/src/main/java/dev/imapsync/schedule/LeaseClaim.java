package dev.imapsync.schedule;

import java.time.Instant;
import java.util.Objects;

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
