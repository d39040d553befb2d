package dev.imapsync.internal.mail;

/**
 * One message of a streamed UID FETCH. The header bytes are only valid during the call that
 * hands this over: parse them there.
 *
 * @param uid            the message's UID
 * @param internalDateMillis INTERNALDATE in epoch milliseconds, or -1 when missing
 * @param size           RFC822.SIZE, or -1 when missing
 * @param headers        buffer holding the header block
 * @param headerOffset   where the block starts in {@code headers}
 * @param headerLength   its length (0 when the server sent none)
 * @param gmailMessageId X-GM-MSGID, or -1
 * @param gmailThreadId  X-GM-THRID, or -1
 * @param objectThreadId the THREADID of RFC 8474 (OBJECTID), or null when the server sent none or NIL
 */
public record FetchedMessage(long uid, long internalDateMillis, long size, byte[] headers, int headerOffset,
                             int headerLength, long gmailMessageId, long gmailThreadId, String objectThreadId) {
}
