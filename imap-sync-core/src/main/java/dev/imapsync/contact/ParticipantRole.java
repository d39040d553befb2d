package dev.imapsync.contact;

/** Where a contact appears in a message's headers. */
public enum ParticipantRole {
    /** In From (or Sender). */
    FROM,
    /** In To. */
    TO,
    /** In Cc. */
    CC,
    /** In Bcc (only visible in sent mail). */
    BCC
}
