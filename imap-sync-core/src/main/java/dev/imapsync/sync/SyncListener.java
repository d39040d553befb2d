package dev.imapsync.sync;

/**
 * Hears how a sync progresses, for progress bars and metrics. Every method has an empty
 * default; {@link #NONE} hears nothing. Implementations must be fast and must not throw:
 * they run on the sync's thread between batches (an exception is logged and ignored).
 */
public interface SyncListener {
    /** A listener that does nothing. */
    SyncListener NONE = new SyncListener() {
    };

    /**
     * A folder's sync starts.
     *
     * @param estimatedTotal how many messages it will probably read (0 when up to date)
     */
    default void folderStarted(String accountId, String folder, long estimatedTotal) {
    }

    /** A batch was fetched and committed. */
    default void batchCommitted(String accountId, String folder, BatchProgress progress) {
    }

    /** A folder's sync ended, well or not. */
    default void folderFinished(String accountId, FolderReport report) {
    }
}
