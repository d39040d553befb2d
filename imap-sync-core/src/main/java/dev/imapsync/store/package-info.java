/**
 * The {@link dev.imapsync.store.SyncStore} SPI: checkpoints, atomic batch commits and contact
 * history; {@link dev.imapsync.store.InMemorySyncStore} for tests and demos.
 */
package dev.imapsync.store;
