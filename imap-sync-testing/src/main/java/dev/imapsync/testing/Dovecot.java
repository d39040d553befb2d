package dev.imapsync.testing;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The private Dovecot that {@code .ci/dovecot/start.sh} runs on 127.0.0.1, as described by the
 * {@code IMAPSYNC_TEST_DOVECOT*} environment variables. Tests that need it register a
 * {@link DovecotExtension}, which skips them when it is absent and cleans up after them.
 *
 * @param host          where it listens
 * @param tlsPort       its implicit-TLS port
 * @param starttlsPort  its plaintext port that offers STARTTLS
 * @param certificatePem its self-signed certificate (for localhost and 127.0.0.1)
 * @param log           its log file (failed logins appear as {@code ... Password mismatch})
 * @param password      the password of both test users
 */
public record Dovecot(String host, int tlsPort, int starttlsPort, String certificatePem, Path log, String password) {
    /** A user with a plain layout: INBOX, Sent, Drafts, Trash, Junk, Archive (special-use, "." separator). */
    public static final String PLAIN_USER = "alice@example.test";
    /** A user with a Gmail-like layout: {@code [Gmail]/All Mail}, {@code [Gmail]/Important}, … ("/" separator). */
    public static final String GMAIL_USER = "gmail@example.test";
    /**
     * A user who can only sign in with OAuth 2.0 (XOAUTH2 or OAUTHBEARER; plain layout): Dovecot's
     * {@code oauth2} passdb asks the {@link LocalOAuthServer} on {@link #oauthServerPort()} about
     * each token, whose subject must be this user.
     */
    public static final String OAUTH_USER = "oauth@example.test";

    /**
     * The loopback port on which the tests run the {@link LocalOAuthServer} that Dovecot asks
     * ({@code IMAPSYNC_TEST_DOVECOT_OAUTH_PORT}, written by the start script). Tests that need it
     * are enabled by that variable.
     */
    public static int oauthServerPort() {
        return Integer.parseInt(required("IMAPSYNC_TEST_DOVECOT_OAUTH_PORT"));
    }

    /** The Dovecot the environment describes; fails with a clear message when a variable is missing. */
    public static Dovecot fromEnvironment() {
        String hostPort = required("IMAPSYNC_TEST_DOVECOT");
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("IMAPSYNC_TEST_DOVECOT must be host:port, not " + hostPort);
        }
        try {
            return new Dovecot(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
                    Integer.parseInt(required("IMAPSYNC_TEST_DOVECOT_STARTTLS_PORT")),
                    Files.readString(Path.of(required("IMAPSYNC_TEST_DOVECOT_CERT")), StandardCharsets.US_ASCII),
                    Path.of(required("IMAPSYNC_TEST_DOVECOT_LOG")),
                    Optional.ofNullable(System.getenv("IMAPSYNC_TEST_DOVECOT_PASSWORD")).orElse("imapsync-test-password"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Dovecot certificate named by IMAPSYNC_TEST_DOVECOT_CERT", e);
        }
    }

    /**
     * A builder of an account that signs in as {@code user} (one of the password users) over
     * implicit TLS and trusts Dovecot's certificate; its email address is the user. Set its id,
     * privacy or options as needed.
     */
    public ImapAccount.Builder account(String user) {
        return ImapAccount.builder()
                .emailAddress(user)
                .endpoint(host, tlsPort, Security.SSL_TLS)
                .password(user, password)
                .trustCertificatePem(certificatePem);
    }

    /** A client TLS context that trusts Dovecot's self-signed certificate, and nothing else. */
    public SSLContext sslContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("dovecot", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the Dovecot certificate named by IMAPSYNC_TEST_DOVECOT_CERT", e);
        }
    }

    /** How many failed password checks the log holds for this user so far. */
    public long passwordMismatches(String user) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.stream().filter(l -> l.contains("(" + user + ",") && l.contains("Password mismatch")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Dovecot log " + log, e);
        }
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run .ci/dovecot/start.sh and source the env file"
                    + " it writes (bash .ci/run does both)");
        }
        return value;
    }
}
