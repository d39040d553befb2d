package dev.imapsync.policy;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link PrivacyStore#block} did.
 *
 * @param entry  the entry, normalized
 * @param added  false when the same entry was there already (the purge ran again all the same)
 * @param purged what was removed from each account's history, by account id
 */
public record BlockResult(BlockEntry entry, boolean added, Map<String, RemovalCounts> purged) {
    /** Validates and copies (sorted by account id). */
    public BlockResult {
        Objects.requireNonNull(entry, "entry");
        purged = Collections.unmodifiableMap(new TreeMap<>(purged));
    }

    /** What was removed in all accounts. */
    public RemovalCounts total() {
        return purged.values().stream().reduce(RemovalCounts.NONE, RemovalCounts::plus);
    }
}
