package dev.imapsync.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far a folder has been synced: every message with a UID up to {@code lastUid} under this
 * {@code uidValidity} is recorded, except those older than the window the folder was imported
 * with.
 *
 * <p>The window: a folder's first sync imports only the messages dated on or after
 * {@code windowStart} (by INTERNALDATE); {@code lowestUid} is the lowest UID from which that
 * holds. So every message with a UID from {@code lowestUid} to {@code lastUid} dated on or after
 * {@code windowStart} is recorded, and none below {@code lowestUid} is dated on or after it unless
 * it came later than the window was read. Widening the window later imports the older messages
 * and moves both down, batch by batch. A checkpoint without a window (written before windows were
 * recorded, or by a tool) is never widened.
 *
 * @param folder        the folder's raw name
 * @param uidValidity   the folder's UIDVALIDITY when synced; 0 when the server sent 0 or none (RFC 3501
 *                      forbids both; iCloud sends 0), compared for equality like any other value
 * @param lastUid       the highest UID recorded (0 when none yet)
 * @param highestModSeq the folder's HIGHESTMODSEQ when the server offers CONDSTORE
 * @param windowStart   the start of the window imported down to, to the second; empty when not known
 * @param lowestUid     the lowest UID the window was imported down to (from 0, when no window is known, to
 *                      4294967296, when no message was in the window)
 */
public record FolderCheckpoint(String folder, long uidValidity, long lastUid, OptionalLong highestModSeq,
                               Optional<Instant> windowStart, long lowestUid) {
    private static final long MAX_UID = 0xFFFFFFFFL;

    /** Validates the values. */
    public FolderCheckpoint {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(highestModSeq, "highestModSeq");
        Objects.requireNonNull(windowStart, "windowStart");
        if (uidValidity < 0 || uidValidity > MAX_UID) {
            throw new IllegalArgumentException("UIDVALIDITY " + uidValidity + " of folder " + folder
                    + " is out of range (0 to 4294967295)");
        }
        if (lastUid < 0 || lastUid > MAX_UID) {
            throw new IllegalArgumentException("Last UID " + lastUid + " of folder " + folder
                    + " is out of range (0 to 4294967295)");
        }
        if (lowestUid < 0 || lowestUid > MAX_UID + 1) {
            throw new IllegalArgumentException("Lowest UID " + lowestUid + " of folder " + folder
                    + " is out of range (0 to 4294967296)");
        }
        if (windowStart.isEmpty() && lowestUid != 0) {
            throw new IllegalArgumentException("Folder " + folder + ": a lowest UID (" + lowestUid
                    + ") needs the window's start it was imported with");
        }
        windowStart = windowStart.map(start -> Instant.ofEpochSecond(start.getEpochSecond()));
    }

    /** A checkpoint that knows no window: the messages up to {@code lastUid} are taken as recorded. */
    public FolderCheckpoint(String folder, long uidValidity, long lastUid, OptionalLong highestModSeq) {
        this(folder, uidValidity, lastUid, highestModSeq, Optional.empty(), 0);
    }

    /** The same folder synced further, its window unchanged. */
    public FolderCheckpoint advancedTo(long uid, OptionalLong modSeq) {
        return new FolderCheckpoint(folder, uidValidity, Math.max(lastUid, uid), modSeq, windowStart, lowestUid);
    }

    /** The same folder with its window imported down to {@code start} from {@code uid} up. */
    public FolderCheckpoint withWindow(Instant start, long uid) {
        return new FolderCheckpoint(folder, uidValidity, lastUid, highestModSeq, Optional.of(start), uid);
    }

    /**
     * What a store keeps when {@code committed} is committed over this checkpoint: with another
     * UIDVALIDITY, {@code committed}; otherwise the higher last UID, the HIGHESTMODSEQ of the
     * later commit, and the wider window: the earlier start, or of the same start the lower UID
     * (a known window is wider than none).
     */
    public FolderCheckpoint merged(FolderCheckpoint committed) {
        Objects.requireNonNull(committed, "committed");
        if (uidValidity != committed.uidValidity()) {
            return committed;
        }
        FolderCheckpoint advanced = advancedTo(committed.lastUid(), committed.highestModSeq());
        return committed.isWiderThan(this)
                ? advanced.withWindow(committed.windowStart().orElseThrow(), committed.lowestUid()) : advanced;
    }

    private boolean isWiderThan(FolderCheckpoint other) {
        if (windowStart.isEmpty()) {
            return false;
        }
        if (other.windowStart().isEmpty()) {
            return true;
        }
        int byStart = windowStart.get().compareTo(other.windowStart().get());
        return byStart < 0 || (byStart == 0 && lowestUid < other.lowestUid());
    }
}
