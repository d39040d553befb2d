package dev.imapsync.policy;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link PrivacyStore#erase} removed, per account: the proof a person who asked to be
 * erased is owed.
 *
 * @param address  the erased address, normalized
 * @param accounts what was removed from each account's history, by account id (accounts with
 *                 nothing removed are left out)
 */
public record ErasureResult(String address, Map<String, RemovalCounts> accounts) {
    /** Validates and copies (sorted by account id). */
    public ErasureResult {
        Objects.requireNonNull(address, "address");
        accounts = java.util.Collections.unmodifiableMap(new TreeMap<>(accounts));
    }

    /** What was removed in all accounts. */
    public RemovalCounts total() {
        return accounts.values().stream().reduce(RemovalCounts.NONE, RemovalCounts::plus);
    }
}
