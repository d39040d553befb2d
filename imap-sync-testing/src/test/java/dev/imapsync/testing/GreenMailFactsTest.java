package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What GreenMail 2.1.8 actually speaks, as tests that use it must know. If GreenMail is
 * upgraded and one of these fails, revisit the tests that rely on the old behaviour.
 */
class GreenMailFactsTest {

    private static final String CAPABILITIES =
            "* CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS SORT IDLE MOVE SASL-IR AUTH=XOAUTH2 QUOTA";

    private static GreenMailTls server;
    private static GreenMailUser alice;

    @BeforeAll
    static void start() {
        server = GreenMailTls.start();
        alice = server.addUser("alice", "pa55word");
        server.append(alice, "Sent", """
                From: alice@example.com
                To: bob@example.org
                Subject: Hello

                Hi Bob.
                """, Instant.now());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void greetsWithoutCapabilitiesAndAdvertisesTheSameBeforeAndAfterLogin() throws Exception {
        try (RawImapClient client = RawImapClient.connect(server.imapPort())) {
            assertThat(client.readLine()).isEqualTo("* OK IMAP4rev1 Server GreenMail v2.1.8 ready");
            assertThat(client.command("a1", "CAPABILITY")).containsExactly(CAPABILITIES, "a1 OK CAPABILITY completed.");
            client.command("a2", "LOGIN alice pa55word");
            assertThat(client.command("a3", "CAPABILITY")).containsExactly(CAPABILITIES, "a3 OK CAPABILITY completed.");
        }
    }

    @Test
    void hasNoStartTls() throws Exception {
        try (RawImapClient client = RawImapClient.connect(server.imapPort())) {
            client.readLine();
            assertThat(client.command("a1", "STARTTLS")).containsExactly("a1 BAD Invalid command.");
        }
    }

    @Test
    void authenticatesWithLoginOrXoauth2WhoseTokenIsThePasswordButNotPlain() throws Exception {
        String xoauth2 = Base64.getEncoder().encodeToString(
                "user=alice\u0001auth=Bearer pa55word\u0001\u0001".getBytes(StandardCharsets.US_ASCII));
        try (RawImapClient client = RawImapClient.connect(server.imapPort())) {
            client.readLine();
            assertThat(client.command("a1", "LOGIN alice wrong"))
                    .containsExactly("a1 NO LOGIN failed. Invalid login/password for user id alice");
            assertThat(client.command("a2", "AUTHENTICATE PLAIN"))
                    .containsExactly("a2 NO AUTHENTICATE failed. Unsupported authentication mechanism 'PLAIN'");
            assertThat(client.command("a3", "AUTHENTICATE XOAUTH2 " + xoauth2))
                    .containsExactly("a3 OK AUTHENTICATE completed.");
        }
    }

    @Test
    void listsWithoutSpecialUseAndRejectsListExtensions() throws Exception {
        try (RawImapClient client = RawImapClient.connect(server.imapPort())) {
            client.readLine();
            client.command("a1", "LOGIN alice pa55word");
            assertThat(client.command("a2", "LIST \"\" \"*\"")).containsExactly(
                    "* LIST () \".\" \"INBOX\"", "* LIST () \".\" \"Sent\"", "a2 OK LIST completed.");
            assertThat(client.command("a3", "LIST (SPECIAL-USE) \"\" \"*\"")).singleElement()
                    .asString().startsWith("a3 BAD ");
            assertThat(client.command("a4", "LIST \"\" \"*\" RETURN (SPECIAL-USE)")).singleElement()
                    .asString().startsWith("a4 BAD ");
            for (String command : List.of("XLIST \"\" \"*\"", "NAMESPACE", "ID NIL", "ENABLE CONDSTORE")) {
                assertThat(client.command("a5", command)).as(command).containsExactly("a5 BAD Invalid command.");
            }
        }
    }

    @Test
    void headerFieldsLackTheBlankLineAndRfc822SizeCountsOnlyTheBody() throws Exception {
        try (RawImapClient client = RawImapClient.connect(server.imapPort())) {
            client.readLine();
            client.command("a1", "LOGIN alice pa55word");
            client.command("a2", "EXAMINE Sent");
            assertThat(client.command("a3", "UID FETCH 1 (RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])"))
                    .containsExactly(
                            "* 1 FETCH (RFC822.SIZE 7 UID 1 BODY[HEADER.FIELDS (FROM SUBJECT)] {41}",
                            "From: alice@example.com",
                            "Subject: Hello",
                            ")",
                            "a3 OK FETCH completed.");
        }
    }
}
