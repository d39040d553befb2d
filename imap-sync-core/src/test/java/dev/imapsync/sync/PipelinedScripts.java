package dev.imapsync.sync;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * What the pipelining tests' scripted servers share: a login, an INBOX of {@code n} messages
 * (UIDs 1 to n) examined and searched, the header lines they answer, and the account.
 */
final class PipelinedScripts {
    static final String TAG = "[A-Z]{1,3}\\d+";
    private static final String HEADER_FIELDS = "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID"
            + " IN-REPLY-TO REFERENCES";
    private static final String CAPABILITIES = "IMAP4rev1 LITERAL+ UIDPLUS";

    private PipelinedScripts() {
    }

    /** A script up to the first sync's UID SEARCH of an INBOX holding UIDs 1 to {@code messages}, answered. */
    static Script loggedInAndSearched(int messages) {
        String uids = LongStream.rangeClosed(1, messages).mapToObj(Long::toString).collect(Collectors.joining(" "));
        return new Script()
                .send("* OK [CAPABILITY " + CAPABILITIES + "] scripted server ready")
                .answerCommandsUntil("(?i)" + TAG + " EXAMINE \"?INBOX\"?", Map.of(
                        "(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + CAPABILITIES, "{tag} OK done"),
                        "(?is)" + TAG + " LOGIN .*", List.of("{tag} OK [CAPABILITY " + CAPABILITIES + "] Logged in"),
                        "(?i)" + TAG + " EXAMINE \"?INBOX\"?", List.of(
                                "* " + messages + " EXISTS",
                                "* OK [UIDVALIDITY 7] UIDs valid",
                                "* OK [UIDNEXT " + (messages + 1) + "] next",
                                "{tag} OK [READ-ONLY] EXAMINE completed")))
                .expectAndReply("(?i)" + TAG + " UID SEARCH .*", "* SEARCH " + uids, "{tag} OK SEARCH completed");
    }

    /** The answer to a header FETCH for {@code uid}: a note from Bob, whom the tests' matcher knows. */
    static String headerLine(long uid) {
        String headers = "From: Bob <bob@partner.example>\r\nTo: owner@acme.example\r\nSubject: note " + uid
                + "\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000\r\nMessage-ID: <m" + uid + "@partner.example>\r\n\r\n";
        int length = headers.getBytes(UTF_8).length;
        return "* " + uid + " FETCH (UID " + uid + " INTERNALDATE \"05-Oct-2026 10:00:00 +0000\" RFC822.SIZE "
                + (length + 200) + " BODY[HEADER.FIELDS (" + HEADER_FIELDS + ")] {" + length + "}\r\n" + headers + ")";
    }

    /** The owner's account at the scripted server, over implicit TLS with the test certificate trusted. */
    static ImapAccount account(ScriptedImapServer server) {
        return ImapAccount.builder()
                .id("p1")
                .emailAddress("owner@acme.example")
                .endpoint(server.host(), server.port(), Security.SSL_TLS)
                .password("owner@acme.example", "owner-password")
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }
}
