package dev.imapsync.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.FailureKind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Exceptions as the JDK throws them (same types, same messages) map to the right kind. The
 * live cases (refused port, untrusted and misnamed certificates, silent port) are covered
 * against real servers; these cover what a test on loopback cannot provoke, such as a name
 * that does not resolve, without sending a DNS query anywhere.
 */
class FailureClassifierTest {

    @Test
    void unresolvableHostIsHostUnknown() {
        Classified c = FailureClassifier.classify(new UnknownHostException("imap.nowhere.invalid"), "connecting");
        assertThat(c.kind()).isEqualTo(FailureKind.HOST_UNKNOWN);
        assertThat(c.detail()).isEqualTo("the host name does not resolve");
    }

    @Test
    void networkFailuresAreClassifiedByType() {
        assertThat(FailureClassifier.classify(new ConnectException("Connection refused"), "connecting").kind())
                .isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(FailureClassifier.classify(new SocketTimeoutException("Read timed out"), "waiting for the greeting"))
                .extracting(Classified::kind, Classified::detail)
                .containsExactly(FailureKind.TIMEOUT, "no answer while waiting for the greeting");
        assertThat(FailureClassifier.classify(new EOFException(), "waiting for the greeting").detail())
                .isEqualTo("the server closed the connection while waiting for the greeting");
        assertThat(FailureClassifier.classify(new SocketException("Connection reset"), "logging in").kind())
                .isEqualTo(FailureKind.PROTOCOL_ERROR);
    }

    @Test
    void certificateFailuresAreToldApartFromHandshakeFailures() {
        SSLHandshakeException untrusted = handshake("PKIX path building failed",
                new CertificateException("PKIX path building failed",
                        new CertPathBuilderException("unable to find valid certification path to requested target")));
        assertThat(FailureClassifier.classify(untrusted, "negotiating TLS").kind()).isEqualTo(FailureKind.TLS_UNTRUSTED);

        SSLHandshakeException misnamed = handshake("No subject alternative DNS name matching imap.example.com found.",
                new CertificateException("No subject alternative DNS name matching imap.example.com found."));
        assertThat(FailureClassifier.classify(misnamed, "negotiating TLS").kind()).isEqualTo(FailureKind.TLS_HOSTNAME);

        SSLHandshakeException expired = handshake("PKIX path validation failed",
                new CertificateExpiredException("NotAfter: Tue Jan 01 00:00:00 UTC 2019"));
        assertThat(FailureClassifier.classify(expired, "negotiating TLS").detail())
                .isEqualTo("the server's certificate has expired");

        SSLHandshakeException plain = new SSLHandshakeException("Remote host terminated the handshake");
        assertThat(FailureClassifier.classify(plain, "negotiating TLS").kind()).isEqualTo(FailureKind.TLS_HANDSHAKE);
    }

    @Test
    void certificateFailuresNeverAllowAFallback() {
        assertThat(FailureKind.TLS_UNTRUSTED.isCertificateProblem()).isTrue();
        assertThat(FailureKind.TLS_HOSTNAME.isCertificateProblem()).isTrue();
        assertThat(FailureKind.TLS_HANDSHAKE.isCertificateProblem()).isFalse();
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }
}
