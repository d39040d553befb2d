package dev.imapsync.internal.content;

import dev.imapsync.testing.GreenMailTls;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The MIME corpus on GreenMail (in-process): see {@link PreviewCorpusCheck}. */
class PreviewCorpusGreenMailTest {
    private static GreenMailTls server;
    private static RawImap imap;

    @BeforeAll
    static void start() throws Exception {
        server = GreenMailTls.start();
        server.addUser("corpus@example.test", "corpus-password");
        imap = RawImap.login(server.host(), server.imapsPort(), server.certificate().clientSslContextTrustingOnlyThis(),
                "corpus@example.test", "corpus-password");
    }

    @AfterAll
    static void stop() throws Exception {
        if (imap != null) {
            imap.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> eachCorpusMessage() throws Exception {
        // GreenMail offers no BINARY (RFC 3516); it drops the connection when asked for the
        // BODYSTRUCTURE of a multipart without a boundary (its MimeMultipart throws), and answers NO to
        // BODY[1] of a text part in a charset the JDK does not know and to BODY[1.1] inside a
        // message/rfc822 whose body is a multipart (a ClassCastException): Dovecot serves all three
        return PreviewCorpusCheck.appendAndCheck(imap, "INBOX", false, Set.of("broken-missing-boundary"),
                Set.of("charset-unknown", "forwarded-only"));
    }
}
