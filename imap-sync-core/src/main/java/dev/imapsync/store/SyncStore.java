package dev.imapsync.store;

import dev.imapsync.contact.ContactActivity;
import java.util.List;
import java.util.Optional;

/**
 * Where a sync keeps its state and its results: folder checkpoints, messages and contact
 * history. {@link InMemorySyncStore} for tests and demos; the JDBC store for production. Account
 * statuses are kept by a {@link StatusStore}, which both built-in stores also are.
 *
 * <p>Guarantees every implementation keeps (the abstract {@code SyncStoreContract} of the
 * {@code imap-sync-testing} artifact checks them; run it against your own store):
 * <ul>
 *   <li>{@link #commit} is atomic: messages, activities and the checkpoint together, or
 *       nothing. A batch that breaks a rule (a message from another folder than the batch's, a
 *       UID outside 1 to 4294967295, an activity whose message is not in the batch) is
 *       rejected with an {@link IllegalArgumentException} before anything is written.</li>
 *   <li>A message is stored once per (account, message key): the folder and UID it was first
 *       recorded from win. An activity is stored once per (account, message key, contact,
 *       role), and names the folder its message was first recorded from. So repeating a commit
 *       changes nothing and answers {@code CommitResult(0, 0)}, also when commits of
 *       overlapping batches run at the same time.</li>
 *   <li>A checkpoint is kept per (account, folder). A commit whose checkpoint has another
 *       UIDVALIDITY replaces it; within one UIDVALIDITY it never moves backwards: the last UID
 *       is the higher of the two, the HIGHESTMODSEQ that of the later commit, the window the
 *       wider of the two ({@link FolderCheckpoint#merged}).</li>
 *   <li>{@link #reset} forgets an account's checkpoints, so that its next sync starts over as a
 *       first sync; its history stays unless purged, and a message already recorded is not
 *       recorded twice.</li>
 *   <li>A message's preview ({@link SyncedMessage#preview()}) and its folder's UIDVALIDITY (from
 *       the batch's checkpoint) are recorded with it, and shown on timelines.</li>
 *   <li>Threads: a message's {@link SyncedMessage#threadId()} is its thread key ({@code gm:},
 *       {@code tid:} or {@code ref:<root Message-ID>}). Keys a broken References chain split are
 *       joined: a message keyed {@code ref:X} joins the thread of the recorded message keyed
 *       {@code mid:X} when that one has another key, and a message keyed {@code mid:B} takes along
 *       the messages keyed {@code ref:B} (replies recorded before it, which named only it), across
 *       accounts, whichever comes first. Timelines show the joined key.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface SyncStore {

    /** The folder's checkpoint, empty before its first committed batch. */
    Optional<FolderCheckpoint> checkpoint(String accountId, String folder);

    /**
     * Records one batch atomically and returns what was new.
     *
     * @throws IllegalArgumentException if the batch breaks one of the rules above; then nothing
     *                                  was written
     * @throws dev.imapsync.ImapSyncException if it could not be stored; then nothing was
     */
    CommitResult commit(String accountId, SyncBatch batch);

    /**
     * A contact's history across all accounts, newest first, at most {@code limit} entries.
     * Entries with the same date are ordered by message key, so that pages are stable.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    List<ContactActivity> history(String contactId, int limit);

    /**
     * Forgets the account's checkpoints in one step, so that its next sync reads every folder
     * again as a first sync, in the window it is given then. With {@code purgeHistory} its
     * messages and history entries go too; without, they stay, and the next sync adds only what
     * is not recorded yet. A store that is also a {@code PrivacyStore} forgets the account's
     * revisits too: a first sync reads the whole window. The account's own addresses, which tell
     * the company's outbound mail from its inbound mail, stay. Other accounts are untouched; an
     * account with nothing recorded is no error. Do not run it while the account syncs: a batch committed after it would record its
     * checkpoint again.
     *
     * @return what was forgotten
     * @throws dev.imapsync.ImapSyncException if it could not be done; then nothing was
     * @throws UnsupportedOperationException if this store cannot reset accounts (the built-in stores can)
     */
    default ResetResult reset(String accountId, boolean purgeHistory) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot reset account " + accountId
                + ": implement SyncStore.reset to forget its checkpoints");
    }

    /**
     * What {@link #reset} forgot.
     *
     * @param folders    checkpoints forgotten
     * @param messages   messages purged (0 when history was kept)
     * @param activities history entries purged (0 when history was kept)
     */
    public record ResetResult(int folders, long messages, long activities) {
        /** Validates the counts. */
        public ResetResult {
            if (folders < 0 || messages < 0 || activities < 0) {
                throw new IllegalArgumentException("Counts cannot be negative: " + folders + ", " + messages + ", "
                        + activities);
            }
        }
    }

    /**
     * What a commit added; what was already there (the same message from another folder or an
     * earlier, interrupted run) is not counted.
     *
     * @param newMessages   messages recorded for the first time
     * @param newActivities history entries written for the first time
     */
    public record CommitResult(int newMessages, int newActivities) {
        /** Validates the counts. */
        public CommitResult {
            if (newMessages < 0 || newActivities < 0) {
                throw new IllegalArgumentException("Counts cannot be negative: " + newMessages + ", " + newActivities);
            }
        }
    }
}
