package dev.imapsync.examples.web;

import dev.imapsync.folder.MailFolder;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncReport.FolderReport;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the accounts page shows while a sync runs: which folder, how many messages of how many.
 * It hears the engine ({@link SyncListener}) and the scheduler ({@link SchedulerListener}); the
 * starter hands both to them when they are beans. Thread-safe, fast, never throws, as both
 * listeners must be. Only the latest sync of each account is kept, in memory.
 */
public final class SyncProgress implements SyncListener, SchedulerListener {
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, Instant> requested = new ConcurrentHashMap<>();

    /**
     * The progress of an account's sync.
     *
     * @param running  whether a sync runs now
     * @param folder   the folder being read (display name), or empty
     * @param done     messages read so far in that folder
     * @param total    messages it will probably read in that folder
     * @param finished folders finished in this sync
     * @param since    when this sync began
     */
    public record Live(boolean running, String folder, long done, long total, int finished, Instant since) {
    }

    /** Notes that a person asked for a sync of the account now (saved it, or pressed "Sync now"). */
    public void requested(String accountId) {
        requested.put(accountId, Instant.now());
    }

    /** When a person last asked for a sync of the account, or empty. */
    public Optional<Instant> requestedAt(String accountId) {
        return Optional.ofNullable(requested.get(accountId));
    }

    /** Forgets an account (it was removed). */
    public void forget(String accountId) {
        live.remove(accountId);
        requested.remove(accountId);
    }

    /** The account's sync as heard, or empty when none was heard since the application started. */
    public Optional<Live> of(String accountId) {
        return Optional.ofNullable(live.get(accountId));
    }

    @Override
    public void accountStarted(String accountId) {
        live.put(accountId, new Live(true, "", 0, 0, 0, Instant.now()));
    }

    @Override
    public void accountFinished(AccountOutcome outcome, ScheduleState next) {
        live.computeIfPresent(outcome.accountId(), (id, l) -> new Live(false, "", 0, 0, l.finished(), l.since()));
    }

    @Override
    public void folderStarted(String accountId, String folder, long estimatedTotal) {
        live.compute(accountId, (id, l) -> new Live(true, MailFolder.displayNameOf(folder), 0, estimatedTotal,
                l == null ? 0 : l.finished(), l == null ? Instant.now() : l.since()));
    }

    @Override
    public void batchCommitted(String accountId, String folder, BatchProgress progress) {
        live.computeIfPresent(accountId, (id, l) -> new Live(true, MailFolder.displayNameOf(folder), progress.done(),
                progress.estimatedTotal(), l.finished(), l.since()));
    }

    @Override
    public void folderFinished(String accountId, FolderReport report) {
        live.computeIfPresent(accountId, (id, l) -> new Live(l.running(), l.folder(), l.total(), l.total(),
                l.finished() + 1, l.since()));
    }
}
