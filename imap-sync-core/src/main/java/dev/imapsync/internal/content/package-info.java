/**
 * The preview path's own parsing: {@link dev.imapsync.internal.content.PreviewPlanner} reads a
 * message's IMAP BODYSTRUCTURE (bounded, never throwing) and decides which part's first bytes a
 * preview needs and which parts are attachments; {@link dev.imapsync.internal.content.PreviewExtractor}
 * turns those first bytes into a short text without quoted replies and signatures. Nothing here
 * talks to a server. Not supported API: anything here may change in any release without notice.
 */
package dev.imapsync.internal.content;
