package dev.imapsync;

/**
 * The root of every exception imap-sync throws. Unchecked; the cause, when there is one, is
 * always chained, and the message says what happened and what to do next.
 */
public class ImapSyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what happened and what to do. */
    public ImapSyncException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying cause. */
    public ImapSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
