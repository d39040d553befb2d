/**
 * Incremental, read-only header sync: {@link dev.imapsync.sync.SyncEngine}, its
 * {@link dev.imapsync.sync.SyncOptions}, the {@link dev.imapsync.sync.SyncReport} of each sync
 * (with a {@link dev.imapsync.sync.SyncReport.FolderReport} per folder) and the
 * {@link dev.imapsync.sync.SyncListener} that hears its progress. Checkpoints, statuses and the
 * storage SPI are in {@link dev.imapsync.store}; message keys in {@link dev.imapsync.message}.
 */
package dev.imapsync.sync;
