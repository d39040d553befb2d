package dev.imapsync.internal.content;

import dev.imapsync.testing.Dovecot;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The MIME corpus on the project's Dovecot, in a folder of its own (created and deleted): see
 * {@link PreviewCorpusCheck}. Dovecot offers BINARY, so each text part is also read decoded.
 * Skipped unless IMAPSYNC_TEST_DOVECOT is set (run .ci/dovecot/start.sh and source its env file).
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_DOVECOT", matches = ".+",
        disabledReason = "IMAPSYNC_TEST_DOVECOT is not set: run .ci/dovecot/start.sh and source the env file it writes")
class PreviewCorpusDovecotTest {
    private static final String FOLDER = "PreviewCorpus-" + UUID.randomUUID().toString().substring(0, 8);
    private static RawImap imap;

    @BeforeAll
    static void connect() throws Exception {
        Dovecot dovecot = Dovecot.fromEnvironment();
        imap = RawImap.login(dovecot.host(), dovecot.tlsPort(), trusting(dovecot.certificatePem()),
                Dovecot.PLAIN_USER, dovecot.password());
        imap.command("CREATE " + RawImap.quote(FOLDER));
    }

    @AfterAll
    static void deleteFolder() throws Exception {
        if (imap != null) {
            try {
                imap.command("UNSELECT");
                imap.command("DELETE " + RawImap.quote(FOLDER));
            } finally {
                imap.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> eachCorpusMessage() throws Exception {
        return PreviewCorpusCheck.appendAndCheck(imap, FOLDER, true, Set.of(), Set.of(), true);
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("dovecot", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
