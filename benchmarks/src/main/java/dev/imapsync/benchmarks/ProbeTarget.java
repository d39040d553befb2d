package dev.imapsync.benchmarks;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The IMAP server a benchmark talks to: the project's Dovecot when {@code IMAPSYNC_TEST_DOVECOT}
 * is set (the real measure), else an in-process GreenMail over TLS.
 */
final class ProbeTarget implements AutoCloseable {
    private final GreenMailTls greenMail;
    final String name;
    final String host;
    final int tlsPort;
    final String user;
    final String password;
    final String certificatePem;

    private ProbeTarget(GreenMailTls greenMail, String name, String host, int tlsPort, String user, String password,
                        String certificatePem) {
        this.greenMail = greenMail;
        this.name = name;
        this.host = host;
        this.tlsPort = tlsPort;
        this.user = user;
        this.password = password;
        this.certificatePem = certificatePem;
    }

    static ProbeTarget start() {
        String dovecot = System.getenv("IMAPSYNC_TEST_DOVECOT");
        if (dovecot != null && !dovecot.isBlank()) {
            Dovecot d = Dovecot.fromEnvironment();
            return new ProbeTarget(null, "Dovecot " + d.host() + ":" + d.tlsPort(), d.host(), d.tlsPort(),
                    Dovecot.PLAIN_USER, d.password(), d.certificatePem());
        }
        GreenMailTls server = GreenMailTls.start(TestCertificates.localhost());
        String user = "bench@example.test";
        String password = "bench-password";
        var u = server.addUser(user, password);
        server.append(u, "INBOX", "From: a@example.test\nTo: " + user + "\nSubject: s\n\nbody\n");
        server.append(u, "Sent", "From: " + user + "\nTo: a@example.test\nSubject: s\n\nbody\n");
        return new ProbeTarget(server, "GreenMail (in-process) 127.0.0.1:" + server.imapsPort(), server.host(),
                server.imapsPort(), user, password, TestCertificates.localhost().pem());
    }

    /** The same server and user, reached through a proxy on 127.0.0.1 at {@code port} (TLS passes through it). */
    ProbeTarget through(int port) {
        return new ProbeTarget(null, name + " through 127.0.0.1:" + port, "127.0.0.1", port, user, password,
                certificatePem);
    }

    ImapAccount account(Security security) {
        return ImapAccount.builder()
                .endpoint(host, tlsPort, security)
                .password(user, password)
                .trustCertificatePem(certificatePem)
                .build();
    }

    /** What a hand-written Jakarta Mail client would configure to trust the same certificate. */
    SSLSocketFactory trustingSocketFactory() {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot trust the benchmark server's certificate", e);
        }
    }

    @Override
    public void close() {
        if (greenMail != null) {
            greenMail.close();
        }
    }
}
