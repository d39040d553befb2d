package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.internal.transport.SocketDeadline;
import jakarta.mail.Session;
import java.io.IOException;
import java.util.Properties;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * Angus's IMAP store with guards that hold even against a server (or a man in the middle)
 * that behaves differently from what the probe saw: credentials are only ever sent over an
 * encrypted connection unless the endpoint is explicitly cleartext, PREAUTH before TLS is
 * refused, and an OAuth2 token is only sent with AUTHENTICATE XOAUTH2 or OAUTHBEARER, done here
 * (Angus knows no OAUTHBEARER and would fall back to LOGIN). The token is asked of the account's
 * supplier only once the server has shown, over the encrypted connection, that it takes one of
 * the two; each login asks again, so every new connection gets a current token. Responses are
 * read by an {@link ImapResponseReader}, within limits.
 */
final class GuardedImapStore extends IMAPStore {
    private final Endpoint endpoint;
    private final Security security;
    private final Credentials credentials;
    private final BearerLogin preferredBearer;
    private final SocketDeadline sockets;
    private final Properties connection;
    private volatile boolean credentialsAboutToBeSent;
    private volatile String bearerError;
    private volatile boolean bearerSent;

    /**
     * @param session         shared by many stores: the store's settings ({@link MailSessions#session})
     * @param connection      this connection's properties, for its protocol ({@link MailSessions#connection})
     * @param preferredBearer the bearer mechanism used where a server offers both ({@link BearerLogin#choose})
     */
    GuardedImapStore(Session session, Properties connection, Endpoint endpoint, Credentials credentials,
                     BearerLogin preferredBearer, SocketDeadline sockets) {
        super(session, null, MailSessions.protocol(endpoint), endpoint.security() == Security.SSL_TLS);
        this.endpoint = endpoint;
        this.security = endpoint.security();
        this.credentials = credentials;
        this.preferredBearer = preferredBearer;
        this.sockets = sockets;
        this.connection = connection;
    }

    /**
     * The status of the server's error challenge to the last bearer token (RFC 7628 3.2.2, e.g.
     * {@code invalid_token}), or null.
     */
    String bearerError() {
        return bearerError;
    }

    /** Whether a bearer token was sent (so a refusal is about it). */
    boolean bearerSent() {
        return bearerSent;
    }

    /** Whether the login got as far as sending credentials (so a rejection is about them). */
    boolean credentialsAboutToBeSent() {
        return credentialsAboutToBeSent;
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        IMAPProtocol protocol = new BoundedImapProtocol(name, host, port, connection, isSSL, logger,
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
        if (credentials instanceof Credentials.OAuth2) {
            bearerLogin(protocol, (Credentials.OAuth2) credentials);
            return;
        }
        credentialsAboutToBeSent = true;
    }

    /** Logs in with a bearer token, so that Angus, finding the protocol authenticated, does not. */
    private void bearerLogin(IMAPProtocol protocol, Credentials.OAuth2 oauth2) throws ProtocolException {
        BearerLogin mechanism = BearerLogin.choose(protocol, preferredBearer).orElseThrow(() -> new GuardViolation(
                FailureKind.AUTH_FAILED, "the server offers neither AUTHENTICATE XOAUTH2 nor OAUTHBEARER, so no"
                + " OAuth2 access token was asked for or sent"));
        String token = accessToken(oauth2);
        credentialsAboutToBeSent = true;
        bearerSent = true;
        BoundedImapProtocol bounded = (BoundedImapProtocol) protocol;
        try {
            bounded.authenticateBearer(mechanism, mechanism.initialResponse(oauth2.user(), endpoint.host(),
                    endpoint.port(), token));
        } finally {
            bearerError = bounded.bearerError();
        }
    }

    /** A token from the account's supplier; its failures become guard violations of their kind. */
    private static String accessToken(Credentials.OAuth2 oauth2) throws GuardViolation {
        Secret token;
        try {
            token = oauth2.accessTokens().get();
        } catch (AccessTokenException e) {
            throw new GuardViolation(kindOf(e.reason()), whyNoToken(e.reason()) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new GuardViolation(FailureKind.AUTH_FAILED, "the OAuth2 access-token supplier failed ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (token == null) {
            throw new GuardViolation(FailureKind.AUTH_FAILED, "the OAuth2 access-token supplier returned null");
        }
        return token.reveal();
    }

    private static FailureKind kindOf(AccessTokenException.Reason reason) {
        switch (reason) {
            case GRANT_REVOKED:
                return FailureKind.AUTH_REVOKED;
            case SERVER_UNAVAILABLE:
                return FailureKind.OAUTH_UNAVAILABLE;
            case MISCONFIGURED:
            default:
                return FailureKind.OAUTH_MISCONFIGURED;
        }
    }

    private static String whyNoToken(AccessTokenException.Reason reason) {
        switch (reason) {
            case GRANT_REVOKED:
                return "no OAuth2 access token: the grant was revoked or has expired";
            case SERVER_UNAVAILABLE:
                return "no OAuth2 access token: the authorization server is unavailable";
            case MISCONFIGURED:
            default:
                return "no OAuth2 access token: the OAuth2 client is misconfigured";
        }
    }

    /** A guard refused to go on; carries the classification. */
    static final class GuardViolation extends ProtocolException {
        private static final long serialVersionUID = 1L;
        private final transient FailureKind kind;

        GuardViolation(FailureKind kind, String message) {
            super(message);
            this.kind = kind;
        }

        GuardViolation(FailureKind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        FailureKind kind() {
            return kind;
        }
    }
}
