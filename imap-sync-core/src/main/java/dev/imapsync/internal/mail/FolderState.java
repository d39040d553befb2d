package dev.imapsync.internal.mail;

/**
 * What EXAMINE said about a folder.
 *
 * @param uidValidity   UIDVALIDITY (positive)
 * @param uidNext       UIDNEXT, or -1 when the server did not say
 * @param exists        the number of messages
 * @param highestModSeq HIGHESTMODSEQ, or -1 without CONDSTORE
 */
public record FolderState(long uidValidity, long uidNext, int exists, long highestModSeq) {
}
