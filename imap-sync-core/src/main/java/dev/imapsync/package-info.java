/**
 * imap-sync: probe IMAP mailboxes, choose folders, and sync message headers into a contact
 * history. This package holds the failure vocabulary every layer uses:
 * {@link dev.imapsync.ImapSyncException}, the root of every exception imap-sync throws, and the
 * classified {@link dev.imapsync.Failure} with its {@link dev.imapsync.FailureKind}.
 *
 * <p>The feature packages hold the rest of the public API, each using only those before it:
 * {@code account} and {@code message}, {@code folder} and {@code contact}, {@code connect},
 * {@code store}, {@code sync}, {@code schedule} (with its SPI, {@code schedule.spi}).
 * {@code dev.imapsync.internal} and its sub-packages are not exported and not supported API.
 */
package dev.imapsync;
