package dev.imapsync.benchmarks;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store for measuring the engine alone: it keeps checkpoints and statuses and counts what it
 * is given, but stores no message or activity, so its cost and its memory are next to nothing.
 * Not a {@link SyncStore} to use: history is lost.
 */
final class CheckpointOnlyStore implements SyncStore, StatusStore {
    private final Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
    private final Map<String, AccountStatus> statuses = new HashMap<>();

    @Override
    public synchronized Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
        return Optional.ofNullable(checkpoints.get(accountId + "\u0000" + folder));
    }

    @Override
    public synchronized CommitResult commit(String accountId, SyncBatch batch) {
        checkpoints.put(accountId + "\u0000" + batch.folder(), batch.checkpoint());
        return new CommitResult(batch.messages().size(), batch.activities().size());
    }

    @Override
    public List<ContactActivity> history(String contactId, int limit) {
        return List.of();
    }

    @Override
    public synchronized void saveStatus(AccountStatus status) {
        statuses.put(status.accountId(), status);
    }

    @Override
    public synchronized Optional<AccountStatus> status(String accountId) {
        return Optional.ofNullable(statuses.get(accountId));
    }

    @Override
    public synchronized List<AccountStatus> statuses() {
        return List.copyOf(statuses.values());
    }
}
