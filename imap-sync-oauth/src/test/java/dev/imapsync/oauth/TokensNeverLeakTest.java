package dev.imapsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.testing.LocalAuthorizationServer;
import dev.imapsync.testing.SettableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No token reaches a log line, an exception's text or a {@code toString()}: a consent, refreshes
 * with rotation, a lost rotation race, a revoked grant, a server error, a wrong client secret
 * and a wrong endpoint are run with every log level on (slf4j-simple writes this JVM's log to
 * {@code target/oauth-tests.log}, see the pom); then every token the server issued, the client
 * secret, the code and the PKCE verifier are looked for in the log, in every exception's message
 * (with its causes) and in the {@code toString()} of everything that holds one.
 */
class TokensNeverLeakTest {
    private static final URI REDIRECT = URI.create("http://127.0.0.1:8765/callback");
    private static final String CLIENT_SECRET = "Client-Secret-Quokka-93";
    private final LocalAuthorizationServer server = LocalAuthorizationServer.start()
            .client("crm-app", CLIENT_SECRET, REDIRECT.toString())
            .consentingUser("leak@acme.example")
            .accessTokenSeconds(5)
            .rotateRefreshTokens(true);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void noTokenInLogsExceptionsOrToString() throws IOException {
        SettableClock clock = SettableClock.at(Instant.parse("2026-12-07T10:00:00Z"));
        OAuth2Provider provider = OAuth2Provider.google().toBuilder().authorizationEndpoint(server.authorizationEndpoint())
                .tokenEndpoint(server.tokenEndpoint()).build();
        OAuth2Client client = OAuth2Client.builder(provider).clientId("crm-app").clientSecret(Secret.of(CLIENT_SECRET))
                .clock(clock).build();
        List<Object> printed = new ArrayList<>();
        List<Throwable> thrown = new ArrayList<>();

        ConsentRequest consent = client.consent(REDIRECT);
        URI callback = server.consent(consent.url());
        OAuth2Grant grant = client.exchange(consent, callback);
        thrown.add(catching(() -> client.exchange(consent, callback)));   // the code again: refused
        InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
        store.put("leak", grant.refreshToken());
        TokenRefresher refresher = TokenRefresher.builder(client).store(store).build();
        Supplier<Secret> supplier = refresher.supplier("leak");
        ImapAccount account = grant.accountBuilder("leak").credentials(
                dev.imapsync.account.Credentials.oauth2("leak@acme.example", supplier)).build();
        supplier.get();
        supplier.get();                                                    // the cached one again
        clock.advance(Duration.ofSeconds(10));
        refresher.accessToken("leak");

        // a lost rotation race: another node's refresher rotates first
        TokenRefresher otherNode = TokenRefresher.builder(client).store(store).build();
        clock.advance(Duration.ofSeconds(10));
        otherNode.accessToken("leak");
        refresher.accessToken("leak");

        server.answerEverythingWith(503);
        clock.advance(Duration.ofSeconds(10));
        thrown.add(catching(() -> refresher.accessToken("leak")));
        server.answerEverythingWith(0);
        TokenRefresher wrongSecret = TokenRefresher.builder(OAuth2Client.builder(provider).clientId("crm-app")
                .clientSecret(Secret.of("Wrong-" + CLIENT_SECRET)).clock(clock).build()).store(store).build();
        thrown.add(catching(() -> wrongSecret.accessToken("leak")));
        server.refuseRefreshesWith("invalid_grant", "AADSTS70008: refresh token " + store.load("leak").orElseThrow().reveal()
                + " has expired");                                         // a server that quotes the token back
        thrown.add(catching(() -> refresher.accessToken("leak")));
        thrown.add(catching(() -> refresher.accessToken("leak")));
        server.refuseRefreshesWith(null, null);
        server.revokeAll();
        thrown.add(catching(() -> otherNode.accessToken("leak")));

        printed.addAll(List.of(provider, client, consent, grant, store, refresher, supplier, account,
                account.credentials(), grant.credentials("leak@acme.example")));

        List<String> secrets = new ArrayList<>(server.issuedTokens());
        secrets.add(CLIENT_SECRET);
        secrets.add(consent.codeVerifier().reveal());
        assertThat(secrets).as("the scenario issued tokens").hasSizeGreaterThan(8);
        assertThat(thrown).doesNotContainNull().hasSize(6);

        String log = Files.readString(Path.of("target", "oauth-tests.log"), StandardCharsets.UTF_8);
        assertThat(log).as("the scenario was logged").contains("Account 'leak' at Google: new access token")
                .contains("Account 'leak' at Google: the token endpoint refused the request (invalid_grant: AADSTS70008:"
                        + " refresh token **** has expired)");
        StringBuilder texts = new StringBuilder();
        for (Throwable t : thrown) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.append(c).append('\n');
            }
        }
        printed.forEach(o -> texts.append(o).append('\n'));
        for (String secret : secrets) {
            assertThat(log).as("a secret in the log").doesNotContain(secret);
            assertThat(texts.toString()).as("a secret in an exception or toString()").doesNotContain(secret);
        }
    }

    private static Throwable catching(Runnable action) {
        try {
            action.run();
            return null;
        } catch (dev.imapsync.ImapSyncException e) {
            return e;
        }
    }
}
