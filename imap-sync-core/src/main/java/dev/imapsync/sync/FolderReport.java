package dev.imapsync.sync;

import dev.imapsync.connect.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sync did in one folder.
 *
 * @param folder        the folder's raw name
 * @param status        OK, FOLDER_MISSING, or what the failure that stopped the folder leads to
 * @param uidValidity   its UIDVALIDITY (0 when it could not be opened)
 * @param fetched       messages read from the server
 * @param matched       of those, messages with at least one known contact
 * @param skipped       messages read but not recorded (older than the initial window)
 * @param newActivities history entries written for the first time
 * @param lastUid       the checkpoint after the sync
 * @param upToDate      nothing was new, so nothing was fetched
 * @param duration      how long the folder took
 * @param warnings      things a person should know (e.g. UIDVALIDITY changed)
 * @param failure       why the folder's sync stopped, if it did
 */
public record FolderReport(String folder, SyncStatus status, long uidValidity, long fetched, long matched, long skipped,
                           long newActivities, long lastUid, boolean upToDate, Duration duration,
                           List<String> warnings, Optional<Failure> failure) {
    /** Validates and copies. */
    public FolderReport {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(duration, "duration");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(failure, "failure");
    }
}
