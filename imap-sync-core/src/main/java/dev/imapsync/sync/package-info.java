/**
 * Incremental, read-only header sync: {@code SyncEngine} and its options, checkpoints, message
 * keys, reports and listener.
 */
package dev.imapsync.sync;
