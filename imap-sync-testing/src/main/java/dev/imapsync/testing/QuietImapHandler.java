package dev.imapsync.testing;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.server.ProtocolHandler;
import java.net.Socket;
import org.slf4j.Logger;

/**
 * GreenMail's IMAP handler for one connection, logging a connection that breaks (a client that
 * rejects the certificate, or a process killed on purpose) as one line instead of letting
 * GreenMail's {@code IllegalStateException} escape as a stack trace.
 */
public final class QuietImapHandler {
    private QuietImapHandler() {
    }

    /** The handler for {@code socket}; a broken connection is logged at debug level on {@code log}. */
    public static ProtocolHandler on(Managers managers, Socket socket, Logger log) {
        ImapHandler imap = new ImapHandler(managers.getUserManager(), managers.getImapHostManager(), socket);
        return new ProtocolHandler() {
            @Override
            public void run() {
                try {
                    imap.run();
                } catch (IllegalStateException e) {
                    log.debug("IMAP connection from {} ended: {}", socket.getRemoteSocketAddress(),
                            e.getCause() != null ? e.getCause() : e);
                }
            }

            @Override
            public void close() {
                imap.close();
            }
        };
    }
}
