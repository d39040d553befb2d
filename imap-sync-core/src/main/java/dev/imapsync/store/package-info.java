/**
 * The storage SPIs. {@link dev.imapsync.store.SyncStore} keeps what a sync reads and writes:
 * each folder's {@link dev.imapsync.store.FolderCheckpoint}, and each
 * {@link dev.imapsync.store.SyncBatch} (its {@link dev.imapsync.store.SyncedMessage}s, their
 * contact activities and the new checkpoint) committed all or nothing; then contact history.
 * {@link dev.imapsync.store.StatusStore} keeps each account's
 * {@link dev.imapsync.store.AccountStatus} with its {@link dev.imapsync.store.SyncStatus}, what a
 * status page shows. {@link dev.imapsync.store.InMemorySyncStore} implements both for tests and
 * demos; imap-sync-jdbc's {@code JdbcSyncStore} implements both in a database.
 */
package dev.imapsync.store;
