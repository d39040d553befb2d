/**
 * Message headers: {@link dev.imapsync.internal.message.HeaderParser} reads the header fields imap-sync
 * needs from raw bytes, leniently and within bounds, into {@link dev.imapsync.internal.message.MessageHeaders}.
 */
package dev.imapsync.message;
