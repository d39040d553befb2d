package dev.imapsync.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Opening an email at its recorded place asks for its body in the same round trip as the header
 * fields that check it (RFC 9051 §5.5 pipelining), and does not wait for the folder's CLOSE.
 * The scripted server proves both: it answers the header fetch only once the body fetch has
 * arrived, and never answers CLOSE, waiting for the LOGOUT a client that waits would never send.
 * When the check fails, the body that came with it is never shown: the message is searched for
 * by its Message-ID, as before, or is gone.
 */
class MessageOpenerPipelinedScriptedTest {
    private static final String TAG = "[A-Z]{1,3}\\d+";
    private static final String CAPABILITIES = "IMAP4rev1 LITERAL+ UIDPLUS AUTH=PLAIN";
    private static final String HEADER_FETCH = "(?i)" + TAG + " UID FETCH %d \\(UID INTERNALDATE RFC822\\.SIZE .*";
    private static final String BODY_FETCH = "(?i)" + TAG + " UID FETCH %d \\(UID BODY\\.PEEK\\[]<0\\.\\d+>\\)";

    private ScriptedImapServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String message(String messageId, String subject, String text) {
        return "From: Ann <ann@client.example>\r\nTo: owner@acme.example\r\nSubject: " + subject
                + "\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000\r\nMessage-ID: <" + messageId + ">\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n";
    }

    private static String headerLine(long uid, String message) {
        String headers = message.substring(0, message.indexOf("\r\n\r\n") + 4);
        return "* " + uid + " FETCH (UID " + uid + " INTERNALDATE \"05-Oct-2026 10:00:00 +0000\" RFC822.SIZE "
                + message.getBytes(UTF_8).length + " BODY[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)] {"
                + headers.getBytes(UTF_8).length + "}\r\n" + headers + ")";
    }

    private static String bodyLine(long uid, String message) {
        return "* " + uid + " FETCH (UID " + uid + " BODY[]<0> {" + message.getBytes(UTF_8).length + "}\r\n"
                + message + ")";
    }

    private static Map<String, List<String>> login(long uidValidity) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + CAPABILITIES, "{tag} OK done"));
        answers.put("(?i)" + TAG + " AUTHENTICATE PLAIN \\S+", List.of("{tag} OK [CAPABILITY " + CAPABILITIES + "] in"));
        answers.put("(?i)" + TAG + " AUTHENTICATE PLAIN", List.of("+ ", "{tag} OK [CAPABILITY " + CAPABILITIES + "] in"));
        answers.put("(?i)" + TAG + " EXAMINE \"?INBOX\"?", List.of("* 3 EXISTS", "* OK [UIDVALIDITY " + uidValidity
                + "] UIDs valid", "* OK [UIDNEXT 10] next", "{tag} OK [READ-ONLY] EXAMINE completed"));
        return answers;
    }

    private ImapAccount account() {
        return ImapAccount.builder().id("a1").emailAddress("owner@acme.example")
                .endpoint("127.0.0.1", server.port(), Security.SSL_TLS).password("owner@acme.example", "owner-password")
                .readTimeout(Duration.ofSeconds(5)).trustCertificatePem(TestCertificates.localhost().pem()).build();
    }

    private List<String> commands() {
        return server.receivedLines().stream().map(ReceivedLine::text).toList();
    }

    @Test
    void theBodyIsAskedForBeforeTheCheckIsAnsweredAndCloseIsNotWaitedFor() {
        String message = message("m5@client.example", "Pipelined", "Read in one round trip.");
        Script script = new Script()
                .send("* OK [CAPABILITY " + CAPABILITIES + "] scripted server ready")
                .answerCommandsUntil("(?i)" + TAG + " EXAMINE \"?INBOX\"?", login(7))
                .expect(String.format(HEADER_FETCH, 5))
                // no answer yet: the client must write the body fetch without it
                .expect(String.format(BODY_FETCH, 5))
                .send(headerLine(5, message))
                .send("{previous-tag} OK FETCH completed")
                .send(bodyLine(5, message))
                .send("{tag} OK FETCH completed")
                // CLOSE is never answered: a client that waited for it would never send LOGOUT
                .expect("(?i)" + TAG + " CLOSE")
                .expect("(?i)" + TAG + " LOGOUT");
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), script);

        OpenResult<MessageContent> result = MessageOpener.standard().open(account(), FolderChoice.named(List.of("INBOX")),
                MessageKey.ofMessageId("m5@client.example"), List.of(new Location("a1", "INBOX", 5, 7)));

        MessageContent content = result.orElseThrow();
        assertThat(content.subject()).isEqualTo("Pipelined");
        assertThat(content.text()).isEqualTo("Read in one round trip.\n");
        assertThat(content.location()).isEqualTo(new Location("a1", "INBOX", 5, 7));
        server.close();
        server.assertNoFailures();
        assertThat(commands()).filteredOn(c -> c.matches("(?i)" + TAG + " UID FETCH .*")).as("no fetch after the two")
                .hasSize(2);
    }

    @Test
    void whenTheMessageAtTheRecordedUidIsAnotherItsBodyIsDroppedAndTheRightOneIsFound() {
        // Recorded with UIDVALIDITY 0 (unknown): UID 5 now holds another message, whose body comes
        // with the check. The check fails; the email is found by its Message-ID at UID 9.
        String other = message("other@client.example", "Not this one", "WRONG BODY");
        String wanted = message("m5@client.example", "The right one", "Right body.");
        Map<String, List<String>> answers = login(7);
        answers.put(String.format(HEADER_FETCH, 5), List.of(headerLine(5, other), "{tag} OK FETCH completed"));
        answers.put(String.format(BODY_FETCH, 5), List.of(bodyLine(5, other), "{tag} OK FETCH completed"));
        answers.put("(?i)" + TAG + " UID SEARCH HEADER Message-ID \"m5@client\\.example\"",
                List.of("* SEARCH 9", "{tag} OK SEARCH completed"));
        answers.put(String.format(HEADER_FETCH, 9), List.of(headerLine(9, wanted), "{tag} OK FETCH completed"));
        answers.put("(?i)" + TAG + " UID FETCH 9 \\(UID BODY\\.PEEK\\[]<0\\.\\d+>\\)",
                List.of(bodyLine(9, wanted), "{tag} OK FETCH completed"));
        answers.put("(?i)" + TAG + " CLOSE", List.of("{tag} OK CLOSE completed"));
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(),
                new Script().send("* OK [CAPABILITY " + CAPABILITIES + "] ready").answerCommands(answers));

        MessageContent content = MessageOpener.standard().open(account(), FolderChoice.named(List.of("INBOX")),
                MessageKey.ofMessageId("m5@client.example"), List.of(new Location("a1", "INBOX", 5, 0))).orElseThrow();

        assertThat(content.subject()).isEqualTo("The right one");
        assertThat(content.text()).isEqualTo("Right body.\n").doesNotContain("WRONG");
        assertThat(content.location()).isEqualTo(new Location("a1", "INBOX", 9, 7));
        server.close();
        server.assertNoFailures();
    }

    @Test
    void whenTheMessageIsNowhereItsPlaceHolderIsNeverShownAndTheAnswerIsGoneAsBefore() {
        // UID 5 holds another message and the search finds nothing: the answer is the usual "gone",
        // never the other message's content.
        String other = message("other@client.example", "Not this one", "WRONG BODY");
        Map<String, List<String>> answers = login(7);
        answers.put(String.format(HEADER_FETCH, 5), List.of(headerLine(5, other), "{tag} OK FETCH completed"));
        answers.put(String.format(BODY_FETCH, 5), List.of(bodyLine(5, other), "{tag} OK FETCH completed"));
        answers.put("(?i)" + TAG + " UID SEARCH .*", List.of("* SEARCH", "{tag} OK SEARCH completed"));
        answers.put("(?i)" + TAG + " LIST \"\" \"\\*\".*", List.of("* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
                "{tag} OK LIST completed"));
        answers.put("(?i)" + TAG + " CLOSE", List.of("{tag} OK CLOSE completed"));
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(),
                new Script().send("* OK [CAPABILITY " + CAPABILITIES + "] ready").answerCommands(answers));

        OpenResult<MessageContent> result = MessageOpener.standard().open(account(), FolderChoice.named(List.of("INBOX")),
                MessageKey.ofMessageId("m5@client.example"), List.of(new Location("a1", "INBOX", 5, 0)));

        assertThat(result).isInstanceOf(OpenResult.Gone.class);
        assertThat(result.message()).isEqualTo("This email is no longer in the"
                + " mailbox of account a1: it is not where it was recorded (INBOX UID 5) nor, by its Message-ID, in"
                + " INBOX. It was deleted or moved to a folder that is not synced; it stays on the timeline.");
        server.close();
        server.assertNoFailures();
    }
}
