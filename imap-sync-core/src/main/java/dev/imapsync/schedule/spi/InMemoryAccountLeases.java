package dev.imapsync.schedule.spi;

import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link AccountLeases} in memory, for one node (or tests): the same compare-and-set rules as
 * the JDBC implementation, kept in a map under one lock.
 */
final class InMemoryAccountLeases implements AccountLeases {
    private final Map<String, Entry> entries = new HashMap<>();

    private record Entry(ScheduleState state, String owner, Instant leaseUntil, long version) {
        boolean heldAt(Instant now) {
            // as in JdbcLeases: a claim is held up to and including its leaseUntil
            return owner != null && !leaseUntil.isBefore(now);
        }
    }

    @Override
    public synchronized void register(Map<String, Instant> firstRuns) {
        Objects.requireNonNull(firstRuns, "firstRuns");
        firstRuns.forEach((id, first) -> entries.putIfAbsent(Objects.requireNonNull(id, "account id"),
                new Entry(ScheduleState.firstRunAt(Objects.requireNonNull(first, "first run")), null, null, 0)));
    }

    @Override
    public synchronized void unregister(Collection<String> accountIds) {
        accountIds.forEach(entries::remove);
    }

    @Override
    public synchronized List<String> accountIds() {
        return entries.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized Optional<ScheduleState> state(String accountId) {
        return Optional.ofNullable(entries.get(accountId)).map(Entry::state);
    }

    @Override
    public synchronized List<LeaseClaim> claimDue(String node, Instant now, Instant leaseUntil, int limit) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        List<Map.Entry<String, Entry>> due = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!e.getValue().state().nextRunAt().isAfter(now) && !e.getValue().heldAt(now)) {
                due.add(e);
            }
        }
        due.sort(Comparator.comparing((Map.Entry<String, Entry> e) -> e.getValue().state().nextRunAt())
                .thenComparing(Map.Entry::getKey));
        List<LeaseClaim> claims = new ArrayList<>();
        for (Map.Entry<String, Entry> e : due.subList(0, Math.min(Math.max(limit, 0), due.size()))) {
            Entry old = e.getValue();
            Entry claimed = new Entry(old.state(), node, leaseUntil, old.version() + 1);
            entries.put(e.getKey(), claimed);
            claims.add(new LeaseClaim(e.getKey(), node, leaseUntil, claimed.version(), old.state()));
        }
        return claims;
    }

    @Override
    public synchronized Optional<LeaseClaim> heartbeat(LeaseClaim claim, Instant leaseUntil) {
        Entry current = entries.get(claim.accountId());
        if (current == null || current.version() != claim.version()) {
            return Optional.empty();
        }
        Entry extended = new Entry(current.state(), claim.node(), leaseUntil, current.version() + 1);
        entries.put(claim.accountId(), extended);
        return Optional.of(new LeaseClaim(claim.accountId(), claim.node(), leaseUntil, extended.version(), claim.state()));
    }

    @Override
    public synchronized boolean release(LeaseClaim claim, ScheduleState next) {
        Objects.requireNonNull(next, "next");
        Entry current = entries.get(claim.accountId());
        if (current == null || current.version() != claim.version()) {
            return false;
        }
        entries.put(claim.accountId(), new Entry(next, null, null, current.version() + 1));
        return true;
    }

    @Override
    public synchronized boolean dueNow(String accountId, Instant now) {
        Entry current = entries.get(accountId);
        if (current == null) {
            return false;
        }
        ScheduleState state = new ScheduleState(now, current.state().failures(), OptionalLong.empty());
        // the version stays: a claim held now is not disturbed, and its release sets the next run
        entries.put(accountId, new Entry(state, current.owner(), current.leaseUntil(), current.version()));
        return true;
    }
}
