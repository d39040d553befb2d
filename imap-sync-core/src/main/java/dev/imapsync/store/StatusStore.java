package dev.imapsync.store;

import java.util.List;
import java.util.Optional;

/**
 * Where each account's {@link AccountStatus} is kept: what a status page shows (Last Synced,
 * Last Synced Status, what to do). Kept apart from {@link SyncStore}, which holds what a sync
 * reads and writes; the built-in stores implement both, so one object usually serves as each.
 *
 * <p>Implementations are thread-safe.
 */
public interface StatusStore {

    /**
     * Records the outcome of an account's latest sync attempt, replacing the previous one.
     *
     * @throws dev.imapsync.ImapSyncException if it could not be stored
     */
    void saveStatus(AccountStatus status);

    /** The account's latest status, empty before its first attempt. */
    Optional<AccountStatus> status(String accountId);

    /** Every account's latest status, ordered by account id: one call for a status page. */
    List<AccountStatus> statuses();
}
