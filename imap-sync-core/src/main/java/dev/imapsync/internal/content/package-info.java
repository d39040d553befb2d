/**
 * The preview path's own parsing: {@link dev.imapsync.internal.content.PreviewPlanner} reads a
 * message's IMAP BODYSTRUCTURE (bounded, never throwing) and decides which part's first bytes a
 * preview needs and which parts are attachments; {@link dev.imapsync.internal.content.PreviewExtractor}
 * turns those first bytes into a short text without quoted replies and signatures. Nothing here
 * talks to a server.
 *
 * <p>For one message: {@code PreviewPlanner.plan} on the BODYSTRUCTURE value; when the plan has a
 * text part, fetch {@code BODY.PEEK[section]<0.N>} (or {@code BINARY.PEEK} where offered; a server
 * may answer NO [UNKNOWN-CTE] (RFC 3516) to BINARY for a part it cannot decode: fall back to BODY), decide
 * {@code cut} with {@code PreviewExtractor.isCut}, extract, and make the
 * {@link dev.imapsync.message.MessagePreview} with {@code PreviewPlan.toPreview}. Warnings of
 * both are for the log (prefix them with the account, folder and UID); none is an error.
 *
 * <p>Not supported API: anything here may change in any release without notice.
 */
package dev.imapsync.internal.content;
