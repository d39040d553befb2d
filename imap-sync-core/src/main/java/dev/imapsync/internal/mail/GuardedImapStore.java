package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Security;
import dev.imapsync.internal.transport.SocketDeadline;
import jakarta.mail.Session;
import java.io.IOException;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * Angus's IMAP store with guards that hold even against a server (or a man in the middle)
 * that behaves differently from what the probe saw: credentials are only ever sent over an
 * encrypted connection unless the endpoint is explicitly cleartext, PREAUTH before TLS is
 * refused, and an OAuth2 token is only sent with AUTHENTICATE XOAUTH2 (Angus would otherwise
 * fall back to LOGIN). Responses are read by an {@link ImapResponseReader}, within limits.
 */
final class GuardedImapStore extends IMAPStore {
    private final Security security;
    private final boolean oauth2;
    private final SocketDeadline sockets;
    private volatile boolean credentialsAboutToBeSent;

    GuardedImapStore(Session session, Endpoint endpoint, boolean oauth2, SocketDeadline sockets) {
        super(session, null, MailSessions.protocol(endpoint), endpoint.security() == Security.SSL_TLS);
        this.security = endpoint.security();
        this.oauth2 = oauth2;
        this.sockets = sockets;
    }

    /** Whether the login got as far as sending credentials (so a rejection is about them). */
    boolean credentialsAboutToBeSent() {
        return credentialsAboutToBeSent;
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        IMAPProtocol protocol = new BoundedImapProtocol(name, host, port, session.getProperties(), isSSL, logger,
                sockets);
        if (security.isEncrypted() && !protocol.isSSL() && protocol.isAuthenticated()) {
            protocol.disconnect();
            throw new GuardViolation(FailureKind.STARTTLS_UNAVAILABLE, "the server greeted with PREAUTH before TLS,"
                    + " which makes STARTTLS impossible (a known downgrade attack); refused");
        }
        if (security == Security.STARTTLS && !protocol.isSSL()) {
            startTls(protocol);
        }
        return protocol;
    }

    /**
     * STARTTLS done here rather than by Angus, so that every way a server can refuse it (not
     * announced, NO, BAD) is classified alike; Angus then finds the connection encrypted and
     * goes straight to the login. A certificate failure during the handshake keeps its cause.
     */
    private static void startTls(IMAPProtocol protocol) throws ProtocolException {
        if (!protocol.hasCapability("STARTTLS")) {
            protocol.disconnect();
            throw new GuardViolation(FailureKind.STARTTLS_UNAVAILABLE, "the server does not offer STARTTLS");
        }
        try {
            protocol.startTLS();
        } catch (CommandFailedException | BadCommandException e) {
            protocol.disconnect();
            throw new GuardViolation(FailureKind.STARTTLS_UNAVAILABLE, "the server answered STARTTLS with: "
                    + e.getMessage());
        }
        protocol.capability(); // capabilities from before TLS must not be trusted
    }

    @Override
    protected void preLogin(IMAPProtocol protocol) throws ProtocolException {
        if (security.isEncrypted() && !protocol.isSSL()) {
            throw new GuardViolation(FailureKind.STARTTLS_UNAVAILABLE,
                    "the connection is not encrypted, so no credentials were sent");
        }
        if (oauth2 && !protocol.hasCapability("AUTH=XOAUTH2")) {
            throw new GuardViolation(FailureKind.AUTH_FAILED,
                    "the server does not offer AUTHENTICATE XOAUTH2, so the OAuth2 token was not sent");
        }
        credentialsAboutToBeSent = true;
    }

    /** A guard refused to go on; carries the classification. */
    static final class GuardViolation extends ProtocolException {
        private static final long serialVersionUID = 1L;
        private final transient FailureKind kind;

        GuardViolation(FailureKind kind, String message) {
            super(message);
            this.kind = kind;
        }

        FailureKind kind() {
            return kind;
        }
    }
}
