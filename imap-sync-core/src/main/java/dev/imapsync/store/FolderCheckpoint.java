package dev.imapsync.store;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far a folder has been synced: every message with a UID up to {@code lastUid} under this
 * {@code uidValidity} is recorded.
 *
 * @param folder        the folder's raw name
 * @param uidValidity   the folder's UIDVALIDITY when synced; 0 when the server sent 0 or none (RFC 3501
 *                      forbids both; iCloud sends 0), compared for equality like any other value
 * @param lastUid       the highest UID recorded (0 when none yet)
 * @param highestModSeq the folder's HIGHESTMODSEQ when the server offers CONDSTORE
 */
public record FolderCheckpoint(String folder, long uidValidity, long lastUid, OptionalLong highestModSeq) {
    /** Validates the values. */
    public FolderCheckpoint {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(highestModSeq, "highestModSeq");
        if (uidValidity < 0 || uidValidity > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("UIDVALIDITY " + uidValidity + " of folder " + folder
                    + " is out of range (0 to 4294967295)");
        }
        if (lastUid < 0 || lastUid > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("Last UID " + lastUid + " of folder " + folder
                    + " is out of range (0 to 4294967295)");
        }
    }

    /** The same folder synced further. */
    public FolderCheckpoint advancedTo(long uid, OptionalLong modSeq) {
        return new FolderCheckpoint(folder, uidValidity, Math.max(lastUid, uid), modSeq);
    }
}
