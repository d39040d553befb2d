package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Secret;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.LocalAuthorizationServer;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's OAuth 2.0 as a person runs it, against a local authorization server and GreenMail
 * (whose AUTHENTICATE XOAUTH2 checks the access token as the user's password):
 * {@code accounts add --oauth2} with the loopback redirect and with a pasted answer, and
 * {@code probe} with tokens refreshed by the SDK or given as they are. No token is ever printed.
 */
class OAuthCliTest {
    private static final String USER = "sam@acme.example";
    private static final String ACCESS = "at-for-greenmail-7f3a";
    private static final String CLIENT_SECRET = "Client-Secret-Wombat-21";
    private static final Pattern CONSENT_URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/authorize\\?\\S+)");

    private static GreenMailTls imap;
    private static Path certificate;

    @TempDir
    Path dir;
    private String db;
    private LocalAuthorizationServer oauth;
    private final Map<String, String> env = new HashMap<>(Map.of("CLIENT_SECRET", CLIENT_SECRET));

    @BeforeAll
    static void startImap(@TempDir Path certDir) {
        imap = GreenMailTls.start(TestCertificates.localhost());
        var user = imap.addUser(USER, ACCESS);   // GreenMail's XOAUTH2: the token must equal this
        imap.append(user, "INBOX", "From: dave@example.test\nTo: " + USER + "\nSubject: hello\n\nbody\n");
        certificate = TestCertificates.localhost().writePem(certDir.resolve("server.pem"));
    }

    @AfterAll
    static void stopImap() {
        imap.close();
    }

    @BeforeEach
    void start() {
        db = "jdbc:h2:" + dir.resolve("crm").toAbsolutePath();
        oauth = LocalAuthorizationServer.start()
                .client("crm-app", CLIENT_SECRET, "http://127.0.0.1/callback")   // loopback: any port
                .consentingUser(USER);
    }

    @AfterEach
    void stop() {
        oauth.close();
    }

    private List<String> add(String... more) {
        List<String> args = new ArrayList<>(List.of("accounts", "add", "--db", db, "--id", "sam",
                "--oauth2", oauth.baseUri().toString(), "--scopes", "mail,offline", "--client-id", "crm-app",
                "--client-secret-env", "CLIENT_SECRET", "--host", "127.0.0.1", "--port",
                Integer.toString(imap.imapsPort()), "--security", "ssl", "--trust-cert", certificate.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void accountsAddOAuth2PrintsTheConsentUrlReceivesTheRedirectProbesAndStoresTheRefreshToken() throws Exception {
        oauth.issueAccessTokens(ACCESS);
        Running running = start(add("--probe"), InputStream.nullInputStream());

        URI consentUrl = running.awaitConsentUrl();
        URI redirect = oauth.consent(consentUrl);      // the person allows access; the browser is sent back
        assertThat(redirect.toString()).startsWith("http://127.0.0.1:").contains("/callback?code=");
        assertThat(browse(redirect)).isEqualTo(200);
        Run run = running.finish();

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("Open this URL in a browser and allow access to the mailbox:")
                .contains("Added account sam: " + USER + " at 127.0.0.1:" + imap.imapsPort() + " (ssl), OAuth 2.0"
                        + " with 127.0.0.1, signed in fine; refresh token encrypted with key 'dev-");
        LocalAuthorizationServer.Request authorize = oauth.requests().stream()
                .filter(r -> r.path().equals("/authorize")).findFirst().orElseThrow();
        assertThat(authorize.params()).containsEntry("scope", "mail offline").containsEntry("code_challenge_method", "S256")
                .containsEntry("client_id", "crm-app");
        assertThat(authorize.param("redirect_uri")).isEqualTo(redirect.toString().substring(0, redirect.toString().indexOf('?')));
        Secret stored = repository().refreshToken("sam").orElseThrow();
        assertThat(oauth.issuedTokens()).contains(stored.reveal());
        assertNoSecretIn(run);
    }

    @Test
    void accountsAddOAuth2WithPasteReadsTheAnswerFromStandardInput() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        Running running = start(add("--paste"), new PipedInputStream(typing));

        URI redirect = oauth.consent(running.awaitConsentUrl());
        typing.write((redirect + "\n").getBytes(StandardCharsets.UTF_8));
        typing.flush();
        Run run = running.finish();

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("Then paste the address the browser was sent to (or the code) here:")
                .contains("Added account sam: " + USER + " at 127.0.0.1:");
        assertThat(repository().refreshToken("sam")).isPresent();
        assertNoSecretIn(run);
    }

    @Test
    void aPastedAnswerOfAnotherConsentIsRefusedAndNothingIsStored() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        Running running = start(add("--paste"), new PipedInputStream(typing));
        URI redirect = oauth.consent(running.awaitConsentUrl());
        String forged = redirect.toString().replaceFirst("state=[^&]+", "state=someone-elses");
        typing.write((forged + "\n").getBytes(StandardCharsets.UTF_8));
        typing.flush();
        Run run = running.finish();

        assertThat(run.code).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err).contains("consent failed, nothing saved: The answer from 127.0.0.1 does not belong to this consent request (its"
                + " state differs)");
        assertThat(oauth.tokenRequests()).isEmpty();
        assertThat(repository().list()).isEmpty();
    }

    @Test
    void probeWithARefreshTokenGetsTheAccessTokenFromTheTokenEndpointAndSignsIn() throws Exception {
        String refresh = seedRefreshToken();
        oauth.issueAccessTokens(ACCESS);
        env.put("REFRESH", refresh);
        Run run = run(List.of("probe", "--host", "127.0.0.1", "--port", Integer.toString(imap.imapsPort()),
                "--security", "ssl", "--trust-cert", certificate.toString(), "--user", USER,
                "--oauth2-token-url", oauth.tokenEndpoint().toString(), "--client-id", "crm-app",
                "--client-secret-env", "CLIENT_SECRET", "--refresh-token-env", "REFRESH", "--json"));

        assertThat(run.code).as(run.err + run.out).isZero();
        assertThat(run.out).contains("\"ok\" : true");
        LocalAuthorizationServer.Request refreshRequest = oauth.tokenRequests().get(oauth.tokenRequests().size() - 1);
        assertThat(refreshRequest.params()).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", refresh);
        assertNoSecretIn(run);
    }

    @Test
    void probeWithAnAccessTokenUsesItAsGivenAndAWrongOneIsAFailedLogin() throws IOException {
        env.put("TOKEN", ACCESS);
        env.put("OLD_TOKEN", "at-expired-long-ago");
        List<String> probe = new ArrayList<>(List.of("probe", "--host", "127.0.0.1", "--port",
                Integer.toString(imap.imapsPort()), "--security", "ssl", "--trust-cert", certificate.toString(),
                "--user", USER, "--json", "--access-token-env"));

        probe.add("TOKEN");
        Run ok = run(probe);
        assertThat(ok.code).as(ok.err).isZero();
        assertThat(ok.out).contains("\"ok\" : true");

        probe.set(probe.size() - 1, "OLD_TOKEN");
        Run refused = run(probe);
        assertThat(refused.code).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.out).contains("\"kind\" : \"AUTH_FAILED\"");
        assertThat(oauth.requests()).isEmpty();
        assertNoSecretIn(ok);
        assertNoSecretIn(refused);
    }

    @Test
    void theOAuthOptionsAreCheckedBeforeAnythingIsContacted() {
        env.put("TOKEN", ACCESS);
        env.put("PASSWORD", "pw");
        Run both = run(List.of("probe", "--host", "127.0.0.1", "--user", USER, "--access-token-env", "TOKEN",
                "--password-env", "PASSWORD"));
        assertThat(both.code).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err).isEqualTo("usage error: --password-env and the OAuth 2.0 options exclude each other: an"
                + " account signs in with a password or with OAuth 2.0" + System.lineSeparator());

        Run partial = run(List.of("folders", "--host", "127.0.0.1", "--user", USER, "--oauth2-token-url",
                oauth.tokenEndpoint().toString(), "--refresh-token-env", "TOKEN"));
        assertThat(partial.code).isEqualTo(ExitCodes.USAGE);
        assertThat(partial.err).contains("Refreshed OAuth 2.0 tokens need --oauth2-token-url, --client-id and"
                + " --refresh-token-env");

        Run noClient = run(List.of("accounts", "add", "--db", db, "--id", "sam", "--oauth2", "google"));
        assertThat(noClient.code).isEqualTo(ExitCodes.USAGE);
        assertThat(noClient.err).contains("--oauth2 needs --client-id");

        Run tenant = run(List.of("accounts", "add", "--db", db, "--id", "sam", "--oauth2", oauth.baseUri().toString(),
                "--client-id", "crm-app", "--tenant", "organizations"));
        assertThat(tenant.code).isEqualTo(ExitCodes.USAGE);
        assertThat(tenant.err).contains("--tenant is for --oauth2 microsoft only");
        assertThat(oauth.requests()).isEmpty();
    }

    @Test
    void runSyncsAStoredOAuthAccountWithRefreshedTokensAndStoresTheRotatedRefreshToken() throws Exception {
        oauth.rotateRefreshTokens(true).issueAccessTokens(ACCESS, ACCESS);
        Running adding = start(add("--probe"), InputStream.nullInputStream());
        browse(oauth.consent(adding.awaitConsentUrl()));
        assertThat(adding.finish().code).isZero();
        String consented = repository().refreshToken("sam").orElseThrow().reveal();
        Path contacts = dir.resolve("contacts.csv");
        Files.writeString(contacts, "c-dave,dave@example.test\n");

        Run run = run(List.of("run", "--db", db, "--contacts", contacts.toString(), "--cycles", "1",
                "--oauth2", oauth.tokenEndpoint().toString(), "--client-id", "crm-app",
                "--client-secret-env", "CLIENT_SECRET"));

        assertThat(run.code).as(run.out + run.err).isZero();
        assertThat(run.out).contains("sam").contains("OK");
        LocalAuthorizationServer.Request refresh = oauth.tokenRequests().get(oauth.tokenRequests().size() - 1);
        assertThat(refresh.params()).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", consented);
        String rotated = repository().refreshToken("sam").orElseThrow().reveal();
        assertThat(rotated).isNotEqualTo(consented);
        assertThat(oauth.issuedTokens()).contains(rotated);
        assertNoSecretIn(run);

        Run withoutClient = run(List.of("run", "--db", db, "--contacts", contacts.toString(), "--cycles", "1",
                "--client-id", "crm-app"));
        assertThat(withoutClient.code).isEqualTo(ExitCodes.USAGE);
        assertThat(withoutClient.err).contains("--client-id, --client-secret-env and --tenant go with --oauth2");
    }

    @Test
    void theHelpOfEachCommandNamesItsOAuthOptions() {
        for (String command : List.of("probe", "folders", "sync")) {
            Run help = run(List.of(command, "--help"));
            assertThat(help.out).as(command).contains("--oauth2-token-url=URL").contains("--client-id=ID")
                    .contains("--client-secret-env=VAR").contains("--refresh-token-env=VAR").contains("--access-token-env=VAR");
        }
        Run add = run(List.of("accounts", "add", "--help"));
        assertThat(add.out).contains("--oauth2=PROVIDER").contains("google, microsoft, or the issuer URL")
                .contains("--tenant=TENANT").contains("--scopes=A,B").contains("--redirect-port=PORT").contains("--paste");
    }

    /** A refresh token from a consent made directly against the server. */
    private String seedRefreshToken() throws Exception {
        Running running = start(add(), InputStream.nullInputStream());
        browse(oauth.consent(running.awaitConsentUrl()));
        Run run = running.finish();
        assertThat(run.code).as(run.err).isZero();
        return repository().refreshToken("sam").orElseThrow().reveal();
    }

    private JdbcAccountRepository repository() throws IOException {
        Path keyFile = dir.resolve("crm.imapsync-key");
        SecretKeys keys = SecretKeys.parse(Files.readAllLines(keyFile).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.joining(",")));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        return JdbcAccountRepository.builder(h2).keys(keys).build();
    }

    private void assertNoSecretIn(Run run) {
        List<String> secrets = new ArrayList<>(oauth.issuedTokens());
        secrets.add(CLIENT_SECRET);
        secrets.add(ACCESS);
        for (String secret : secrets) {
            assertThat(run.out + run.err).doesNotContain(secret);
        }
    }

    private static int browse(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(5000);
        int status = connection.getResponseCode();
        connection.disconnect();
        return status;
    }

    private Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args.toArray(String[]::new), InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.copyOf(env));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Running start(List<String> args, InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = Map.copyOf(env);
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> ImapSyncCli.run(args.toArray(String[]::new),
                in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment));
        return new Running(code, out, err);
    }

    private record Running(CompletableFuture<Integer> code, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        URI awaitConsentUrl() {
            String url = Await.until("the consent URL on stdout", Duration.ofSeconds(20), () -> {
                Matcher m = CONSENT_URL.matcher(out.toString(StandardCharsets.UTF_8));
                return m.find() ? m.group(1) : null;
            }, found -> found != null || code.isDone());
            assertThat(url).as("no consent URL; exit " + code.getNow(-99) + " stdout: " + out.toString(StandardCharsets.UTF_8) + " stderr: " + err.toString(StandardCharsets.UTF_8)).isNotNull();
            return URI.create(url);
        }

        Run finish() throws Exception {
            int exit = code.get(60, TimeUnit.SECONDS);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private record Run(int code, String out, String err) {
    }
}
