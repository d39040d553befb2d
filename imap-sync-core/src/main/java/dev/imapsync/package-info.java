/**
 * imap-sync: probe IMAP mailboxes, choose folders, and sync message headers into a contact
 * history. The feature packages below hold the public API; {@code dev.imapsync.internal} and
 * its sub-packages are not supported API.
 */
package dev.imapsync;
