package dev.imapsync.internal.mail;

import dev.imapsync.internal.transport.SocketDeadline;
import java.io.IOException;
import java.net.Socket;
import java.util.Properties;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus's IMAP protocol with responses read by an {@link ImapResponseReader} straight from
 * the connection's socket. Angus reads its greeting itself; at the first read after it where
 * nothing is pending, and again after STARTTLS (which gives Angus new streams over the TLS
 * socket), the reader takes over, so no byte is read twice or skipped. The socket is found
 * among those the connection's {@link SocketDeadline} made, by its local address.
 */
final class BoundedImapProtocol extends IMAPProtocol {
    private final SocketDeadline sockets;
    // set while Angus's constructor reads the greeting, before this class's fields are assigned,
    // so they must not have initializers
    private volatile ResponseInputStream replaced;
    private volatile ImapResponseReader reader;

    BoundedImapProtocol(String name, String host, int port, Properties props, boolean ssl, MailLogger logger,
                        SocketDeadline sockets) throws IOException, ProtocolException {
        super(name, host, port, props, ssl, logger);
        this.sockets = sockets;
    }

    @Override
    protected ResponseInputStream getInputStream() {
        ResponseInputStream angus = super.getInputStream();
        if (angus != replaced && sockets != null) {
            takeOver(angus);
        }
        ImapResponseReader current = reader;
        return current != null && angus == replaced ? current : angus;
    }

    /** Replaces Angus's reader by one on the socket, if nothing is pending in Angus's buffer. */
    private void takeOver(ResponseInputStream angus) {
        try {
            if (angus.available() > 0) {
                return; // bytes may sit in Angus's buffer: let it read them, try again at the next response
            }
            Socket socket = sockets.socketAt(getLocalSocketAddress());
            if (socket == null) {
                return;
            }
            reader = new ImapResponseReader(socket.getInputStream());
            replaced = angus;
        } catch (IOException e) {
            // the socket is failing: Angus's reader will report it at the next read
        }
    }

    @Override
    public boolean hasResponse() {
        ImapResponseReader current = reader;
        if (current == null || super.getInputStream() != replaced) {
            return super.hasResponse();
        }
        try {
            return current.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
