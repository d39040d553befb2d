package dev.imapsync.store;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.message.MessageKey;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one batch of a folder's sync writes, all or nothing: the messages, their contacts'
 * activities and the checkpoint that says they are recorded. A batch is consistent by
 * construction: its messages come from its folder with valid UIDs, and each activity's message
 * is in it.
 *
 * @param folder     the folder's raw name
 * @param messages   the messages read
 * @param activities one per (message, matched contact, role)
 * @param checkpoint the folder's checkpoint after this batch
 * @param ownAddresses the account's own addresses (address and aliases), normalized
 *                   ({@link dev.imapsync.message.EmailAddress#normalize}): a store keeps them to tell
 *                   the company's outbound mail from its inbound mail across accounts
 */
public record SyncBatch(String folder, List<SyncedMessage> messages, List<ContactActivity> activities,
                        FolderCheckpoint checkpoint, Set<String> ownAddresses) {
    /** Validates and copies. */
    public SyncBatch {
        Objects.requireNonNull(folder, "folder");
        messages = List.copyOf(messages);
        activities = List.copyOf(activities);
        Objects.requireNonNull(checkpoint, "checkpoint");
        ownAddresses = Set.copyOf(ownAddresses);
        if (!checkpoint.folder().equals(folder)) {
            throw new IllegalArgumentException("The checkpoint is for folder " + checkpoint.folder()
                    + ", the batch for " + folder);
        }
        requireConsistent(folder, messages, activities);
    }

    /** A batch that says nothing of the account's own addresses (tests, tools). */
    public SyncBatch(String folder, List<SyncedMessage> messages, List<ContactActivity> activities,
                     FolderCheckpoint checkpoint) {
        this(folder, messages, activities, checkpoint, Set.of());
    }

    private static final long MAX_UID = 0xFFFFFFFFL;

    /** Every message from this folder with a valid UID; every activity's message in the batch. */
    private static void requireConsistent(String folder, List<SyncedMessage> messages,
                                          List<ContactActivity> activities) {
        Set<MessageKey> keys = new HashSet<>();
        for (SyncedMessage message : messages) {
            if (!message.folder().equals(folder)) {
                throw new IllegalArgumentException("Message " + message.key() + " (UID " + message.uid()
                        + ") was read from folder " + message.folder() + ", but the batch is for folder "
                        + folder + ": commit each folder's messages in a batch of its own");
            }
            if (message.uid() < 1 || message.uid() > MAX_UID) {
                throw new IllegalArgumentException("Message " + message.key() + " in folder " + message.folder()
                        + " has UID " + message.uid() + ", out of range (1 to 4294967295)");
            }
            keys.add(message.key());
        }
        for (ContactActivity activity : activities) {
            if (!keys.contains(activity.messageKey())) {
                throw new IllegalArgumentException("The " + activity.role() + " activity of contact "
                        + activity.contact().id() + " is for message " + activity.messageKey()
                        + ", which is not in the batch: commit each activity with its message");
            }
        }
    }
}
