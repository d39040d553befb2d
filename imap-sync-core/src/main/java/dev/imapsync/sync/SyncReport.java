package dev.imapsync.sync;

import dev.imapsync.connect.Failure;
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
 */
public record SyncReport(String accountId, SyncStatus status, List<FolderReport> folders, Optional<Failure> failure,
                         Duration duration) {
    /** Validates and copies. */
    public SyncReport {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        folders = List.copyOf(folders);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
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

    /** Every folder's warnings, each prefixed with its folder. */
    public List<String> warnings() {
        List<String> all = new ArrayList<>();
        for (FolderReport f : folders) {
            for (String w : f.warnings()) {
                all.add(f.folder() + ": " + w);
            }
        }
        return all;
    }
}
