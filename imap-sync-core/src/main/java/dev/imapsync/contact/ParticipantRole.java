package dev.imapsync.contact;

/** Where a contact appears in a message's headers. */
public enum ParticipantRole {
    /**
     * In From; or in Sender, when someone sent the message on the From's behalf. A message an
     * assistant sends for their boss ({@code From: boss}, {@code Sender: assistant}) is on the
     * boss's history as FROM, and on the assistant's as FROM too, but only if the assistant is a
     * known contact (the {@link ContactMatcher} knows the Sender's address): an unknown Sender
     * adds nothing, never replaces From, and a contact in both From and Sender gets one entry.
     */
    FROM,
    /** In To. */
    TO,
    /** In Cc. */
    CC,
    /** In Bcc (only visible in sent mail). */
    BCC
}
