package dev.imapsync.testing;

/**
 * Certificates shared by all tests of one JVM, made on first use.
 *
 * <p>Sharing is safe because {@link TestCertificate} is immutable; a test that needs a key
 * nobody else trusts makes its own with {@link TestCertificate#selfSigned(String...)}.
 */
public final class TestCertificates {

    private TestCertificates() {}

    /**
     * A certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}: what a client
     * connecting to a fixture on the loopback interface expects, by name or by address.
     */
    public static TestCertificate localhost() {
        return Localhost.CERTIFICATE;
    }

    /**
     * A certificate for {@code other.example} only: a server presenting it on the loopback
     * interface fails host-name verification even when the client trusts it.
     */
    public static TestCertificate otherHost() {
        return OtherHost.CERTIFICATE;
    }

    private static final class Localhost {
        static final TestCertificate CERTIFICATE =
                TestCertificate.selfSigned("localhost", "127.0.0.1", "::1");
    }

    private static final class OtherHost {
        static final TestCertificate CERTIFICATE = TestCertificate.selfSigned("other.example");
    }
}
