package dev.imapsync.sync;

import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.Retention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The rules side of a privacy store for the engine's tests: block entries, erased hashes, company
 * addresses and revisits, held in memory; it purges nothing (the stores' own tests check purges).
 */
class TestPrivacyStore implements PrivacyStore {
    final List<BlockEntry> blocked = new CopyOnWriteArrayList<>();
    final Set<String> erased = new HashSet<>();
    final Set<String> company = new HashSet<>();
    final List<BlockEntry> revisits = new CopyOnWriteArrayList<>();
    final List<List<BlockEntry>> revisited = new CopyOnWriteArrayList<>();
    int rulesRead;

    @Override
    public synchronized PrivacyRules rules(String accountId) {
        rulesRead++;
        return new PrivacyRules(blocked.stream().filter(e -> e.appliesTo(accountId)).toList(), erased, company);
    }

    @Override
    public BlockResult block(BlockEntry entry) {
        boolean added = !blocked.contains(entry) && blocked.add(entry);
        return new BlockResult(entry, added, Map.of());
    }

    @Override
    public boolean unblock(BlockEntry entry) {
        boolean removed = blocked.remove(entry);
        if (removed) {
            revisits.add(entry);
        }
        return removed;
    }

    @Override
    public List<BlockEntry> blockEntries() {
        return List.copyOf(blocked);
    }

    @Override
    public List<BlockEntry> revisits(String accountId) {
        return revisits.stream().filter(e -> e.appliesTo(accountId)).toList();
    }

    @Override
    public void revisited(String accountId, List<BlockEntry> entries) {
        revisited.add(List.copyOf(entries));
        revisits.removeAll(new ArrayList<>(entries));
    }

    @Override
    public synchronized ErasureResult erase(String address) {
        erased.add(PrivacyRules.addressHash(dev.imapsync.message.EmailAddress.normalize(address)));
        return new ErasureResult(address, Map.of());
    }

    @Override
    public Retention.Result applyRetention(Retention retention, Instant now) {
        return new Retention.Result(0, 0, 0);
    }
}
