package dev.imapsync.internal.mail;

import dev.imapsync.internal.transport.SocketDeadline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
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
    private volatile boolean bearerAuthenticated;
    private volatile String bearerError;
    private volatile boolean closeUnanswered;

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

    /**
     * Whether the connection is logged in, also by {@link #authenticateBearer} (Angus's own flag
     * is private and set only by its own AUTHENTICATE methods; Angus skips its login when this
     * says true).
     */
    @Override
    public boolean isAuthenticated() {
        return super.isAuthenticated() || bearerAuthenticated;
    }

    /**
     * Takes CONDSTORE as enabled without an {@code ENABLE CONDSTORE} round trip when the server
     * offers it: Angus sends ENABLE before every {@code EXAMINE name (CONDSTORE)}, and that
     * EXAMINE enables CONDSTORE by itself (RFC 7162 §3.1: a SELECT or EXAMINE with the CONDSTORE
     * parameter is a CONDSTORE enabling command). Over a link 60 ms away that is 60 ms per sync.
     * Anything else (QRESYNC, UTF8=ACCEPT) is enabled as Angus does.
     */
    @Override
    public void enable(String cap) throws ProtocolException {
        if ("CONDSTORE".equalsIgnoreCase(cap) && hasCapability("CONDSTORE")) {
            if (enabled == null) {
                enabled = new java.util.HashSet<>();
            }
            enabled.add("CONDSTORE");
            return;
        }
        super.enable(cap);
    }

    /**
     * Sends LOGOUT and closes the connection without waiting for the server's BYE and OK: the
     * client has nothing left to learn from them (RFC 9051 §6.1.3 asks the server to answer and
     * close, nothing of the client), and waiting cost a round trip at the end of every sync,
     * probe and {@code show}.
     */
    @Override
    public void logout() throws ProtocolException {
        try {
            writeCommand("LOGOUT", null);
        } catch (IOException | ProtocolException | RuntimeException e) {
            // closing anyway
        } finally {
            disconnect();
        }
    }

    /**
     * Makes the next {@link #close()} write CLOSE without waiting for its answer: for a folder
     * opened read-only that is closed just before LOGOUT (see {@link MessageFolder#closeBeforeLogout()}).
     */
    void closeWithoutAnswerNext() {
        closeUnanswered = true;
    }

    /**
     * CLOSE, waited for as Angus does; or, once after {@link #closeWithoutAnswerNext()}, only
     * written: LOGOUT follows and the connection is closed without reading either answer.
     */
    @Override
    public void close() throws ProtocolException {
        if (!closeUnanswered) {
            super.close();
            return;
        }
        closeUnanswered = false;
        try {
            writeCommand("CLOSE", null);
        } catch (IOException e) {
            throw new ProtocolException("I/O failure while closing the folder", e);
        }
    }

    /** Closes the connection; it is no longer logged in. */
    @Override
    public void disconnect() {
        bearerAuthenticated = false;
        super.disconnect();
    }

    /**
     * AUTHENTICATE with a bearer token (XOAUTH2 or OAUTHBEARER), following Angus's own
     * AUTHENTICATE methods: the initial response in the command where SASL-IR is offered (RFC
     * 4959), else after the server's first, empty challenge; a challenge after the initial
     * response is the server's error report, answered with {@code errorAnswer} so that the
     * server ends with its tagged NO. Protocol tracing is suspended while the token travels.
     *
     * <p>The error challenge's status (e.g. {@code invalid_token}) is kept for {@link #bearerError()}.
     *
     * @throws ProtocolException the server's NO (a {@code CommandFailedException}), BAD or BYE
     */
    void authenticateBearer(BearerLogin mechanism, byte[] initialResponse) throws ProtocolException {
        List<Response> untagged = new ArrayList<>();
        String tag = null;
        Response r = null;
        boolean done = false;
        boolean initialSent = false;
        boolean tracing = isTracing();
        if (tracing) {
            suspendTracing();
        }
        try {
            try {
                Argument args = new Argument();
                args.writeAtom(mechanism.name());
                if (hasCapability("SASL-IR")) {
                    args.writeAtom(Base64.getEncoder().encodeToString(initialResponse));
                    initialSent = true;
                }
                tag = writeCommand("AUTHENTICATE", args);
            } catch (IOException | ProtocolException e) {
                r = Response.byeResponse(e);
                done = true;
            }
            OutputStream out = getOutputStream();
            while (!done) {
                try {
                    r = readResponse();
                    if (r.isContinuation()) {
                        byte[] answer;
                        if (initialSent) {
                            bearerError = bearerError == null ? BearerLogin.errorStatus(r.getRest()) : bearerError;
                            answer = mechanism.errorAnswer();
                        } else {
                            answer = initialResponse;
                            initialSent = true;
                        }
                        out.write(Base64.getEncoder().encode(answer));
                        out.write('\r');
                        out.write('\n');
                        out.flush();
                    } else if (r.isTagged() && r.getTag().equals(tag)) {
                        done = true;
                    } else if (r.isBYE()) {
                        done = true;
                    } else {
                        untagged.add(r);
                    }
                } catch (IOException | ProtocolException e) {
                    r = Response.byeResponse(e);
                    done = true;
                }
            }
        } finally {
            if (tracing) {
                resumeTracing();
            }
        }
        Response[] responses = untagged.toArray(new Response[0]);
        handleCapabilityResponse(responses);
        notifyResponseHandlers(responses);
        handleLoginResult(r);
        setCapabilities(r);
        bearerAuthenticated = true;
    }

    /** The status of the server's error challenge during {@link #authenticateBearer}, or null. */
    String bearerError() {
        return bearerError;
    }
}
