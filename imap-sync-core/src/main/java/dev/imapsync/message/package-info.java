/**
 * Message headers: {@link dev.imapsync.message.HeaderParser} reads the header fields imap-sync
 * needs from raw bytes, leniently and within bounds, into {@link dev.imapsync.message.MessageHeaders}.
 */
package dev.imapsync.message;
