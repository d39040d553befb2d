package dev.imapsync.connect;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.transport.Failures;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificate;
import dev.imapsync.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The prober against scripted servers that break the rules on purpose: STARTTLS stripped,
 * refused or followed by injected bytes, PREAUTH downgrades, a man in the middle that only
 * attacks the login connection, OAuth2 tokens offered to servers without XOAUTH2, providers'
 * refusals and servers that never answer. Each test states what the prober concludes and,
 * above all, what reached the server: credentials only ever over TLS, and only once.
 *
 * <p>The scripts never depend on which connection is which. A STARTTLS check of the configured
 * port runs beside an implicit TLS check of the same port, whose ClientHello arrives as binary
 * garbage on some connection and fails on the plaintext greeting; phase 1 uses tags {@code p1},
 * {@code p2}, …, Angus's login connection {@code A0}, {@code A1}, … (or {@code B0}, …: see
 * {@link #ANGUS_TAG}). Where the login connection must behave differently, the script is chosen
 * by what the server has already seen ({@link #switchingAfterTransportCheck}), not by
 * connection number.
 */
class ConnectionProberScriptedTest {
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOKEN = "ya29.secret-token";
    private static final TestCertificate CERTIFICATE = TestCertificates.localhost();

    private static final ConnectionProber PROBER = ConnectionProber.builder()
            .deadline(Duration.ofSeconds(5)).transportTimeout(Duration.ofSeconds(3)).build();

    /** For the trickling servers: a deadline that is quick to reach. */
    private static final ConnectionProber QUICK = ConnectionProber.builder()
            .deadline(Duration.ofSeconds(2)).transportTimeout(Duration.ofMillis(500)).build();

    private static final String AUTH_COMMAND = "(?is)\\S+ (LOGIN|AUTHENTICATE)( .*)?";
    private static final String CHECK_TAGGED = "p\\d+ .*";
    /** Angus tags each connection with its own prefix: A0, A1, … on one, B0, B1, … on the next, up to ZZZ. */
    private static final String ANGUS_TAG = "[A-Z]{1,3}\\d+";
    private static final String ANGUS_TAGGED = "(?s)" + ANGUS_TAG + " .*";

    // ---------------------------------------------------------------- phase 1: the transport check

    @Test
    void starttlsStrippedFromCapabilitiesIsInsecureRefusedAndNoCredentialsAreSent() {
        // STRIPTLS: a device between us and the server removes STARTTLS from every CAPABILITY.
        Script stripped = new Script()
                .send("* OK IMAP4rev1 ready")
                .answerCommands(Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 AUTH=PLAIN"),
                        AUTH_COMMAND, List.of("{tag} OK logged in")));
        try (ScriptedImapServer server = ScriptedImapServer.start(stripped)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.INSECURE_REFUSED);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS, "the server answers only in"
                    + " cleartext (no STARTTLS offered) and no TLS port answered; this account does not allow"
                    + " cleartext, so no credentials were sent"));
            assertThat(failure.hint()).contains("offers no encryption").contains("--allow-insecure");
            assertThat(result.attempts())
                    .extracting(a -> a.endpoint().security(), ProbeAttempt::step, ProbeAttempt::outcome)
                    .containsExactly(
                            tuple(Security.STARTTLS, ProbeAttempt.Step.TRANSPORT, "STARTTLS_UNAVAILABLE"),
                            tuple(Security.SSL_TLS, ProbeAttempt.Step.TRANSPORT, "TLS_HANDSHAKE"),
                            tuple(Security.SSL_TLS, ProbeAttempt.Step.TRANSPORT, "CONNECTION_REFUSED"),
                            tuple(Security.STARTTLS, ProbeAttempt.Step.TRANSPORT, "CONNECTION_REFUSED"));
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertThat(server.commandsMatching(ANGUS_TAGGED)).as("no login connection at all").isZero();
            assertThat(texts(server.receivedLines())).filteredOn(line -> line.matches(CHECK_TAGGED))
                    .containsExactly("p1 CAPABILITY");
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @ParameterizedTest(name = "STARTTLS answered {0}")
    @ValueSource(strings = {"NO STARTTLS is temporarily unavailable", "BAD Unknown command"})
    void starttlsRefusedIsStarttlsUnavailableQuotingTheServer(String answer) {
        // The server (or a device in between) announces STARTTLS and then refuses it.
        Script refusing = new Script()
                .send("* OK IMAP4rev1 ready")
                .answerCommands(Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of("{tag} " + answer),
                        AUTH_COMMAND, List.of("{tag} OK logged in")));
        try (ScriptedImapServer server = ScriptedImapServer.start(refusing)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.STARTTLS_UNAVAILABLE);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS,
                    "the server answered STARTTLS with: p2 " + answer + otherModesFailed(server)));
            assertThat(failure.hint()).contains("Use implicit TLS instead").contains("do not switch to cleartext");
            assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
            assertThat(texts(server.receivedLines())).filteredOn(line -> line.matches(CHECK_TAGGED))
                    .containsExactly("p1 CAPABILITY", "p2 STARTTLS");
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @Test
    void preauthGreetingOnThePlainPortIsRefusedBeforeAnyCommand() {
        // PREAUTH downgrade: an already authenticated session can never be upgraded with STARTTLS.
        Script preauth = new Script()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] Logged in as alice")
                .answerCommands(Map.of("(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS")));
        try (ScriptedImapServer server = ScriptedImapServer.start(preauth)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.STARTTLS_UNAVAILABLE);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS, "the server greeted with PREAUTH"
                    + " before TLS, which makes STARTTLS impossible (a known downgrade attack); refused"
                    + otherModesFailed(server)));
            assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
            // Not even CAPABILITY: the greeting alone decides. (The other lines are the ClientHello of the ssl check.)
            assertThat(server.commandsMatching(CHECK_TAGGED)).isZero();
            assertThat(server.commandsMatching(ANGUS_TAGGED)).isZero();
        }
    }

    @Test
    void bytesInjectedAfterBeginTlsAreRefusedAndNeverUsed() {
        // STARTTLS command injection (CVE-2011-0411 style): responses planted in the same segment
        // as "OK Begin TLS" would be read as if they had come over TLS.
        Script injecting = new Script()
                .send("* OK IMAP4rev1 ready")
                .answerCommandsUntil("(?i)\\S+ STARTTLS", Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of()))
                .sendRawThenStartTls("{tag} OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN X-INJECTED\r\n",
                        CERTIFICATE)
                .answerCommands(loggedIn("IMAP4rev1 AUTH=PLAIN"));
        try (ScriptedImapServer server = ScriptedImapServer.start(injecting)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS, "the server sent data after"
                    + " accepting STARTTLS and before the TLS handshake (a known injection attack); refused"
                    + otherModesFailed(server)));
            assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
            assertThat(result.capabilities()).isEmpty();
            assertThat(server.receivedLines()).as("nothing after the refused STARTTLS, not even a handshake")
                    .noneMatch(ReceivedLine::tls);
            assertThat(texts(server.receivedLines())).filteredOn(line -> line.matches(CHECK_TAGGED))
                    .containsExactly("p1 CAPABILITY", "p2 STARTTLS");
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @Test
    void starttlsAnsweredWithAContinuationIsAProtocolErrorWithoutCredentials() {
        Script continuing = new Script()
                .send("* OK IMAP4rev1 ready")
                .answerCommands(Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of("+ go ahead")));
        try (ScriptedImapServer server = ScriptedImapServer.start(continuing)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS,
                    "the server sent an unexpected line: + go ahead" + otherModesFailed(server)));
            assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
            assertThat(server.receivedLines()).noneMatch(ReceivedLine::tls);
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @Test
    void untaggedResponsesInjectedBeforeBeginTlsAreNeverTrusted() {
        // Cleartext answers ahead of the tagged OK (capabilities, an alert, a message, a folder) are
        // ignored; the capabilities reported and used are those asked for again over TLS.
        Script injecting = new Script()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .answerCommandsUntil("(?i)\\S+ STARTTLS", Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of(
                                "* CAPABILITY IMAP4rev1 AUTH=PLAIN X-INJECTED",
                                "* OK [ALERT] Your account is suspended: log in at http://evil.example",
                                "* 1 EXISTS",
                                "* 1 FETCH (UID 99 FLAGS (\\Seen))",
                                "* LIST () \"/\" Evil",
                                "{tag} OK Begin TLS negotiation now")))
                .startTls(CERTIFICATE)
                .answerCommands(loggedIn("IMAP4rev1 AUTH=PLAIN"));
        try (ScriptedImapServer server = ScriptedImapServer.start(injecting)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            assertThat(result.capabilities()).doesNotContain("X-INJECTED");
            assertThat(result.folders()).extracting(MailFolder::name).doesNotContain("Evil");
            assertNoSecretBeforeTls(server, PASSWORD);
        }
    }

    @Test
    void aBinaryGreetingIsNamedPrintably() {
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script()
                .sendRaw(new byte[] {0, 1, (byte) 0xff, 0x16, 3, 1, 'x', '\r', '\n'}).silence())) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
            assertThat(failure.message()).startsWith(prefix(server.port(), Security.STARTTLS)
                    + "the server's greeting is not IMAP: ").doesNotContainPattern("\\p{Cntrl}");
            assertThat(server.commandsMatching(CHECK_TAGGED)).isZero();
        }
    }

    // ---------------------------------------------------------------- phase 2: the one login

    @Test
    void goodStartTlsServerLogsInOnceOverTlsAndListsFoldersWithRoles() {
        try (ScriptedImapServer server = ScriptedImapServer.start(
                honestStartTls(loggedIn("IMAP4rev1 AUTH=PLAIN SPECIAL-USE LIST-EXTENDED")))) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            assertThat(result.endpoint()).contains(Endpoint.of("127.0.0.1", server.port(), Security.STARTTLS));
            assertThat(result.provider()).isEqualTo(MailProvider.GENERIC);
            assertThat(result.capabilities()).contains("IMAP4REV1", "SPECIAL-USE", "LIST-EXTENDED");
            assertThat(result.folders()).extracting(MailFolder::name)
                    .containsExactly("INBOX", "Sent", "Trash", "Projects");
            assertThat(folder(result, "INBOX").roles()).containsExactly(FolderRole.INBOX);
            assertThat(folder(result, "Sent").roles()).containsExactly(FolderRole.SENT);
            assertThat(folder(result, "Trash").roles()).containsExactly(FolderRole.TRASH);
            assertThat(folder(result, "Projects").roles()).isEmpty();
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "OK"));

            assertThat(server.commandsMatching(AUTH_COMMAND)).as("one login in all").isEqualTo(1);
            assertThat(server.linesBeforeTls()).noneMatch(line -> line.matches(AUTH_COMMAND));
            assertNoSecretBeforeTls(server, PASSWORD);
            List<ReceivedLine> login = loginConnection(server);
            assertThat(login).filteredOn(line -> !line.tls()).extracting(ReceivedLine::text)
                    .as("the login connection's only cleartext command")
                    .singleElement().asString().matches(ANGUS_TAG + " STARTTLS");
            assertThat(login).filteredOn(ReceivedLine::tls).extracting(ReceivedLine::text)
                    .as("the PLAIN response went over TLS").contains(base64("\0" + USER + "\0" + PASSWORD))
                    .anyMatch(line -> line.matches(ANGUS_TAG + " LIST \"\" \"\\*\" RETURN \\(SPECIAL-USE\\)"));
        }
    }

    @Test
    void wrongPasswordIsAuthFailedAfterExactlyOneAuthentication() {
        // Providers lock accounts that retry bad passwords: one attempt, never one per mode.
        Map<String, List<String>> refusing = new LinkedHashMap<>();
        refusing.put("(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 AUTH=PLAIN"));
        refusing.put("(?i)\\S+ AUTHENTICATE PLAIN",
                List.of("+ ", "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials"));
        refusing.put("(?is)\\S+ LOGIN .*", List.of("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials"));
        try (ScriptedImapServer server = ScriptedImapServer.start(honestStartTls(refusing))) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS,
                    "the server rejected the credentials: [AUTHENTICATIONFAILED] Invalid credentials"));
            assertThat(failure.message()).doesNotContain(PASSWORD)
                    .doesNotContain(base64("\0" + USER + "\0" + PASSWORD));
            assertThat(failure.hint()).isEqualTo(MailProvider.GENERIC.authHint());
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "AUTH_FAILED"));
            assertThat(server.commandsMatching(AUTH_COMMAND)).as("across all connections").isEqualTo(1);
            assertNoSecretBeforeTls(server, PASSWORD);
        }
    }

    @Test
    void manInTheMiddleStrippingStartTlsOnlyOnTheLoginConnectionIsRefused() {
        // The transport check saw STARTTLS; the login connection is intercepted and STARTTLS removed,
        // hoping the client logs in anyway now that the mode is "known good".
        Script stripping = new Script()
                .send("* OK IMAP4rev1 ready")
                .answerCommands(Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 AUTH=PLAIN"),
                        "(?i)\\S+ AUTHENTICATE PLAIN", List.of("+ ", "{tag} OK logged in"),
                        "(?is)\\S+ LOGIN .*", List.of("{tag} OK logged in")));
        try (ScriptedImapServer server = switchingAfterTransportCheck(false,
                honestStartTls(loggedIn("IMAP4rev1 AUTH=PLAIN")), stripping)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.STARTTLS_UNAVAILABLE);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS,
                    "the server does not offer STARTTLS"));
            assertThat(failure.hint()).contains("a device between you and the server may be removing it");
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "STARTTLS_UNAVAILABLE"));
            assertThat(loginConnection(server)).extracting(ReceivedLine::text).allMatch(line -> line.matches(
                    ANGUS_TAG + " (CAPABILITY|LOGOUT)"));
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @Test
    void manInTheMiddleGreetingWithPreauthOnlyOnTheLoginConnectionIsRefused() {
        // PREAUTH on the login connection would put us, unencrypted, in a mailbox of the attacker's choosing.
        Script preauth = new Script()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] Logged in as alice")
                .answerCommands(loggedIn("IMAP4rev1 STARTTLS"));
        try (ScriptedImapServer server = switchingAfterTransportCheck(false,
                honestStartTls(loggedIn("IMAP4rev1 AUTH=PLAIN")), preauth)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.STARTTLS_UNAVAILABLE);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS, "the server greeted with PREAUTH"
                    + " before TLS, which makes STARTTLS impossible (a known downgrade attack); refused"));
            assertThat(result.folders()).isEmpty();
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "STARTTLS_UNAVAILABLE"));
            assertThat(server.commandsMatching(ANGUS_TAGGED)).as("not a single command on the PREAUTH connection")
                    .isZero();
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @ParameterizedTest(name = "STARTTLS answered {0} on the login connection")
    @ValueSource(strings = {"NO STARTTLS is temporarily unavailable", "BAD Unknown command"})
    void starttlsRefusedOnlyOnTheLoginConnectionIsStarttlsUnavailable(String answer) {
        // Announced but refused on the login connection only: the refusal must be named as such.
        Script refusing = new Script()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .answerCommands(Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of("{tag} " + answer)));
        try (ScriptedImapServer server = switchingAfterTransportCheck(false,
                honestStartTls(loggedIn("IMAP4rev1 AUTH=PLAIN")), refusing)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).as(failure.toString()).isEqualTo(FailureKind.STARTTLS_UNAVAILABLE);
            assertThat(failure.message())
                    .startsWith(prefix(server.port(), Security.STARTTLS))
                    .contains("STARTTLS").contains(answer.substring(answer.indexOf(' ') + 1));
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "STARTTLS_UNAVAILABLE"));
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @Test
    void manInTheMiddleInjectingAfterBeginTlsOnlyOnTheLoginConnectionIsRefused() {
        // The transport check sees an honest upgrade; on the login connection, responses ride in the
        // same segment as "OK Begin TLS". Angus alone would drop them silently; they fail the login.
        Script injecting = new Script()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .answerCommandsUntil("(?i)\\S+ STARTTLS", Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of()))
                .sendRawThenStartTls("{tag} OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN X-INJECTED\r\n",
                        CERTIFICATE)
                .answerCommands(loggedIn("IMAP4rev1 AUTH=PLAIN"));
        try (ScriptedImapServer server = switchingAfterTransportCheck(false,
                honestStartTls(loggedIn("IMAP4rev1 AUTH=PLAIN")), injecting)) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS, "the server sent data after"
                    + " accepting STARTTLS and before the TLS handshake (a known injection attack); refused"));
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "PROTOCOL_ERROR"));
            assertThat(loginConnection(server)).as("no handshake, no login on the attacked connection")
                    .noneMatch(ReceivedLine::tls);
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertNoSecretReceived(server, PASSWORD);
        }
    }

    @Test
    void aLoginReferralIsNeverFollowed() {
        // RFC 2221: a login referral asks the client to take the same password to another server;
        // here that server is a trap that counts its connections.
        try (ScriptedImapServer trap = ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                .send("* OK IMAP4rev1 trap").answerCommands(loggedIn("IMAP4rev1 AUTH=PLAIN")))) {
            String referral = "imap://alice%40example.test@127.0.0.1:" + trap.port() + "/";
            try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                    .send("* OK IMAP4rev1 ready")
                    .answerCommands(refusingLogin("IMAP4rev1 LOGIN-REFERRALS",
                            "{tag} NO [REFERRAL " + referral + "] Your mailbox moved")))) {
                ProbeResult result = PROBER.probe(account(server, Security.SSL_TLS).build());
                server.close();
                trap.close();

                Failure failure = result.failure().orElseThrow();
                assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
                assertThat(failure.message()).isEqualTo(message(server, Security.SSL_TLS, "the server answered the"
                        + " login with a referral to " + referral + "; referrals are never followed"));
                assertThat(server.commandsMatching(AUTH_COMMAND)).isEqualTo(1);
                assertThat(trap.connectionCount()).as("the referred-to server was never contacted").isZero();
            }
        }
    }

    @Test
    void oauth2TokenIsNotSentToAServerWithoutXoauth2() {
        // Angus would fall back to LOGIN with the token as the password; the token must stay home.
        Script noXoauth2 = new Script()
                .send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready")
                .answerCommands(loggedIn("IMAP4rev1 AUTH=PLAIN SASL-IR"));
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, noXoauth2)) {
            ProbeResult result = PROBER.probe(oauth2Account(server));
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
            assertThat(failure.message()).isEqualTo(message(server, Security.SSL_TLS,
                    "the server offers neither AUTHENTICATE XOAUTH2 nor OAUTHBEARER, so no OAuth2 access token was"
                            + " asked for or sent"));
            assertThat(failure.hint()).contains("authorize the application again").contains("offers XOAUTH2");
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "AUTH_FAILED"));
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
            assertNoSecretReceived(server, TOKEN);
        }
    }

    @Test
    void capabilitiesInATlsGreetingAreNotAskedForAgainByTheCheck() {
        // Dovecot and Cyrus list their capabilities in the greeting; over implicit TLS that list is
        // as trustworthy as CAPABILITY's answer, and asking again would cost the probe a round trip.
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready")
                .answerCommands(loggedIn("IMAP4rev1 SASL-IR AUTH=PLAIN")))) {
            ProbeResult result = PROBER.probe(account(server, Security.SSL_TLS).build());
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "OK"));
            assertThat(texts(server.receivedLines())).filteredOn(line -> line.matches(CHECK_TAGGED))
                    .containsExactly("p1 LOGOUT");
            assertThat(server.commandsMatching(AUTH_COMMAND)).isEqualTo(1);
        }
    }

    @Test
    void oauth2TokenIsSentOnlyInAuthenticateXoauth2() {
        Map<String, List<String>> xoauth2 = loggedIn("IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR");
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                .send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR] ready")
                .answerCommands(xoauth2))) {
            ProbeResult result = PROBER.probe(oauth2Account(server));
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            assertThat(result.endpoint()).contains(Endpoint.of("127.0.0.1", server.port(), Security.SSL_TLS));
            String response = base64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
            assertThat(server.receivedLines()).filteredOn(line -> line.text().contains(response))
                    .singleElement().satisfies(line -> {
                        assertThat(line.tls()).isTrue();
                        assertThat(line.text()).matches(ANGUS_TAG + " AUTHENTICATE XOAUTH2 " + response);
                    });
            assertThat(server.commandsMatching(AUTH_COMMAND)).isEqualTo(1);
            assertThat(server.receivedLines()).noneMatch(line -> line.text().contains(TOKEN));
        }
    }

    @Test
    void gmailSayingImapIsDisabledIsImapDisabledWithGmailAdvice() {
        // Gmail's answer when IMAP is switched off in the account's settings; the host is not
        // Google's, the capabilities give Gmail away.
        String alert = "[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and"
                + " enable your account for IMAP access. (Failure)";
        String gmailCapabilities = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR"
                + " AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER";
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                .send("* OK Gimap ready for requests from 127.0.0.1 z1mb00000000000abc")
                .answerCommands(refusingLogin(gmailCapabilities, "{tag} NO " + alert)))) {
            ProbeResult result = PROBER.probe(account(server, Security.SSL_TLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.IMAP_DISABLED);
            assertThat(failure.message()).isEqualTo(message(server, Security.SSL_TLS,
                    "the server says IMAP is not enabled: " + alert));
            assertThat(result.provider()).isEqualTo(MailProvider.GMAIL);
            assertThat(failure.hint()).isEqualTo(MailProvider.GMAIL.imapDisabledHint())
                    .contains("Turn on IMAP in Gmail").contains("Enable IMAP");
            assertThat(server.commandsMatching(AUTH_COMMAND)).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- throttling

    @Test
    void byeGreetingWithTooManyConnectionsIsThrottled() {
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script()
                .send("* BYE [UNAVAILABLE] Too many simultaneous connections")
                .silence())) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.THROTTLED);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS, "the server refused the"
                    + " connection: * BYE [UNAVAILABLE] Too many simultaneous connections" + otherModesFailed(server)));
            assertThat(failure.hint()).contains("wait a few minutes");
            assertThat(server.commandsMatching(CHECK_TAGGED)).isZero();
            assertThat(server.commandsMatching(ANGUS_TAGGED)).isZero();
        }
    }

    @Test
    void loginAnsweredWithLimitIsThrottled() {
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                .send("* OK IMAP4rev1 ready")
                .answerCommands(refusingLogin("IMAP4rev1 IDLE",
                        "{tag} NO [LIMIT] Too many simultaneous connections")))) {
            ProbeResult result = PROBER.probe(account(server, Security.SSL_TLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.THROTTLED);
            assertThat(failure.message()).isEqualTo(message(server, Security.SSL_TLS,
                    "the server asks to slow down: [LIMIT] Too many simultaneous connections"));
            assertThat(failure.hint()).contains("wait a few minutes");
            assertThat(server.commandsMatching("(?is)" + ANGUS_TAG + " LOGIN .*")).isEqualTo(1);
            assertThat(server.commandsMatching(AUTH_COMMAND)).isEqualTo(1);
        }
    }

    @Test
    void byeOnTheLoginConnectionIsThrottled() {
        // The transport check got in; by the time of the login, the per-account connection limit is reached.
        Script full = new Script().send("* BYE [UNAVAILABLE] Too many simultaneous connections").silence();
        try (ScriptedImapServer server = switchingAfterTransportCheck(true,
                new Script().send("* OK IMAP4rev1 ready").answerCommands(loggedIn("IMAP4rev1 AUTH=PLAIN")), full)) {
            ProbeResult result = PROBER.probe(account(server, Security.SSL_TLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).as(failure.toString()).isEqualTo(FailureKind.THROTTLED);
            assertThat(failure.message()).startsWith(prefix(server.port(), Security.SSL_TLS))
                    .contains("Too many simultaneous connections");
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "THROTTLED"));
            assertThat(server.commandsMatching(AUTH_COMMAND)).isZero();
        }
    }

    // ---------------------------------------------------------------- not IMAP, or not answering

    @ParameterizedTest(name = "greeting: {0}")
    @ValueSource(strings = {"HTTP/1.1 400 Bad Request", "SSH-2.0-OpenSSH_9.6", "220 mail.example.test ESMTP Postfix"})
    void somethingElseThanImapIsAProtocolErrorNamingWhatCame(String greeting) {
        // The wrong port: a web, SSH or SMTP server.
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script().send(greeting).silence())) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS,
                    "the server's greeting is not IMAP: " + greeting + otherModesFailed(server)));
            assertThat(failure.hint()).contains("is the IMAP server (not SMTP, POP3 or a web port)");
            assertThat(server.commandsMatching(CHECK_TAGGED)).isZero();
        }
    }

    @Test
    void capabilityNeverAnsweredIsTimeoutWithinTheDeadline() {
        try (ScriptedImapServer server = ScriptedImapServer.start(
                new Script().send("* OK IMAP4rev1 ready").silence())) {
            ProbeResult result = PROBER.probe(account(server, Security.STARTTLS).build());
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(failure.message()).isEqualTo(message(server, Security.STARTTLS,
                    "no answer while asking for capabilities" + otherModesFailed(server)));
            assertThat(failure.hint()).contains("did not answer in time");
            assertThat(result.duration()).isLessThan(PROBER.deadline());
            assertThat(texts(server.receivedLines())).filteredOn(line -> line.matches(CHECK_TAGGED))
                    .containsExactly("p1 CAPABILITY");
        }
    }

    // ---------------------------------------------------------------- slowloris: answers that never end

    @Test
    void capabilityTrickledForeverIsTimeoutAtTheDeadline() throws IOException {
        // Slowloris: a byte every 50 ms means no read ever times out; only the probe's deadline ends it.
        try (TricklingServer server = TricklingServer.plain("p\\d+ CAPABILITY")) {
            ProbeResult result = QUICK.probe(account(server.port(), Security.STARTTLS).build());

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(failure.message()).startsWith(prefix(server.port(), Security.STARTTLS)
                    + "no answer within the probe's deadline");
            assertThat(result.duration()).isLessThan(QUICK.deadline().plusMillis(500));
            assertThat(server.trickled()).as("the check was trickled to").isEqualTo(1);
        }
    }

    @Test
    void alternativesThatFailedBeforeTheDeadlineAreReportedAsTheyFailed() throws IOException {
        // The ssl check and the closed ports had failed long before the deadline: "TIMEOUT" would mislead.
        try (TricklingServer server = TricklingServer.plain("p\\d+ CAPABILITY")) {
            ProbeResult result = QUICK.probe(account(server.port(), Security.STARTTLS).build());

            assertThat(result.attempts()).extracting(a -> a.endpoint().security(), ProbeAttempt::outcome)
                    .containsExactly(
                            tuple(Security.STARTTLS, "TIMEOUT"),
                            tuple(Security.SSL_TLS, "TLS_HANDSHAKE"),
                            tuple(Security.SSL_TLS, "CONNECTION_REFUSED"),
                            tuple(Security.STARTTLS, "CONNECTION_REFUSED"));
            assertThat(result.failure().orElseThrow().message())
                    .startsWith(prefix(server.port(), Security.STARTTLS) + "no answer within the probe's deadline")
                    .endsWith(otherModesFailed(server.port()) + ".");
        }
    }

    @Test
    void aTrickledTransportCheckIsClosedWhenTheProbeAnswers() throws IOException {
        // A check left reading after the probe answered holds a thread and a connection for as long
        // as the server keeps trickling, and counts against the account's connection limit.
        try (TricklingServer server = TricklingServer.plain("p\\d+ CAPABILITY")) {
            ProbeResult result = QUICK.probe(account(server.port(), Security.STARTTLS).build());

            assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(server.awaitNoneTrickling(Duration.ofSeconds(2)))
                    .as("the trickled connection was closed within 2 s after the probe answered").isTrue();
        }
    }

    @Test
    void capabilityTrickledOnTheLoginConnectionIsTimeoutAtTheDeadline() throws IOException {
        // The transport check is answered at once; the login connection is trickled to.
        try (TricklingServer server = TricklingServer.implicitTls(CERTIFICATE, ANGUS_TAG + " CAPABILITY")) {
            ImapAccount account = account(server.port(), Security.SSL_TLS).build();

            ProbeResult result = assertTimeoutPreemptively(QUICK.deadline().plusSeconds(3), () -> QUICK.probe(account),
                    "the probe must answer within its deadline");

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(failure.message()).startsWith(prefix(server.port(), Security.SSL_TLS));
            assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                    tuple(ProbeAttempt.Step.TRANSPORT, "OK"), tuple(ProbeAttempt.Step.LOGIN, "TIMEOUT"));
            assertThat(result.duration()).isLessThan(QUICK.deadline().plusMillis(500));
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A server that plays {@code honest} until our transport check has asked for capabilities
     * over TLS, and {@code afterCheck} on every connection accepted after that: a man in the
     * middle that lets the probe's check through and attacks the login. The check's tagged
     * CAPABILITY is recorded before it is answered, so before the login connection is made;
     * a late ssl check that gets {@code afterCheck} fails on it as it would on {@code honest}.
     */
    private static ScriptedImapServer switchingAfterTransportCheck(boolean implicitTls, Script honest,
                                                                   Script afterCheck) {
        AtomicReference<ScriptedImapServer> self = new AtomicReference<>();
        IntFunction<Script> scripts = index -> self.get() != null && self.get().receivedLines().stream()
                .anyMatch(line -> line.tls() && line.text().matches("p\\d+ CAPABILITY")) ? afterCheck : honest;
        ScriptedImapServer server = implicitTls ? ScriptedImapServer.startImplicitTls(CERTIFICATE, scripts)
                : ScriptedImapServer.start(scripts);
        self.set(server);
        return server;
    }

    /** Offers STARTTLS properly, upgrades, then answers with {@code afterTls}. */
    private static Script honestStartTls(Map<String, List<String>> afterTls) {
        return new Script()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Scripted IMAP ready")
                .answerCommandsUntil("(?i)\\S+ STARTTLS", Map.of(
                        "(?i)\\S+ CAPABILITY", capabilities("IMAP4rev1 STARTTLS LOGINDISABLED"),
                        "(?i)\\S+ STARTTLS", List.of("{tag} OK Begin TLS negotiation now")))
                .startTls(CERTIFICATE)
                .answerCommands(afterTls);
    }

    /** Answers a client that logs in (any way) and lists four folders. */
    private static Map<String, List<String>> loggedIn(String capabilities) {
        String afterLogin = "[CAPABILITY IMAP4rev1 SPECIAL-USE LIST-EXTENDED]";
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)\\S+ CAPABILITY", capabilities(capabilities));
        answers.put("(?i)\\S+ AUTHENTICATE PLAIN", List.of("+ ", "{tag} OK " + afterLogin + " Logged in"));
        answers.put("(?i)\\S+ AUTHENTICATE XOAUTH2 \\S+", List.of("{tag} OK " + afterLogin + " Logged in"));
        answers.put("(?is)\\S+ LOGIN .*", List.of("{tag} OK " + afterLogin + " Logged in"));
        answers.put("(?i)\\S+ LIST .*", List.of(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "* LIST (\\HasNoChildren) \"/\" Projects",
                "{tag} OK LIST completed"));
        answers.put("(?i)\\S+ NOOP", List.of("{tag} OK NOOP completed"));
        return answers;
    }

    /** Answers CAPABILITY, and LOGIN or AUTHENTICATE PLAIN with {@code refusal}. */
    private static Map<String, List<String>> refusingLogin(String capabilities, String refusal) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)\\S+ CAPABILITY", capabilities(capabilities));
        answers.put("(?i)\\S+ AUTHENTICATE PLAIN", List.of("+ ", refusal));
        answers.put("(?is)\\S+ LOGIN .*", List.of(refusal));
        return answers;
    }

    /** The untagged CAPABILITY answer and its tagged OK. */
    private static List<String> capabilities(String capabilities) {
        return List.of("* CAPABILITY " + capabilities, "{tag} OK CAPABILITY completed");
    }

    private static ImapAccount.Builder account(ScriptedImapServer server, Security security) {
        return account(server.port(), security);
    }

    private static ImapAccount.Builder account(int port, Security security) {
        return ImapAccount.builder()
                .endpoint("127.0.0.1", port, security)
                .password(USER, PASSWORD)
                .trustCertificatePem(CERTIFICATE.pem());
    }

    private static ImapAccount oauth2Account(ScriptedImapServer server) {
        return account(server, Security.SSL_TLS).credentials(Credentials.oauth2(USER, () -> Secret.of(TOKEN))).build();
    }

    /** What {@code Failures.describe} makes of a detail. */
    private static String message(ScriptedImapServer server, Security security, String detail) {
        return message(server.port(), security, detail);
    }

    private static String message(int port, Security security, String detail) {
        return prefix(port, security) + detail + ".";
    }

    /** {@code Account <id> at <host>:<port> (<mode>): }, how every failure message starts. */
    private static String prefix(int port, Security security) {
        return "Account " + USER + " at 127.0.0.1:" + port + " (" + security.cliName() + "): ";
    }

    /**
     * The alternatives of a STARTTLS endpoint on a plaintext server: implicit TLS on its port
     * meets a plaintext greeting, and nothing listens on 127.0.0.1:993 and :143.
     */
    private static String otherModesFailed(ScriptedImapServer server) {
        return otherModesFailed(server.port());
    }

    private static String otherModesFailed(int port) {
        return " (alternatives tried: 127.0.0.1:" + port + " (ssl) TLS_HANDSHAKE,"
                + " 127.0.0.1:993 (ssl) CONNECTION_REFUSED, 127.0.0.1:143 (starttls) CONNECTION_REFUSED)";
    }

    /** The lines of the connection Angus logged in on (tagged {@link #ANGUS_TAG}). */
    private static List<ReceivedLine> loginConnection(ScriptedImapServer server) {
        Set<Integer> angus = server.receivedLines().stream().filter(line -> line.text().matches(ANGUS_TAGGED))
                .map(ReceivedLine::connection).collect(Collectors.toSet());
        assertThat(angus).as("exactly one login connection").hasSize(1);
        return server.receivedLines().stream().filter(line -> angus.contains(line.connection())).toList();
    }

    private static List<String> texts(List<ReceivedLine> lines) {
        return lines.stream().map(ReceivedLine::text).toList();
    }

    /** The secret as it would travel: as is (LOGIN), in a PLAIN response, in an XOAUTH2 response. */
    private static List<String> wireForms(String secret) {
        return List.of(secret, base64("\0" + USER + "\0" + secret),
                base64("user=" + USER + "\u0001auth=Bearer " + secret + "\u0001\u0001"));
    }

    private static void assertNoSecretReceived(ScriptedImapServer server, String secret) {
        assertThat(texts(server.receivedLines())).as("everything the server received")
                .noneMatch(line -> wireForms(secret).stream().anyMatch(line::contains));
    }

    private static void assertNoSecretBeforeTls(ScriptedImapServer server, String secret) {
        assertThat(server.linesBeforeTls()).as("what the server received in cleartext")
                .noneMatch(line -> wireForms(secret).stream().anyMatch(line::contains));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    private static MailFolder folder(ProbeResult result, String name) {
        return result.folders().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Answers like a small IMAP server, except that a command matching {@code trickled} gets a
     * CAPABILITY line that never ends: " X" every 50 ms, so that no read ever waits long enough
     * to time out (slowloris). Counts the connections it is still trickling to; one ends when a
     * write fails because the client has closed it.
     */
    private static final class TricklingServer implements AutoCloseable {
        private static final long PACE_MILLIS = 50;

        private final ServerSocket listener;
        private final SSLContext tls;
        private final Pattern trickled;
        private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
                task -> daemon(task, "trickling-pacer"));
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private int started; // guarded by this
        private int trickling; // guarded by this

        private TricklingServer(SSLContext tls, String trickledRegex) throws IOException {
            this.tls = tls;
            this.trickled = Pattern.compile(trickledRegex);
            this.listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
            daemon(this::acceptLoop, "trickling-acceptor").start();
        }

        /** Speaks cleartext (a STARTTLS port that is never upgraded). */
        static TricklingServer plain(String trickledRegex) throws IOException {
            return new TricklingServer(null, trickledRegex);
        }

        /** Speaks TLS from the first byte with {@code certificate}. */
        static TricklingServer implicitTls(TestCertificate certificate, String trickledRegex) throws IOException {
            return new TricklingServer(certificate.serverSslContext(), trickledRegex);
        }

        int port() {
            return listener.getLocalPort();
        }

        /** How many connections were trickled to. */
        synchronized int trickled() {
            return started;
        }

        /** Waits until no connection is being trickled to; true if that happened in time. */
        synchronized boolean awaitNoneTrickling(Duration timeout) {
            long end = System.nanoTime() + timeout.toNanos();
            try {
                for (long left = timeout.toMillis(); trickling > 0 && left > 0;
                        left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return trickling == 0;
        }

        @Override
        public void close() {
            closeQuietly(listener);
            pacer.shutdownNow();
            accepted.forEach(TricklingServer::closeQuietly);
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket socket = listener.accept();
                    accepted.add(socket);
                    daemon(() -> serve(socket), "trickling-connection").start();
                }
            } catch (IOException closed) {
                // close() was called
            }
        }

        private void serve(Socket tcp) {
            try {
                Socket socket = tcp;
                if (tls != null) {
                    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(tcp, null, tcp.getPort(), true);
                    secure.setUseClientMode(false);
                    secure.startHandshake();
                    socket = secure;
                }
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
                write(out, "* OK IMAP4rev1 ready\r\n");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String tag = line.split(" ", 2)[0];
                    if (trickled.matcher(line).matches()) {
                        trickle(socket, out);
                        return;
                    } else if (line.matches("(?i)\\S+ CAPABILITY")) {
                        write(out, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK CAPABILITY completed\r\n");
                    } else if (line.matches("(?i)\\S+ LOGOUT")) {
                        write(out, "* BYE Logging out\r\n" + tag + " OK LOGOUT completed\r\n");
                        break;
                    } else {
                        write(out, tag + " BAD Command not scripted\r\n");
                    }
                }
                socket.close();
            } catch (IOException e) {
                closeQuietly(tcp); // the client left, or close() was called
            }
        }

        private void trickle(Socket socket, OutputStream out) throws IOException {
            write(out, "* CAPABILITY IMAP4rev1");
            synchronized (this) {
                started++;
                trickling++;
            }
            pacer.scheduleAtFixedRate(() -> {
                try {
                    write(out, " X");
                } catch (IOException clientLeft) {
                    closeQuietly(socket);
                    synchronized (this) {
                        trickling--;
                        notifyAll();
                    }
                    throw new UncheckedIOException(clientLeft); // ends the periodic task
                }
            }, PACE_MILLIS, PACE_MILLIS, TimeUnit.MILLISECONDS);
        }

        private static void write(OutputStream out, String text) throws IOException {
            out.write(text.getBytes(US_ASCII));
            out.flush();
        }

        private static Thread daemon(Runnable task, String name) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        }

        private static void closeQuietly(Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // already broken; nothing to report
            }
        }
    }
}
