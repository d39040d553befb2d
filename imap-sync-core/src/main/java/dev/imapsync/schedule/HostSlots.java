package dev.imapsync.schedule;

import dev.imapsync.schedule.AccountRepository.AccountSummary;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The per-host cap: how many syncs this node runs against each IMAP host (host names compared
 * without case). Not thread-safe: {@link RunningSyncs} guards it with its lock.
 */
final class HostSlots {
    private final int limit;
    private final Map<String, Integer> load = new HashMap<>();

    HostSlots(int limit) {
        this.limit = limit;
    }

    /** The key an account's host is counted under. */
    static String hostOf(AccountSummary summary) {
        return summary.endpoint().host().toLowerCase(Locale.ROOT);
    }

    int limit() {
        return limit;
    }

    /** Takes a slot of the host, unless it is at its cap. */
    boolean tryTake(String host) {
        int now = load.getOrDefault(host, 0);
        if (now >= limit) {
            return false;
        }
        load.put(host, now + 1);
        return true;
    }

    /** Gives a slot taken by {@link #tryTake} back. */
    void give(String host) {
        load.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
    }
}
