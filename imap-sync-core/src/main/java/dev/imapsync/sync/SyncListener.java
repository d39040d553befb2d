package dev.imapsync.sync;

import dev.imapsync.sync.SyncReport.FolderReport;
import java.time.Duration;

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

    /**
     * How far a folder's sync is after one batch.
     *
     * @param done           messages read so far in this folder
     * @param estimatedTotal messages it will probably read in all
     * @param batchMessages  messages in this batch
     * @param fetchTime      time spent fetching and parsing the batch
     * @param commitTime     time spent matching contacts and committing it
     */
    public record BatchProgress(long done, long estimatedTotal, int batchMessages, Duration fetchTime, Duration commitTime) {
    }
}
