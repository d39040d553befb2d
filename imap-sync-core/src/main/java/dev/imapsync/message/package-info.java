/**
 * Messages as imap-sync identifies them: {@link dev.imapsync.message.EmailAddress}, an address
 * with its display name and the normalized form contacts are matched by
 * ({@link dev.imapsync.message.EmailAddress#normalize}), and
 * {@link dev.imapsync.message.MessageKey}, which identifies one message across folders and
 * syncs. Reading headers from the server's bytes is internal ({@code dev.imapsync.internal.message}).
 */
package dev.imapsync.message;
