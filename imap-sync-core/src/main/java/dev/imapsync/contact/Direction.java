package dev.imapsync.contact;

/** Whether the account owner sent or received a message. */
public enum Direction {
    /** Received: From is someone else. */
    INBOUND,
    /**
     * Sent: From is the account owner (or one of their aliases), or Sender is (the owner sent it
     * on someone else's behalf), or the message is in a Sent folder.
     */
    OUTBOUND
}
