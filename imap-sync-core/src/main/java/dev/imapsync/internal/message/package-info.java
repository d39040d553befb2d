/**
 * Reading message headers: {@link dev.imapsync.internal.message.HeaderParser} reads the header
 * fields a sync needs (addresses, subject, date, Message-ID, References) from the raw bytes the
 * server sent, leniently and within bounds, into
 * {@link dev.imapsync.internal.message.MessageHeaders}, never through Jakarta Mail's parsers.
 * Not supported API: anything here may change in any release without notice.
 */
package dev.imapsync.internal.message;
