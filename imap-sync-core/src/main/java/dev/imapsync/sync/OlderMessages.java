package dev.imapsync.sync;

import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.store.FolderCheckpoint;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a folder's widened window still has to import: the messages up to the checkpoint's last
 * UID, dated on or after the window's start, that are not recorded. The checkpoint says which
 * those are ({@link FolderCheckpoint}): the ones older than its window's start, and, while an
 * earlier widening is unfinished, the ones below its lowest UID. Found with one UID SEARCH, and
 * only when the window was widened or a widening is unfinished, so a sync with nothing to import
 * asks the server nothing more.
 */
final class OlderMessages {
    private final FolderCheckpoint checkpoint;
    private final Instant target;

    private OlderMessages(FolderCheckpoint checkpoint, Instant target) {
        this.checkpoint = checkpoint;
        this.target = target;
    }

    /**
     * The import a checkpoint needs under a window starting at {@code wanted}: empty when there
     * is none (no window known, nothing recorded yet, or the window already reaches that far and
     * is complete). A narrower window imports nothing and forgets nothing: an unfinished widening
     * goes on to its own start.
     */
    static Optional<OlderMessages> plan(FolderCheckpoint checkpoint, Instant wanted) {
        if (checkpoint.windowStart().isEmpty()) {
            return Optional.empty();
        }
        Instant recorded = checkpoint.windowStart().get();
        Instant target = wanted.isBefore(recorded) ? wanted : recorded;
        if (!target.isBefore(recorded) && checkpoint.lowestUid() <= 1) {
            return Optional.empty();
        }
        return Optional.of(new OlderMessages(checkpoint, target));
    }

    /** The window's new start. */
    Instant target() {
        return target;
    }

    /** The UIDs to import, ascending (none when nothing was recorded yet). */
    long[] find(FolderReader reader) throws ConnectionFailure {
        long last = checkpoint.lastUid();
        if (last < 1) {
            return new long[0];
        }
        long below = Math.min(checkpoint.lowestUid(), last + 1);
        String since = FolderReader.searchDate(day(target));
        String before = FolderReader.searchDate(day(checkpoint.windowStart().orElseThrow()));
        String criteria;
        if (target.isBefore(checkpoint.windowStart().get())) {
            criteria = "UID 1:" + last + " SINCE " + since
                    + (below > 1 ? " OR UID 1:" + (below - 1) + " BEFORE " + before : " BEFORE " + before);
        } else {
            criteria = "UID 1:" + (below - 1) + " SINCE " + since;
        }
        return reader.searchUids(criteria);
    }

    /**
     * The checkpoint once the UIDs from {@code lowestDone} up have been imported: the window at
     * its new start, imported down to that UID; 1 (complete) when it was the last of them.
     */
    FolderCheckpoint after(FolderCheckpoint current, long lowestDone, boolean complete) {
        return current.withWindow(target, complete ? 1 : lowestDone);
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
