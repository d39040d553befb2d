package dev.imapsync.jdbc;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes a batch's new messages and activities inside the store's transaction and counts what
 * was new. An activity's folder is the one its message was first recorded from: this batch's
 * for a new message.
 */
interface BatchWriter {

    /**
     * @param messages   one per key, sorted by key
     * @param activities one per (key, contact, role), sorted
     * @param uidValidity the batch folder's UIDVALIDITY, recorded with each new message
     */
    CommitResult write(Connection connection, String accountId, List<SyncedMessage> messages,
                       List<ContactActivity> activities, String batchFolder, long uidValidity) throws SQLException;
}
