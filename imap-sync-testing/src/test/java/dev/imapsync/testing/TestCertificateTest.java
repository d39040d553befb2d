package dev.imapsync.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificateTest {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @TempDir
    Path directory;

    @Test
    void namesBecomeCommonNameAndSubjectAltNamesOfTheRightType() throws Exception {
        X509Certificate certificate =
                TestCertificate.selfSigned("mail.example.test", "127.0.0.1", "::1").certificate();

        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=mail.example.test");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(
                List.of(DNS_NAME, "mail.example.test"),
                List.of(IP_ADDRESS, "127.0.0.1"),
                List.of(IP_ADDRESS, "0:0:0:0:0:0:0:1"));
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void isValidFromYesterdayForTenYears() {
        X509Certificate certificate = TestCertificates.localhost().certificate();
        Instant now = Instant.now();

        assertThat(certificate.getNotBefore().toInstant()).isBetween(
                now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(23)));
        assertThat(certificate.getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(3650)));
    }

    @Test
    void pkixAcceptsTheCertificateWhenItIsItselfTheTrustAnchor() throws Exception {
        TestCertificate trusted = TestCertificates.localhost();
        X509TrustManager trustManager = RawImapClient.trustManagerTrusting(trusted.pem());

        trustManager.checkServerTrusted(new X509Certificate[] {trusted.certificate()}, "ECDHE_ECDSA");

        X509Certificate stranger = TestCertificate.selfSigned("localhost").certificate();
        assertThatThrownBy(() -> trustManager.checkServerTrusted(new X509Certificate[] {stranger}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void pemRoundTripsThroughTheJdkCertificateFactory() throws Exception {
        TestCertificate certificate = TestCertificates.localhost();
        Path file = certificate.writePem(directory.resolve("server.pem"));

        assertThat(certificate.pem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(file, US_ASCII)).isEqualTo(certificate.pem());
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .isEqualTo(certificate.certificate());
        }
    }

    @Test
    void pkcs12HoldsKeyAndCertificateUnderAliasServer() throws Exception {
        TestCertificate certificate = TestCertificates.localhost();
        char[] password = "s3cret".toCharArray();
        Path file = certificate.writePkcs12(directory.resolve("server.p12"), password);

        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            loaded.load(in, password);
        }
        assertThat(loaded.aliases().asIterator()).toIterable().containsExactly("server");
        assertThat(loaded.isKeyEntry("server")).isTrue();
        assertThat(loaded.getKey("server", password)).isEqualTo(certificate.privateKey());
        assertThat(loaded.getCertificate("server")).isEqualTo(certificate.certificate());
    }

    @Test
    void eachCallMakesANewKey() {
        TestCertificate first = TestCertificate.selfSigned("localhost");
        TestCertificate second = TestCertificate.selfSigned("localhost");

        assertThat(first.certificate().getPublicKey()).isNotEqualTo(second.certificate().getPublicKey());
        assertThat(first.certificate().getSerialNumber()).isNotEqualTo(second.certificate().getSerialNumber());
    }

    @Test
    void refusesToMakeACertificateWithoutNames() {
        assertThatThrownBy(TestCertificate::selfSigned)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("give at least one host name or IP literal");
    }
}
