package dev.imapsync.internal.content;

import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MIME corpus on the project's Dovecot, in a folder of its own (created and deleted): see
 * {@link PreviewCorpusCheck}. Dovecot offers BINARY, so each text part is also read decoded.
 * Skipped unless IMAPSYNC_TEST_DOVECOT is set (run .ci/dovecot/start.sh and source its env file).
 */
class PreviewCorpusDovecotTest {
    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private static final String FOLDER = "PreviewCorpus-" + UUID.randomUUID().toString().substring(0, 8);
    private static RawImap imap;

    @BeforeAll
    static void connect() throws Exception {
        Dovecot dovecot = DOVECOT.dovecot();
        imap = RawImap.login(dovecot.host(), dovecot.tlsPort(), dovecot.sslContext(),
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
}
