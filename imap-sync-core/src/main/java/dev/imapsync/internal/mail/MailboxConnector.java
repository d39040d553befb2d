package dev.imapsync.internal.mail;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.internal.transport.TlsSettings;
import dev.imapsync.internal.transport.TransportCheck;
import java.time.Duration;
import java.util.Objects;

/**
 * The one way to open connections for an account: the account's TLS settings (the JDK's trust
 * anchors plus the certificates this account trusts), its session properties
 * ({@link MailSessions}: timeouts capped by the deadline, verified TLS, PEEK) and the
 * deadline that closes the sockets. The public classes (the sync engine, the prober, the IDLE
 * watcher) decide what to open and for how long; this opens it.
 *
 * <p>Immutable and thread-safe. The TLS settings are the account's own and kept between its
 * connectors ({@link TlsSettings#forAccount}), so the account's next sync, or its watcher when it
 * reconnects, resumes the TLS session; the probe's transport checks, which diagnose
 * the server's certificate, always do a full handshake.
 */
public final class MailboxConnector {
    private final ImapAccount account;
    private final TlsSettings tls;

    private MailboxConnector(ImapAccount account) {
        this.account = Objects.requireNonNull(account, "account");
        this.tls = TlsSettings.forAccount(account.id(), account.trustedCertificates());
    }

    /** A connector for the account, with its TLS settings. */
    public static MailboxConnector forAccount(ImapAccount account) {
        return new MailboxConnector(account);
    }

    /** The account this connector opens connections for. */
    public ImapAccount account() {
        return account;
    }

    /**
     * Connects at the account's endpoint and logs in once.
     *
     * @param deadline when it passes, the sockets are closed and what was under way ends as
     *                 TIMEOUT ({@link SocketDeadline#none()} for a connection bounded only by its
     *                 timeouts); closing the connection closes it
     * @throws ConnectionFailure classified; the credentials were sent at most once
     */
    public MailboxConnection open(SocketDeadline deadline) throws ConnectionFailure {
        return open(account.endpoint(), deadline);
    }

    /**
     * Connects at another endpoint of the same mailbox (one a probe found) and logs in once.
     *
     * @throws ConnectionFailure classified; the credentials were sent at most once
     * @see #open(SocketDeadline)
     */
    public MailboxConnection open(Endpoint endpoint, SocketDeadline deadline) throws ConnectionFailure {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(deadline, "deadline");
        return MailboxConnection.open(account, endpoint, tls, deadline);
    }

    /**
     * A check of one endpoint's transport that sends no credentials (greeting, STARTTLS,
     * CAPABILITY), with this account's trusted certificates, in a TLS context of its own: the
     * check verifies the server's certificate in full, never on a resumed session, since its
     * answer is the diagnosis of the account's settings.
     *
     * @param connectTimeout time allowed for the TCP connect
     * @param readTimeout    time allowed for each answer
     */
    public TransportCheck transportCheck(Duration connectTimeout, Duration readTimeout) {
        return new TransportCheck(TlsSettings.trusting(account.trustedCertificates()), connectTimeout, readTimeout);
    }

    @Override
    public String toString() {
        return "MailboxConnector[account=" + account.id() + ", endpoint=" + account.endpoint() + "]";
    }
}
