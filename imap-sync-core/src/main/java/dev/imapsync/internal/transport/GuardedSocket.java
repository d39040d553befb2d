package dev.imapsync.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A plain TCP socket whose input is read through a {@link FramingGuard}. On a connection that
 * will switch to TLS with STARTTLS, the guard hands over one line at a time until then, so that
 * when TLS is layered over this socket ({@link #handOverToTls()}) any byte the server sent after
 * its answer to STARTTLS is still in the socket, where it is detected and refused: bytes from
 * before the handshake must never be read as if they had come over TLS, nor silently dropped.
 */
final class GuardedSocket extends Socket {
    static final String INJECTION = "the server sent data after accepting STARTTLS and before the TLS handshake"
            + " (a known injection attack); refused";

    private final boolean startTls;
    private FramingGuard guard;
    private boolean handedOver;

    GuardedSocket(boolean startTls) {
        this.startTls = startTls;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (handedOver) {
            return super.getInputStream(); // the TLS layer reads ciphertext; its own stream is guarded
        }
        if (guard == null) {
            guard = new FramingGuard(super.getInputStream(), this);
            guard.lineByLine(startTls);
        }
        return guard;
    }

    /**
     * The guarded socket under {@code socket}, which may be one, or a wrapper that reads it
     * (Angus wraps sockets in its WriteTimeoutSocket when a write timeout is set); null if none.
     */
    static GuardedSocket under(Socket socket) throws IOException {
        if (socket instanceof GuardedSocket) {
            return (GuardedSocket) socket;
        }
        InputStream in = socket.getInputStream();
        return in instanceof FramingGuard ? ((FramingGuard) in).owner() : null;
    }

    /**
     * Called just before TLS is layered over this socket: from here on the TLS layer reads it
     * raw.
     *
     * @throws ImapLineReader.ProtocolViolation if the server already sent bytes past its answer to STARTTLS
     */
    synchronized void handOverToTls() throws IOException {
        if (!handedOver && super.getInputStream().available() > 0) {
            throw new ImapLineReader.ProtocolViolation(INJECTION);
        }
        handedOver = true;
    }
}
