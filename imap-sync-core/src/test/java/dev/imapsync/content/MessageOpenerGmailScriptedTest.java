package dev.imapsync.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Opening a Gmail message that left its recorded place, against a server that answers as Gmail
 * does: found again by {@code X-GM-MSGID} in All Mail (searched first), checked by the
 * X-GM-MSGID the header fetch returns, read-only throughout.
 */
class MessageOpenerGmailScriptedTest {
    private static final String TAG = "[A-Z]{1,3}\\d+";
    private static final String GMAIL = "IMAP4rev1 UNSELECT IDLE NAMESPACE ID CHILDREN X-GM-EXT-1 UIDPLUS LIST-EXTENDED"
            + " SPECIAL-USE AUTH=PLAIN";
    private static final long GMAIL_ID = 1_700_000_000_000_000_001L;
    private static final String HEADERS = "From: Ann <ann@client.example>\r\nTo: sam@gmail.example\r\n"
            + "Subject: Moved on Gmail\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000\r\nMessage-ID: <g1@client.example>\r\n\r\n";
    private static final String MESSAGE = HEADERS.substring(0, HEADERS.length() - 2)
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nFound in All Mail.\r\n";

    private ScriptedImapServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<String> examine(long uidValidity, int exists) {
        return List.of("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)", "* OK [PERMANENTFLAGS ()] Read-only",
                "* " + exists + " EXISTS", "* OK [UIDVALIDITY " + uidValidity + "] UIDs valid",
                "* OK [UIDNEXT 100] next", "{tag} OK [READ-ONLY] EXAMINE completed");
    }

    private static Script gmail() {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + GMAIL, "{tag} OK done"));
        answers.put("(?i)" + TAG + " AUTHENTICATE PLAIN \\S+", List.of("{tag} OK [CAPABILITY " + GMAIL + "] in"));
        answers.put("(?i)" + TAG + " AUTHENTICATE PLAIN", List.of("+ ", "{tag} OK [CAPABILITY " + GMAIL + "] in"));
        answers.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
        answers.put("(?i)" + TAG + " EXAMINE \"?INBOX\"?", examine(1, 3));
        answers.put("(?i)" + TAG + " EXAMINE \"\\[Gmail]/All Mail\"", examine(11, 50));
        answers.put("(?i)" + TAG + " EXAMINE \"\\[Gmail]/Sent Mail\"", examine(12, 5));
        answers.put("(?i)" + TAG + " UID FETCH 7 .*", List.of("{tag} OK FETCH completed (no such UID)"));
        answers.put("(?i)" + TAG + " LIST \"\" \"\\*\".*", List.of(
                "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
                "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"",
                "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"",
                "* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"",
                "{tag} OK LIST completed"));
        answers.put("(?i)" + TAG + " UID FETCH 42 \\(UID INTERNALDATE RFC822\\.SIZE .* X-GM-MSGID X-GM-THRID\\)",
                List.of("* 17 FETCH (X-GM-THRID 99 X-GM-MSGID " + GMAIL_ID + " UID 42 INTERNALDATE"
                        + " \"05-Oct-2026 10:00:00 +0000\" RFC822.SIZE " + MESSAGE.length() + " BODY[HEADER.FIELDS (FROM)] {"
                        + HEADERS.getBytes(UTF_8).length + "}\r\n" + HEADERS + ")", "{tag} OK FETCH completed"));
        answers.put("(?i)" + TAG + " UID FETCH 42 \\(UID BODY\\.PEEK\\[]<0\\.\\d+>\\)",
                List.of("* 17 FETCH (UID 42 BODY[]<0> {" + MESSAGE.getBytes(UTF_8).length + "}\r\n" + MESSAGE + ")",
                        "{tag} OK FETCH completed"));
        // INBOX (searched before All Mail is opened) has no such message; All Mail has it as UID 42
        Map<String, List<String>> inInbox = new LinkedHashMap<>(answers);
        inInbox.put("(?i)" + TAG + " UID SEARCH X-GM-MSGID " + GMAIL_ID, List.of("* SEARCH", "{tag} OK SEARCH done"));
        Map<String, List<String>> inAllMail = new LinkedHashMap<>(answers);
        inAllMail.put("(?i)" + TAG + " UID SEARCH X-GM-MSGID " + GMAIL_ID, List.of("* SEARCH 42", "{tag} OK done"));
        return new Script().send("* OK Gimap ready")
                .answerCommandsUntil("(?i)" + TAG + " EXAMINE \"\\[Gmail]/All Mail\"", inInbox)
                .answerCommands(inAllMail);
    }

    @Test
    void aGmailMessageThatLeftItsFolderIsFoundByItsGmailIdInAllMailFirst() {
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), gmail());
        // the search in the recorded folder finds nothing, so All Mail is next, before the selected Sent Mail
        String allMailSearch = "(?i)" + TAG + " UID SEARCH X-GM-MSGID " + GMAIL_ID;
        ImapAccount account = ImapAccount.builder().id("g1").emailAddress("sam@gmail.example")
                .endpoint("127.0.0.1", server.port(), Security.SSL_TLS).password("sam@gmail.example", "gmail-password")
                .readTimeout(Duration.ofSeconds(5)).trustCertificatePem(TestCertificates.localhost().pem()).build();

        OpenResult<MessageContent> result = MessageOpener.standard().open(account,
                FolderChoice.named(List.of("INBOX", "[Gmail]/Sent Mail")), MessageKey.ofGmailId(GMAIL_ID),
                List.of(new Location("g1", "INBOX", 7, 1)));

        MessageContent content = result.orElseThrow();
        assertThat(content.location()).isEqualTo(new Location("g1", "[Gmail]/All Mail", 42, 11));
        assertThat(content.text()).isEqualTo("Found in All Mail.\n");
        assertThat(content.subject()).isEqualTo("Moved on Gmail");
        server.close();
        List<String> commands = server.receivedLines().stream().map(ScriptedImapServer.ReceivedLine::text).toList();
        assertThat(commands).filteredOn(c -> c.matches(allMailSearch)).hasSize(2);   // INBOX, then All Mail
        assertThat(commands).filteredOn(c -> c.matches("(?i)" + TAG + " EXAMINE .*")).extracting(c -> c.split(" ", 3)[2])
                .containsExactly("INBOX", "\"[Gmail]/All Mail\"");
        assertThat(commands).noneMatch(c -> c.matches("(?i)" + TAG + " (SELECT|STORE|UID STORE|EXPUNGE|COPY|MOVE).*"))
                .noneMatch(c -> c.contains("BODY[") && !c.contains("BODY.PEEK["));
    }
}
