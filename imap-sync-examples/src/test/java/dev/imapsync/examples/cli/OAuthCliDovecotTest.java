package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.LocalOAuthServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's OAuth 2.0 options against the project's Dovecot, whose {@code oauth2} passdb
 * asks the {@link LocalOAuthServer} this test runs about every token: {@code probe} and
 * {@code sync} with {@code --oauth2-token-url … --refresh-token-env} sign in with the access
 * token the SDK fetched; a token endpoint answering {@code invalid_grant} makes the sync
 * AUTH_REVOKED, which {@code status} shows with "reconnect this mailbox"; a token endpoint that
 * is down is OAUTH_UNAVAILABLE. No token or refresh token in anything printed.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_DOVECOT_OAUTH_PORT", matches = ".+", disabledReason = "needs the"
        + " project's Dovecot with its oauth2 passdb: run .ci/dovecot/start.sh and source its env file")
class OAuthCliDovecotTest {
    private static final String REFRESH = "1//cli-refresh-token-Okapi";

    @TempDir
    Path dir;
    private final Dovecot dovecot = Dovecot.fromEnvironment();
    private final Map<String, String> env = new HashMap<>();
    private LocalOAuthServer oauth;
    private Path certificate;
    private Path contacts;
    private String db;

    @BeforeEach
    void start() throws IOException {
        oauth = LocalOAuthServer.startForDovecot(Dovecot.OAUTH_USER);
        certificate = Files.writeString(dir.resolve("dovecot.pem"), dovecot.certificatePem(), StandardCharsets.US_ASCII);
        contacts = Files.writeString(dir.resolve("contacts.csv"), "c-maria,maria@partner.example\n");
        db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        env.put("REFRESH", REFRESH);
        env.put("CLIENT_SECRET", "cli-client-secret");
    }

    @AfterEach
    void stop() {
        oauth.close();
    }

    @Test
    void probeAndSyncSignInWithATokenFromTheTokenEndpoint() throws IOException {
        Run probe = run(connection("probe", "--json"));
        assertThat(probe.code).as(probe.err + probe.out).isZero();
        assertThat(new ObjectMapper().readTree(probe.out).get("ok").asBoolean()).isTrue();

        Run sync = run(connection("sync", "--db", db, "--contacts", contacts.toString(), "--folders", "INBOX",
                "--json"));
        assertThat(sync.code).as(sync.err + sync.out).isZero();
        assertThat(new ObjectMapper().readTree(sync.out).get("status").asText()).isEqualTo("OK");
        assertThat(oauth.activeAnswers()).as("Dovecot accepted a token per login").isGreaterThanOrEqualTo(2);
        assertNothingSecret(probe, sync);
    }

    @Test
    void aRevokedGrantIsAuthRevokedAndStatusSaysReconnectThisMailbox() throws IOException {
        oauth.answerNextTokenRequest(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been"
                + " expired or revoked.\"}");

        Run sync = run(connection("sync", "--db", db, "--contacts", contacts.toString(), "--folders", "INBOX",
                "--account-id", "olivia", "--json"));

        assertThat(sync.code).isEqualTo(1);
        assertThat(sync.err).startsWith("sync AUTH_REVOKED: ");
        JsonNode report = new ObjectMapper().readTree(sync.out);
        assertThat(report.get("failure").get("kind").asText()).isEqualTo("AUTH_REVOKED");
        assertThat(oauth.introspections()).as("no token reached Dovecot").isZero();
        JsonNode status = new ObjectMapper().readTree(run(List.of("status", "--db", db, "--json")).out).get(0);
        assertThat(status.get("status").asText()).isEqualTo("AUTH_REVOKED");
        assertThat(status.get("hint").asText()).startsWith("Reconnect this mailbox (olivia): ");
        Run text = run(List.of("status", "--db", db));
        assertThat(text.out).containsPattern("(?m)^olivia +AUTH_REVOKED ").contains("What to do: Reconnect this mailbox");
        assertNothingSecret(sync, text);
    }

    @Test
    void aTokenEndpointThatIsDownIsOAuthUnavailableNotAFailedLogin() throws IOException {
        oauth.close();

        Run probe = run(connection("probe", "--json"));

        assertThat(probe.code).isNotZero();
        JsonNode failure = new ObjectMapper().readTree(probe.out).get("failure");
        assertThat(failure.get("kind").asText()).isEqualTo("OAUTH_UNAVAILABLE");
        assertThat(failure.get("hint").asText()).contains("retried with backoff");
        assertNothingSecret(probe);
    }

    private List<String> connection(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--host", dovecot.host(), "--port",
                Integer.toString(dovecot.tlsPort()), "--security", "ssl", "--trust-cert", certificate.toString(),
                "--user", Dovecot.OAUTH_USER, "--oauth2-token-url", oauth.tokenEndpoint(), "--client-id", "crm-app",
                "--client-secret-env", "CLIENT_SECRET", "--refresh-token-env", "REFRESH"));
        args.addAll(List.of(more));
        return args;
    }

    private static void assertNothingSecret(Run... runs) {
        for (Run r : runs) {
            assertThat(r.out + r.err).doesNotContain(REFRESH).doesNotContain("cli-client-secret").doesNotContain("eyJ");
        }
    }

    private Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.copyOf(env));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
    }
}
