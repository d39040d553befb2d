package dev.imapsync.hostile;

import static dev.imapsync.hostile.ScriptedMailbox.ACCOUNT;
import static dev.imapsync.hostile.ScriptedMailbox.OWNER;
import static dev.imapsync.hostile.ScriptedMailbox.PASSWORD;
import static dev.imapsync.hostile.ScriptedMailbox.TAG;
import static dev.imapsync.hostile.ScriptedMailbox.inbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Security;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificate;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync engine with a STARTTLS account against servers (or men in the middle) that attack
 * the upgrade, after the NO STARTTLS study (Poddebniak et al., USENIX Security 2021): STARTTLS
 * stripped from the capabilities or refused (NO, BAD, a continuation), capabilities hidden,
 * PREAUTH on the plaintext port, responses injected before the handshake (in the same segment
 * as "OK Begin TLS", or before it), [ALERT] text before TLS, referrals and a garbled greeting.
 *
 * <p>Every test asserts on the bytes the scripted server received: the password never in
 * cleartext (nor at all when the connection is refused), nothing before TLS trusted, no second
 * connection to follow a referral, and what the person is told.
 */
class StartTlsSyncTest {
    private static final TestCertificate CERTIFICATE = TestCertificates.localhost();
    private static final String BEFORE_TLS = "IMAP4rev1 STARTTLS LOGINDISABLED";
    /** After TLS: no AUTH=PLAIN, so Angus logs in with LOGIN, unless it trusted capabilities from before TLS. */
    private static final String AFTER_TLS = "IMAP4rev1";
    private static final String STARTTLS = "(?i)" + TAG + " STARTTLS";

    private final InMemorySyncStore store = new InMemorySyncStore();
    private ScriptedImapServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anHonestServerIsSyncedAndTheLoginTravelsOnlyOverTls() {
        SyncReport report = sync(beforeTls(BEFORE_TLS, "{tag} OK Begin TLS negotiation now")
                .startTls(CERTIFICATE).answerCommands(mailbox().answers()));

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L);
        assertThat(server.receivedLines()).filteredOn(l -> l.text().matches("(?is)" + TAG + " LOGIN .*"))
                .singleElement().extracting(ReceivedLine::tls).isEqualTo(true);
        assertNoSecretInCleartext();
    }

    @Test
    void starttlsMissingFromTheCapabilitiesIsRefusedWithoutCredentials() {
        // STRIPTLS: the capabilities (greeting and CAPABILITY) no longer mention STARTTLS.
        Failure failure = refused(new Script().send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready")
                .answerCommands(mailbox("IMAP4rev1 AUTH=PLAIN").answers()), FailureKind.STARTTLS_UNAVAILABLE);

        assertThat(failure.message()).contains("the server does not offer STARTTLS");
        assertThat(failure.hint()).contains("a device between you and the server may be removing it");
    }

    @Test
    void hiddenCapabilitiesAreRefusedWithoutCredentials() {
        // No capabilities in the greeting, and CAPABILITY itself refused: nothing says STARTTLS is there.
        Failure failure = refused(new Script().send("* OK ready")
                .answerCommands(Map.of("(?i)" + TAG + " CAPABILITY", List.of("{tag} BAD Unknown command"),
                        "(?is)" + TAG + " LOGIN .*", List.of("{tag} OK Logged in"))), FailureKind.PROTOCOL_ERROR);

        assertThat(failure.message()).containsPattern("the server broke the protocol: " + TAG + " BAD Unknown command");
    }

    @Test
    void capabilitiesWithoutStarttlsAfterABareGreetingAreRefusedWithoutCredentials() {
        Failure failure = refused(new Script().send("* OK").answerCommands(mailbox("IMAP4rev1 AUTH=PLAIN").answers()),
                FailureKind.STARTTLS_UNAVAILABLE);

        assertThat(failure.message()).contains("the server does not offer STARTTLS");
    }

    @ParameterizedTest(name = "STARTTLS answered \"{0}\"")
    @ValueSource(strings = {"NO STARTTLS is temporarily unavailable", "BAD Unknown command"})
    void starttlsRefusedIsStarttlsUnavailableWithoutCredentials(String answer) {
        Failure failure = refused(starttlsAnswered("{tag} " + answer), FailureKind.STARTTLS_UNAVAILABLE);

        assertThat(failure.message()).containsPattern("the server answered STARTTLS with: " + TAG + " " + answer);
    }

    @Test
    void starttlsAnsweredWithAContinuationIsATimeoutWithoutCredentials() {
        // "+" asks for more from the client, which has nothing more to send: the read timeout ends it.
        Failure failure = refused(starttlsAnswered("+ go ahead"), Duration.ofSeconds(1), FailureKind.TIMEOUT);

        assertThat(failure.message()).contains("no answer while connecting");
        assertThat(server.receivedLines()).noneMatch(ReceivedLine::tls);
    }

    private static Script starttlsAnswered(String answer) {
        return new Script().send("* OK [CAPABILITY " + BEFORE_TLS + "] ready")
                .answerCommands(Map.of(
                        "(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + BEFORE_TLS, "{tag} OK done"),
                        STARTTLS, List.of(answer)));
    }

    @Test
    void preauthOnThePlaintextPortIsRefusedBeforeAnyCommand() {
        Failure failure = refused(new Script().send("* PREAUTH [CAPABILITY " + BEFORE_TLS + "] Logged in as owner")
                .answerCommands(mailbox().answers()), FailureKind.STARTTLS_UNAVAILABLE);

        assertThat(failure.message()).contains("the server greeted with PREAUTH before TLS");
        assertThat(server.receivedLines()).as("not a single command on a PREAUTH connection").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "* CAPABILITY IMAP4rev1 AUTH=PLAIN X-INJECTED\r\n",
        "{tag} OK Begin TLS again\r\n",
        "* BYE injected\r\n",
        "* 1 EXISTS\r\n* 1 FETCH (UID 99 FLAGS (\\Seen))\r\n* LIST () \"/\" Evil\r\n",
        "* OK [ALERT] Your account is suspended: log in at http://evil.example\r\n",
    })
    void responsesInjectedAfterBeginTlsInTheSameSegmentFailTheConnection(String injected) {
        // CVE-2011-0411 style: whatever follows "OK Begin TLS" in cleartext would be read as if
        // it had come over TLS (or, with Angus alone, silently dropped). It is refused.
        Script script = beforeTls(BEFORE_TLS, null)
                .sendRawThenStartTls("{tag} OK Begin TLS\r\n" + injected, CERTIFICATE)
                .answerCommands(mailbox().answers());

        Failure failure = refused(script, FailureKind.PROTOCOL_ERROR);

        assertThat(failure.message()).contains("the server sent data after accepting STARTTLS and before the TLS"
                + " handshake (a known injection attack); refused");
        assertThat(server.receivedLines()).as("nothing over TLS, not even a handshake").noneMatch(ReceivedLine::tls);
    }

    @Test
    void responsesInjectedBeforeBeginTlsAreNeverTrusted() {
        // Untagged answers before the tagged OK arrive in cleartext: capabilities that would
        // allow AUTHENTICATE PLAIN, a message, a folder, an alert. None of it may be used.
        Script script = beforeTls(BEFORE_TLS, "* CAPABILITY IMAP4rev1 AUTH=PLAIN X-INJECTED",
                "* 3 EXISTS",
                "* 3 FETCH (UID 99 INTERNALDATE \"05-Oct-2026 10:00:00 +0000\" RFC822.SIZE 9"
                        + " BODY[HEADER.FIELDS (FROM)] {28}\r\nFrom: carol@client.example\r\n)",
                "* LIST () \"/\" Evil",
                "* OK [ALERT] Your account is suspended: log in at http://evil.example",
                "{tag} OK Begin TLS negotiation now")
                .startTls(CERTIFICATE).answerCommands(mailbox().answers());

        SyncReport report = sync(script);

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L);
        assertThat(report.warnings()).noneMatch(w -> w.contains("evil"));
        assertThat(server.receivedLines()).extracting(ReceivedLine::text)
                .as("the capabilities from before TLS (AUTH=PLAIN) were dropped: the login is LOGIN")
                .noneMatch(l -> l.matches("(?i)" + TAG + " AUTHENTICATE .*"))
                .anyMatch(l -> l.matches("(?is)" + TAG + " LOGIN .*"))
                .noneMatch(l -> l.contains("Evil"));
        assertNoSecretInCleartext();
    }

    @Test
    void byeBeforeBeginTlsEndsTheConnectionWithoutCredentials() {
        Failure failure = refused(beforeTls(BEFORE_TLS, "* BYE [UNAVAILABLE] going away", "{tag} OK Begin TLS")
                .startTls(CERTIFICATE).answerCommands(mailbox().answers()), FailureKind.PROTOCOL_ERROR);

        assertThat(failure.message()).contains("the server closed the connection: * BYE [UNAVAILABLE] going away");
    }

    @ParameterizedTest(name = "capabilities {0}")
    @ValueSource(strings = {AFTER_TLS, AFTER_TLS + " LOGIN-REFERRALS"})
    void aLoginReferralIsNeverFollowed(String capabilities) {
        // RFC 2221: "NO [REFERRAL imap://…]" asks the client to log in elsewhere, with the same
        // password; the server referred to is a trap that counts its connections.
        try (ScriptedImapServer trap = ScriptedImapServer.start(mailbox().script())) {
            String referral = "imap://" + OWNER.replace("@", "%40") + "@127.0.0.1:" + trap.port() + "/";
            Map<String, List<String>> answers = new java.util.LinkedHashMap<>();
            answers.put("(?is)" + TAG + " LOGIN\\s.*", List.of("{tag} NO [REFERRAL " + referral + "] Try this server"));
            answers.putAll(mailbox(capabilities).answers());
            SyncReport report = sync(beforeTls(BEFORE_TLS, "{tag} OK Begin TLS").startTls(CERTIFICATE)
                    .answerCommands(answers));
            trap.close();

            Failure failure = report.failure().orElseThrow();
            assertThat(failure.kind()).as(failure.toString()).isEqualTo(FailureKind.PROTOCOL_ERROR);
            assertThat(failure.message()).contains("the server answered the login with a referral to " + referral
                    + "; referrals are never followed");
            assertThat(server.connectionCount()).isEqualTo(1);
            assertThat(trap.connectionCount()).as("the referred-to server was never contacted").isZero();
            assertThat(store.messages(ACCOUNT)).isEmpty();
            assertNoSecretInCleartext();
        }
    }

    @Test
    void aMailboxReferralIsNeverFollowed() {
        try (ScriptedImapServer trap = ScriptedImapServer.start(mailbox().script())) {
            Map<String, List<String>> answers = new java.util.LinkedHashMap<>();
            answers.put("(?i)" + TAG + " EXAMINE .*",
                    List.of("{tag} NO [REFERRAL imap://127.0.0.1:" + trap.port() + "/INBOX] Remote mailbox"));
            answers.putAll(mailbox().answers());
            SyncReport report = sync(beforeTls(BEFORE_TLS, "{tag} OK Begin TLS").startTls(CERTIFICATE)
                    .answerCommands(answers));
            trap.close();

            assertThat(report.status()).as(String.valueOf(report)).isNotEqualTo(SyncStatus.OK);
            assertThat(report.failure().orElseThrow().message()).contains("INBOX");
            assertThat(server.connectionCount()).isEqualTo(1);
            assertThat(trap.connectionCount()).as("the referred-to server was never contacted").isZero();
            assertThat(store.messages(ACCOUNT)).isEmpty();
        }
    }

    @ParameterizedTest(name = "greeting {0}")
    @ValueSource(strings = {"\u0000\u0001\u00ff\u00fe\u0016\u0003\u0001 garbage", "*", "OK IMAP ready",
        "* NO [UNAVAILABLE] maintenance"})
    void aGarbledGreetingIsAProtocolErrorWithoutCredentials(String greeting) {
        Failure failure = refused(new Script().send(greeting).answerCommands(mailbox().answers()),
                FailureKind.PROTOCOL_ERROR);

        assertThat(failure.message()).startsWith("Account " + ACCOUNT).contains("the server closed the connection: ")
                .doesNotContainPattern("\\p{Cntrl}");
        assertThat(failure.hint()).contains("is the IMAP server");
    }

    // ---------------------------------------------------------------- helpers

    /** Greeting with {@code capabilities}; CAPABILITY answered; STARTTLS answered with {@code lines} (none if null). */
    private static Script beforeTls(String capabilities, String... lines) {
        List<String> answer = lines == null || lines.length == 1 && lines[0] == null ? List.of() : List.of(lines);
        return new Script().send("* OK [CAPABILITY " + capabilities + "] scripted server ready")
                .answerCommandsUntil(STARTTLS, Map.of(
                        "(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + capabilities, "{tag} OK done"),
                        STARTTLS, answer));
    }

    private static ScriptedMailbox mailbox() {
        return mailbox(AFTER_TLS);
    }

    private static ScriptedMailbox mailbox(String capabilities) {
        return new ScriptedMailbox(capabilities, 7, 2);
    }

    private SyncReport sync(Script script) {
        return sync(script, Duration.ofSeconds(5));
    }

    private SyncReport sync(Script script, Duration readTimeout) {
        server = ScriptedImapServer.start(script);
        SyncReport report = ScriptedMailbox.engine(store, 10).sync(ScriptedMailbox.account(server.port(),
                Security.STARTTLS).readTimeout(readTimeout).build(), inbox());
        server.close();
        return report;
    }

    /** Syncs; the sync must fail with one of {@code kinds}, having sent no credentials at all and stored nothing. */
    private Failure refused(Script script, FailureKind... kinds) {
        return refused(script, Duration.ofSeconds(5), kinds);
    }

    private Failure refused(Script script, Duration readTimeout, FailureKind... kinds) {
        SyncReport report = sync(script, readTimeout);

        Failure failure = report.failure().orElseThrow(() -> new AssertionError("expected a failure: " + report));
        assertThat(failure.kind()).as(failure.toString()).isIn((Object[]) kinds);
        assertThat(report.status()).isEqualTo(SyncStatus.of(failure.kind()));
        assertThat(store.messages(ACCOUNT)).isEmpty();
        assertThat(server.commandsMatching("(?is)" + TAG + " (LOGIN|AUTHENTICATE)( .*)?")).as("no login attempt")
                .isZero();
        assertNoSecretReceived();
        return failure;
    }

    private void assertNoSecretInCleartext() {
        assertThat(server.linesBeforeTls()).as("what the server received in cleartext")
                .noneMatch(line -> wireForms().stream().anyMatch(line::contains));
    }

    private void assertNoSecretReceived() {
        assertThat(server.receivedLines()).extracting(ReceivedLine::text).as("everything the server received")
                .noneMatch(line -> wireForms().stream().anyMatch(line::contains));
    }

    private static List<String> wireForms() {
        return List.of(PASSWORD, Base64.getEncoder().encodeToString(("\0" + OWNER + "\0" + PASSWORD).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }
}
