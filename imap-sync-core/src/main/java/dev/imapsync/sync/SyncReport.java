package dev.imapsync.sync;

import dev.imapsync.Failure;
import dev.imapsync.store.SyncStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one sync of an account did: a status, a report per folder, and the failure that
 * stopped it, if any. Batches committed before a failure stay committed: the next sync goes
 * on from there.
 *
 * @param accountId the account
 * @param status    the outcome in one word
 * @param folders   one report per folder attempted, in order
 * @param failure   what stopped the sync (or, with {@link SyncStatus#PARTIAL}, the first folder failure)
 * @param duration  how long the whole sync took
 * @param selectionWarnings what a person should know about the folders chosen (no Sent folder
 *                  found, a Gmail account without Important), as the folder selection said it
 */
public record SyncReport(String accountId, SyncStatus status, List<FolderReport> folders, Optional<Failure> failure,
                         Duration duration, List<String> selectionWarnings) {
    /** Validates and copies. */
    public SyncReport {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        folders = List.copyOf(folders);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
        selectionWarnings = List.copyOf(selectionWarnings);
    }

    /** Messages read from the server, in all folders. */
    public long fetched() {
        return folders.stream().mapToLong(FolderReport::fetched).sum();
    }

    /** Messages with at least one known contact, in all folders. */
    public long matched() {
        return folders.stream().mapToLong(FolderReport::matched).sum();
    }

    /** History entries written for the first time, in all folders. */
    public long activities() {
        return folders.stream().mapToLong(FolderReport::newActivities).sum();
    }

    /** Messages older than the window, not imported, in all folders (counted when the window was searched). */
    public long leftOut() {
        return folders.stream().mapToLong(FolderReport::leftOut).sum();
    }

    /**
     * Messages kept out by the privacy policies, by rule ({@link dev.imapsync.policy.Verdict#INTERNAL},
     * {@code BLOCKED}, {@code BULK}, {@code ERASED}, or a host rule's name), in all folders; a rule
     * that kept nothing out is absent.
     */
    public java.util.Map<String, Long> excluded() {
        java.util.Map<String, Long> all = new java.util.TreeMap<>();
        for (FolderReport f : folders) {
            f.excluded().forEach((rule, n) -> all.merge(rule, n, Long::sum));
        }
        return java.util.Collections.unmodifiableMap(all);
    }

    /** The selection's warnings, then every folder's warnings, each prefixed with its folder. */
    public List<String> warnings() {
        List<String> all = new ArrayList<>(selectionWarnings);
        for (FolderReport f : folders) {
            for (String w : f.warnings()) {
                all.add(f.folder() + ": " + w);
            }
        }
        return all;
    }

    /**
     * What a sync did in one folder.
     *
     * @param folder        the folder's raw name
     * @param status        OK, FOLDER_MISSING, or what the failure that stopped the folder leads to
     * @param uidValidity   its UIDVALIDITY (0 when it could not be opened)
     * @param fetched       messages read from the server
     * @param matched       of those, messages with at least one known contact
     * @param skipped       messages read but not recorded (older than the initial window)
     * @param leftOut       messages older than the window, so not imported: counted when the sync searched
     *                      the window (a folder's first sync, or the sync that widened it), else 0;
     *                      a later sync with a wider {@link SyncOptions#initialWindow()} imports them
     * @param newActivities history entries written for the first time
     * @param lastUid       the checkpoint after the sync
     * @param upToDate      nothing was new, so nothing was fetched
     * @param duration      how long the folder took
     * @param warnings      things a person should know (e.g. UIDVALIDITY changed)
     * @param failure       why the folder's sync stopped, if it did
     * @param excluded      messages the privacy policies kept out, by rule (read, not recorded, not in
     *                      {@code matched}); a rule that kept nothing out is absent
     */
    public record FolderReport(String folder, SyncStatus status, long uidValidity, long fetched, long matched, long skipped,
                               long leftOut, long newActivities, long lastUid, boolean upToDate, Duration duration,
                               List<String> warnings, Optional<Failure> failure, java.util.Map<String, Long> excluded) {
        /** Validates and copies. */
        public FolderReport {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(duration, "duration");
            warnings = List.copyOf(warnings);
            Objects.requireNonNull(failure, "failure");
            excluded = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(excluded));
        }

        /** A report of a folder where no policy kept anything out. */
        public FolderReport(String folder, SyncStatus status, long uidValidity, long fetched, long matched,
                            long skipped, long leftOut, long newActivities, long lastUid, boolean upToDate,
                            Duration duration, List<String> warnings, Optional<Failure> failure) {
            this(folder, status, uidValidity, fetched, matched, skipped, leftOut, newActivities, lastUid, upToDate,
                    duration, warnings, failure, java.util.Map.of());
        }
    }
}
