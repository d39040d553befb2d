package dev.imapsync.hostile;

import static dev.imapsync.hostile.ScriptedMailbox.ACCOUNT;
import static dev.imapsync.hostile.ScriptedMailbox.TAG;
import static dev.imapsync.hostile.ScriptedMailbox.fetch;
import static dev.imapsync.hostile.ScriptedMailbox.fetchLine;
import static dev.imapsync.hostile.ScriptedMailbox.inbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers nested far deeper than any real one, or with parentheses never closed, in every
 * response the probe and the sync parse: the LIST answer of the finding (200,000 parentheses
 * that ended the probe with an {@code ArrayIndexOutOfBoundsException}), the capabilities of a
 * login, EXAMINE's PERMANENTFLAGS, SEARCH, ESEARCH and a FETCH's BODYSTRUCTURE. Each ends as a
 * PROTOCOL_ERROR that names what the server did, within seconds; a sync writes nothing and a
 * rerun against a healthy server records every message once. Answers nested up to the limit
 * are read as before.
 */
class DeepNestingTest {
    private static final String CAPABILITIES = "IMAP4rev1 ESEARCH";
    private static final String DEEP = "(".repeat(200_000);
    private static final String TOO_DEEP = "nested more than 128 parentheses deep";
    private static final ConnectionProber PROBER = ConnectionProber.builder().deadline(Duration.ofSeconds(10)).build();

    private final InMemorySyncStore store = new InMemorySyncStore();
    private ScriptedImapServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> hostileListAnswers() {
        return Stream.of(
                Arguments.of("200,000 deep, never closed", "* LIST (" + DEEP + "\\HasNoChildren) \"/\" INBOX", TOO_DEEP),
                Arguments.of("200,000 deep, closed", "* LIST (\\HasNoChildren) \"/\" INBOX " + DEEP
                        + ")".repeat(200_000), TOO_DEEP),
                Arguments.of("129 deep", "* LIST (\\HasNoChildren) \"/\" INBOX " + "(".repeat(129)
                        + ")".repeat(129), TOO_DEEP),
                Arguments.of("never closed", "* LIST ((\\HasNoChildren \"/\" INBOX",
                        "a parenthesis that nothing after it closes"),
                Arguments.of("a brace that is no literal", "* LIST () \"/\" {abc", "'{' that announces no literal"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileListAnswers")
    void aHostileListAnswerEndsTheProbeAsAProtocolErrorThatSaysWhatTheServerDid(String name, String answer,
                                                                                String words) {
        ProbeResult result = probe(mailbox -> mailbox.answer("(?i)" + TAG + " LIST .*", answer,
                "{tag} OK LIST completed"));

        Failure failure = result.failure().orElseThrow(() -> new AssertionError(String.valueOf(result)));
        assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
        assertThat(failure.message()).contains("while listing folders: the server sent a").contains(words)
                .doesNotContain("Exception");
    }

    @Test
    void aListAnswerNestedUpToTheLimitIsRead() {
        ProbeResult result = probe(mailbox -> mailbox.answer("(?i)" + TAG + " LIST .*",
                "* LIST (\\HasNoChildren) \"/\" INBOX " + "(".repeat(128) + ")".repeat(128),
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent", "{tag} OK LIST completed"));

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.folders()).extracting(MailFolder::name).containsExactly("INBOX", "Sent");
    }

    @Test
    void capabilitiesNested200000DeepInTheLoginsAnswerAreAProtocolError() {
        ProbeResult result = probe(mailbox -> mailbox.answer("(?si)" + TAG + " LOGIN .*",
                "{tag} OK [CAPABILITY IMAP4rev1 " + DEEP + "] Logged in"));

        Failure failure = result.failure().orElseThrow(() -> new AssertionError(String.valueOf(result)));
        assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
        assertThat(failure.message()).contains(TOO_DEEP);
    }

    static Stream<Arguments> hostileSyncAnswers() {
        String examine = "(?is)" + TAG + " EXAMINE (INBOX|\"INBOX\")( \\(CONDSTORE\\))?";
        String search = "(?is)" + TAG + " UID SEARCH .*";
        return Stream.of(
                Arguments.of("EXAMINE: PERMANENTFLAGS 200,000 deep", examine, new String[] {
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                    "* OK [PERMANENTFLAGS (" + DEEP + ")] Read-only mailbox.",
                    "* 4 EXISTS", "* OK [UIDVALIDITY 7] UIDs valid", "{tag} OK [READ-ONLY] EXAMINE completed"},
                        TOO_DEEP),
                Arguments.of("EXAMINE: PERMANENTFLAGS never closed", examine, new String[] {
                    "* OK [PERMANENTFLAGS (\\Seen] Read-only mailbox.", "* 4 EXISTS",
                    "* OK [UIDVALIDITY 7] UIDs valid", "{tag} OK [READ-ONLY] EXAMINE completed"},
                        "a parenthesis that nothing after it closes"),
                Arguments.of("ESEARCH 200,000 deep", search, new String[] {
                    "* ESEARCH " + DEEP + "TAG \"x\") UID MIN 1 COUNT 4", "{tag} OK SEARCH completed"}, TOO_DEEP),
                Arguments.of("SEARCH 200,000 deep", search, new String[] {
                    "* SEARCH 1 2 3 4 " + DEEP, "{tag} OK SEARCH completed"}, TOO_DEEP),
                Arguments.of("FETCH: a BODYSTRUCTURE 200,000 deep", fetch(1, 2), new String[] {
                    "* 1 FETCH (UID 1 BODYSTRUCTURE " + DEEP + ")".repeat(200_000) + ")", fetchLine(2, 2),
                    "{tag} OK FETCH completed"}, TOO_DEEP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileSyncAnswers")
    void aHostileAnswerEndsTheSyncAsAProtocolErrorWithNothingWritten(String name, String command, String[] answer,
                                                                     String words) {
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), index -> index == 0
                ? new ScriptedMailbox(CAPABILITIES, 7, 4).answer(command, answer).script()
                : new ScriptedMailbox(CAPABILITIES, 7, 4).script());
        var account = ScriptedMailbox.account(server.port(), Security.SSL_TLS).build();

        SyncReport report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ScriptedMailbox.engine(store, 2).sync(account, inbox()));

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.ERROR);
        Failure failure = report.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
        assertThat(failure.message()).contains("Account " + ACCOUNT).contains("INBOX").contains(words);
        assertThat(store.messages(ACCOUNT)).isEmpty();

        SyncReport rerun = ScriptedMailbox.engine(store, 2).sync(account, inbox());
        assertThat(rerun.status()).as(String.valueOf(rerun)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L, 4L);
    }

    private ProbeResult probe(UnaryOperator<ScriptedMailbox> answers) {
        ScriptedMailbox mailbox = answers.apply(new ScriptedMailbox(CAPABILITIES, 7, 4)
                .answer("(?i)" + TAG + " LIST .*", "* LIST (\\HasNoChildren) \"/\" INBOX", "{tag} OK LIST completed"));
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), mailbox.script());
        return assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> PROBER.probe(ScriptedMailbox.account(server.port(), Security.SSL_TLS).build()));
    }
}
