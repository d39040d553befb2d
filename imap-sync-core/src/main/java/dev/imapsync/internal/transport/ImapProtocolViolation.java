package dev.imapsync.internal.transport;

import java.io.IOException;

/**
 * The server broke the protocol's framing or went past a limit (a literal or line too large, a
 * literal size that is no size); the connection cannot be used any more.
 */
public final class ImapProtocolViolation extends IOException {
    private static final long serialVersionUID = 1L;

    /** With what the server did, for the person reading the failure. */
    public ImapProtocolViolation(String message) {
        super(message);
    }
}
