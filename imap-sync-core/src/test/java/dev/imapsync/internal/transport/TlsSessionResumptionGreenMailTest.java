package dev.imapsync.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificate;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS session resumption through {@link TlsSettings#forAccount}, against GreenMail over
 * implicit TLS (one server TLS context, so it resumes what it issued): an account's next
 * connection resumes its session (the JDK keeps a resumed session's creation time; a full
 * handshake makes a new one), another account's connection to the same server does not take
 * it, and an account whose trusted certificates changed verifies the server afresh.
 */
class TlsSessionResumptionGreenMailTest {
    private GreenMailTls server;
    private List<X509Certificate> trusted;

    @BeforeEach
    void startServer() {
        server = GreenMailTls.start();
        trusted = List.of(server.certificate().certificate());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A handshake through the settings, and the greeting read (the server's session ticket comes with it). */
    private SSLSession connect(TlsSettings tls) throws Exception {
        // a session's creation time is in milliseconds: start each handshake in a new one, so
        // that two full handshakes never share a creation time
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() == now) {
            Thread.onSpinWait();
        }
        try (Socket plain = new Socket(server.host(), server.imapsPort())) {
            SSLSocket ssl = tls.handshake(plain, "localhost", server.imapsPort());
            byte[] greeting = new byte[4];
            assertThat(ssl.getInputStream().readNBytes(greeting, 0, 4)).isEqualTo(4);
            SSLSession session = ssl.getSession();
            ssl.close();
            return session;
        }
    }

    @Test
    void anAccountsNextConnectionResumesItsOwnSessionOnly() throws Exception {
        SSLSession first = connect(TlsSettings.forAccount("tls-a", trusted));
        SSLSession again = connect(TlsSettings.forAccount("tls-a", trusted));
        SSLSession other = connect(TlsSettings.forAccount("tls-b", trusted));

        assertThat(again.getCreationTime()).as("account a's second connection resumed").isEqualTo(first.getCreationTime());
        assertThat(again.getPeerCertificates()).containsExactly(first.getPeerCertificates());
        assertThat(other.getCreationTime()).as("account b did a full handshake of its own")
                .isNotEqualTo(first.getCreationTime());
    }

    @Test
    void anAccountWhoseTrustedCertificatesChangedVerifiesTheServerAgain() throws Exception {
        SSLSession first = connect(TlsSettings.forAccount("tls-c", trusted));
        TestCertificate another = TestCertificate.selfSigned("other.example");
        List<X509Certificate> changed = List.of(server.certificate().certificate(), another.certificate());

        SSLSession afterChange = connect(TlsSettings.forAccount("tls-c", changed));

        assertThat(afterChange.getCreationTime()).isNotEqualTo(first.getCreationTime());
    }

    @Test
    void aFreshContextNeverResumes() throws Exception {
        SSLSession first = connect(TlsSettings.trusting(trusted));
        SSLSession second = connect(TlsSettings.trusting(trusted));

        assertThat(second.getCreationTime()).isNotEqualTo(first.getCreationTime());
    }
}
