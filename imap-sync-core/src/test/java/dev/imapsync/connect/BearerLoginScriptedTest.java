package dev.imapsync.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificate;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OAuth 2.0 logins against a scripted server, byte for byte: OAUTHBEARER (RFC 7628) with and
 * without SASL-IR, XOAUTH2 chosen where both are offered, the server's error challenge answered
 * as each mechanism wants, no token asked for where neither mechanism is offered, and what a
 * token supplier's failure becomes.
 */
class BearerLoginScriptedTest {
    private static final String USER = "olivia@example.test";
    private static final String TOKEN = "eyJ.secret-access-token.sig";
    private static final TestCertificate CERTIFICATE = TestCertificates.localhost();
    private static final String AFTER_LOGIN = "[CAPABILITY IMAP4rev1 SPECIAL-USE LIST-EXTENDED]";
    private static final String ERROR_CHALLENGE = base64("{\"status\":\"invalid_token\",\"scope\":\"mail\","
            + "\"openid-configuration\":\"https://auth.example.test/.well-known/openid-configuration\"}");
    private static final ConnectionProber PROBER = ConnectionProber.builder()
            .deadline(Duration.ofSeconds(10)).build();

    @Test
    void oauthbearerIsUsedWhereItIsAllTheServerOffersWithTheTokenInTheInitialResponse() {
        String capabilities = "IMAP4rev1 SASL-IR AUTH=OAUTHBEARER";
        try (ScriptedImapServer server = serve(capabilities,
                Map.of("(?i)\\S+ AUTHENTICATE OAUTHBEARER \\S+", List.of("{tag} OK " + AFTER_LOGIN + " Logged in")))) {
            ProbeResult result = PROBER.probe(account(server, () -> Secret.of(TOKEN)));
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            String gs2 = "n,a=" + USER + ",\u0001host=127.0.0.1\u0001port=" + server.port()
                    + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001";
            assertThat(authenticateLines(server)).singleElement().satisfies(line -> {
                assertThat(line.tls()).isTrue();
                assertThat(line.text()).endsWith(" AUTHENTICATE OAUTHBEARER " + base64(gs2));
            });
            assertThat(tokenSightings(server)).isEqualTo(1);
        }
    }

    @Test
    void oauthbearerWithoutSaslIrSendsTheTokenAfterTheServersEmptyChallenge() {
        String capabilities = "IMAP4rev1 AUTH=OAUTHBEARER";
        try (ScriptedImapServer server = serve(capabilities,
                Map.of("(?i)\\S+ AUTHENTICATE OAUTHBEARER", List.of("+ ", "{tag} OK " + AFTER_LOGIN + " Logged in")))) {
            ProbeResult result = PROBER.probe(account(server, () -> Secret.of(TOKEN)));
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            List<String> texts = server.receivedLines().stream().map(ReceivedLine::text).toList();
            int command = indexOfMatch(texts, ".* AUTHENTICATE OAUTHBEARER");
            assertThat(texts.get(command + 1)).isEqualTo(base64("n,a=" + USER + ",\u0001host=127.0.0.1\u0001port="
                    + server.port() + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"));
            assertThat(tokenSightings(server)).isEqualTo(1);
        }
    }

    @Test
    void xoauth2IsChosenWhereTheServerOffersBothAsGmailAndDovecotDo() {
        String gmail = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR"
                + " AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER";
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)\\S+ AUTHENTICATE XOAUTH2 \\S+", List.of("{tag} OK " + AFTER_LOGIN + " Logged in"));
        answers.put("(?i)\\S+ AUTHENTICATE OAUTHBEARER \\S+", List.of("{tag} OK " + AFTER_LOGIN + " Logged in"));
        try (ScriptedImapServer server = serve(gmail, answers)) {
            ProbeResult result = PROBER.probe(account(server, () -> Secret.of(TOKEN)));
            server.close();

            assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            assertThat(authenticateLines(server)).singleElement().extracting(ReceivedLine::text).asString()
                    .endsWith(" AUTHENTICATE XOAUTH2 " + base64("user=" + USER + "\u0001auth=Bearer " + TOKEN
                            + "\u0001\u0001"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"XOAUTH2", "OAUTHBEARER"})
    void aRefusedTokensErrorChallengeIsAnsweredSoThatTheServerSaysNoAndTheTokenTravelsOnce(String mechanism) {
        String capabilities = "IMAP4rev1 SASL-IR AUTH=" + mechanism;
        try (ScriptedImapServer server = serve(capabilities, Map.of("(?i)\\S+ AUTHENTICATE " + mechanism + " \\S+",
                List.of("+ " + ERROR_CHALLENGE, "{tag} NO [AUTHENTICATIONFAILED] Authentication failed")))) {
            ProbeResult result = PROBER.probe(account(server, () -> Secret.of(TOKEN)));
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
            assertThat(failure.message()).isEqualTo("Account " + USER + " at 127.0.0.1:" + server.port() + " (ssl):"
                    + " the server rejected the credentials: [AUTHENTICATIONFAILED] Authentication failed (the"
                    + " server's error challenge said: invalid_token).");
            assertThat(failure.hint()).contains("authorize the application again");
            List<String> texts = server.receivedLines().stream().map(ReceivedLine::text).toList();
            int command = indexOfMatch(texts, ".* AUTHENTICATE " + mechanism + " \\S+");
            // RFC 7628 3.2.3: OAUTHBEARER ends with %x01; Google documents an empty line for XOAUTH2
            assertThat(texts.get(command + 1)).isEqualTo(mechanism.equals("OAUTHBEARER") ? "AQ==" : "");
            assertThat(tokenSightings(server)).isEqualTo(1);
            assertThat(failure.toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aServerOfferingNeitherMechanismIsRefusedBeforeATokenIsEvenAskedFor() {
        AtomicInteger asked = new AtomicInteger();
        try (ScriptedImapServer server = serve("IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN", Map.of())) {
            ProbeResult result = PROBER.probe(account(server, () -> {
                asked.incrementAndGet();
                return Secret.of(TOKEN);
            }));
            server.close();

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
            assertThat(failure.message()).endsWith("the server offers neither AUTHENTICATE XOAUTH2 nor OAUTHBEARER,"
                    + " so no OAuth2 access token was asked for or sent.");
            assertThat(asked).hasValue(0);
            assertThat(authenticateLines(server)).isEmpty();
            assertThat(server.receivedLines()).noneMatch(l -> l.text().matches("(?i)\\S+ LOGIN .*"));
        }
    }

    @ParameterizedTest
    @EnumSource(AccessTokenException.Reason.class)
    void aTokenSupplierThatCannotGiveATokenIsClassifiedByItsReasonAndNothingIsSent(AccessTokenException.Reason reason) {
        String why = "Account " + USER + ": the token endpoint https://auth.example.test/token answered"
                + (reason == AccessTokenException.Reason.SERVER_UNAVAILABLE ? " HTTP 503" : " invalid_grant");
        try (ScriptedImapServer server = serve("IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER", Map.of())) {
            ProbeResult result = PROBER.probe(account(server, () -> {
                throw new AccessTokenException(reason, why, null);
            }));
            server.close();

            Failure failure = result.failure().orElseThrow();
            FailureKind expected = Map.of(AccessTokenException.Reason.GRANT_REVOKED, FailureKind.AUTH_REVOKED,
                    AccessTokenException.Reason.SERVER_UNAVAILABLE, FailureKind.OAUTH_UNAVAILABLE,
                    AccessTokenException.Reason.MISCONFIGURED, FailureKind.OAUTH_MISCONFIGURED).get(reason);
            assertThat(failure.kind()).isEqualTo(expected);
            assertThat(failure.message()).contains("no OAuth2 access token: ").endsWith(why + ".");
            assertThat(authenticateLines(server)).isEmpty();
            assertThat(result.attempts()).hasSize(2); // one transport, one login: no other port was tried
            switch (reason) {
                case GRANT_REVOKED:
                    assertThat(SyncStatus.of(failure.kind())).isEqualTo(SyncStatus.AUTH_REVOKED);
                    assertThat(failure.hint()).startsWith("Reconnect this mailbox (" + USER + "): its owner must sign in");
                    break;
                case SERVER_UNAVAILABLE:
                    assertThat(SyncStatus.of(failure.kind())).isEqualTo(SyncStatus.CONNECTION_FAILED);
                    assertThat(failure.hint()).contains("the sync is retried with backoff");
                    break;
                default:
                    assertThat(SyncStatus.of(failure.kind())).isEqualTo(SyncStatus.AUTH_FAILED);
                    assertThat(failure.hint()).contains("OAuth 2.0 client settings are wrong");
            }
        }
    }

    @Test
    void rfc5801EscapesTheUserNameSoItCannotEndTheGs2HeaderEarly() {
        String user = "o=l,ivia@example.test";
        try (ScriptedImapServer server = serve("IMAP4rev1 SASL-IR AUTH=OAUTHBEARER",
                Map.of("(?i)\\S+ AUTHENTICATE OAUTHBEARER \\S+", List.of("{tag} OK " + AFTER_LOGIN + " Logged in")))) {
            ProbeResult result = PROBER.probe(base(server).id("olivia").credentials(Credentials.oauth2(user, () -> Secret.of(TOKEN)))
                    .build());
            server.close();

            assertThat(result.ok()).isTrue();
            String sent = authenticateLines(server).get(0).text().replaceAll(".* ", "");
            assertThat(new String(Base64.getDecoder().decode(sent), UTF_8)).startsWith("n,a=o=3Dl=2Civia@example.test,\u0001");
        }
    }

    private static ScriptedImapServer serve(String capabilities, Map<String, List<String>> auth) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)\\S+ CAPABILITY", List.of("* CAPABILITY " + capabilities, "{tag} OK CAPABILITY completed"));
        answers.putAll(auth);
        answers.put("(?i)\\S+ LIST .*", List.of("* LIST (\\HasNoChildren) \"/\" INBOX", "{tag} OK LIST completed"));
        answers.put("(?i)\\S+ NOOP", List.of("{tag} OK NOOP completed"));
        return ScriptedImapServer.startImplicitTls(CERTIFICATE, new Script()
                .send("* OK [CAPABILITY " + capabilities + "] ready").answerCommands(answers));
    }

    private static ImapAccount.Builder base(ScriptedImapServer server) {
        return ImapAccount.builder().endpoint("127.0.0.1", server.port(), Security.SSL_TLS)
                .trustCertificatePem(CERTIFICATE.pem());
    }

    private static ImapAccount account(ScriptedImapServer server, Supplier<Secret> tokens) {
        return base(server).credentials(Credentials.oauth2(USER, tokens)).build();
    }

    private static List<ReceivedLine> authenticateLines(ScriptedImapServer server) {
        return server.receivedLines().stream().filter(l -> l.text().matches("(?i)\\S+ AUTHENTICATE .*")).toList();
    }

    /** How many lines the server received that carry the token, in clear or in either mechanism's base64. */
    private static long tokenSightings(ScriptedImapServer server) {
        return server.receivedLines().stream().map(ReceivedLine::text).filter(text -> text.contains(TOKEN)
                || decodesToToken(text.replaceAll(".* ", ""))).count();
    }

    private static boolean decodesToToken(String word) {
        try {
            return new String(Base64.getDecoder().decode(word), UTF_8).contains(TOKEN);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int indexOfMatch(List<String> texts, String regex) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).matches(regex)) {
                return i;
            }
        }
        throw new AssertionError("no line matches " + regex + " in " + texts);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }
}
