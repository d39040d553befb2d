package dev.imapsync.store;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.sync.FolderCheckpoint;
import dev.imapsync.sync.SyncedMessage;
import java.util.List;
import java.util.Objects;

/**
 * What one batch of a folder's sync writes, all or nothing: the messages, their contacts'
 * activities and the checkpoint that says they are recorded.
 *
 * @param folder     the folder's raw name
 * @param messages   the messages read
 * @param activities one per (message, matched contact, role)
 * @param checkpoint the folder's checkpoint after this batch
 */
public record SyncBatch(String folder, List<SyncedMessage> messages, List<ContactActivity> activities,
                        FolderCheckpoint checkpoint) {
    /** Validates and copies. */
    public SyncBatch {
        Objects.requireNonNull(folder, "folder");
        messages = List.copyOf(messages);
        activities = List.copyOf(activities);
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (!checkpoint.folder().equals(folder)) {
            throw new IllegalArgumentException("The checkpoint is for folder " + checkpoint.folder()
                    + ", the batch for " + folder);
        }
    }
}
