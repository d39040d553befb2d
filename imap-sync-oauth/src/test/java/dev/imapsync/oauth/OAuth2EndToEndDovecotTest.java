package dev.imapsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.LocalOAuthServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The whole path a host application takes, against real components: the consent URL (state,
 * PKCE) built by {@link OAuth2Client}, the person's consent at a real OAuth 2.0 server (the
 * {@link LocalOAuthServer} the project's Dovecot asks about tokens), the code exchanged for
 * tokens, a probe with the grant's first access token, and syncs with tokens from a
 * {@link TokenRefresher} over the project's Dovecot, whose {@code oauth2} passdb accepts a token
 * only while that server calls it active. The syncs' access tokens live three seconds: the
 * second sync runs after the first one's token expired, on a token the refresher got anew.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_DOVECOT_OAUTH_PORT", matches = ".+", disabledReason = "needs the"
        + " project's Dovecot with its oauth2 passdb: run .ci/dovecot/start.sh and source its env file")
class OAuth2EndToEndDovecotTest {
    private static final String ID = "oauth-e2e";
    private static final URI REDIRECT = URI.create("http://127.0.0.1:8765/oauth/callback");

    private final Dovecot dovecot = Dovecot.fromEnvironment();
    private LocalOAuthServer server;

    @BeforeEach
    void start() {
        server = LocalOAuthServer.startForDovecot(Dovecot.OAUTH_USER)
                .accessTokenLifetime(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void consentThenCodeThenTokensThenProbeThenSyncsWithRefreshedTokens() {
        OAuth2Provider provider = OAuth2Provider.builder("local")
                .authorizationEndpoint(URI.create(server.authorizationEndpoint()))
                .tokenEndpoint(URI.create(server.tokenEndpoint()))
                .scopes(List.of("openid", "imap", "offline_access"))
                .imapEndpoint(Endpoint.of(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS))
                .build();
        OAuth2Client client = OAuth2Client.builder(provider).clientId("imap-sync-e2e")
                .clientSecret(Secret.of("e2e-client-secret")).build();

        // 1. the settings page sends the person to the consent URL; the server redirects back with a code
        ConsentRequest consent = client.consent(REDIRECT);
        assertThat(consent.url().getQuery()).contains("code_challenge_method=S256").contains("state=" + consent.state());
        URI callback = server.consent(consent.url());
        assertThat(callback.toString()).startsWith(REDIRECT.toString());

        // 2. the code becomes tokens
        OAuth2Grant grant = client.exchange(consent, callback);
        assertThat(grant.refreshToken().reveal()).isNotEmpty();

        // 3. a probe with the grant's first access token, as the settings page does before saving
        ProbeResult probe = ConnectionProber.standard().probe(account(grant.credentials(Dovecot.OAUTH_USER)));
        assertThat(probe.ok()).as(String.valueOf(probe.failure())).isTrue();
        assertThat(probe.folders()).extracting(f -> f.name()).contains("INBOX");

        // 4. the account is stored with its refresh token; the SDK refreshes its access tokens
        InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
        store.put(ID, grant.refreshToken());
        TokenRefresher refresher = TokenRefresher.builder(client).store(store).refreshBefore(Duration.ZERO).build();
        List<String> given = new CopyOnWriteArrayList<>();
        Supplier<Secret> tokens = refresher.supplier(ID);
        ImapAccount account = account(Credentials.oauth2(Dovecot.OAUTH_USER, () -> {
            Secret token = tokens.get();
            given.add(token.reveal());
            return token;
        }));
        server.accessTokenLifetime(Duration.ofSeconds(3));
        SyncEngine engine = SyncEngine.builder().store(new InMemorySyncStore())
                .contactMatcher(InMemoryContactMatcher.builder().add("c-1", "maria@partner.example").build()).build();
        int activeBefore = server.activeAnswers();

        SyncReport first = engine.sync(account, FolderChoice.named(List.of("INBOX")));
        Instant expiry = expiryOf(given.get(given.size() - 1));
        Await.until("the first sync's token to expire", Duration.ofSeconds(10), () -> Instant.now().isAfter(expiry));
        SyncReport second = engine.sync(account, FolderChoice.named(List.of("INBOX")));

        assertThat(first.status()).as(String.valueOf(first.failure())).isEqualTo(SyncStatus.OK);
        assertThat(second.status()).as(String.valueOf(second.failure())).isEqualTo(SyncStatus.OK);
        assertThat(server.activeAnswers() - activeBefore).as("Dovecot checked a token per login").isGreaterThanOrEqualTo(2);
        assertThat(server.distinctActiveTokens()).as("the probe's token, the first sync's, a new one after it expired")
                .isGreaterThanOrEqualTo(3);
        assertThat(given.get(given.size() - 1)).isNotEqualTo(given.get(0));
        assertThat(first.toString() + second + probe + grant + client + refresher)
                .doesNotContain(grant.accessToken().reveal()).doesNotContain(grant.refreshToken().reveal());
    }

    private static Instant expiryOf(String jwt) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(jwt).getJWTClaimsSet().getExpirationTime().toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the local server's token is not a JWT", e);
        }
    }

    private ImapAccount account(Credentials credentials) {
        return ImapAccount.builder().id(ID).emailAddress(Dovecot.OAUTH_USER)
                .endpoint(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS)
                .credentials(credentials).trustCertificatePem(dovecot.certificatePem()).build();
    }
}
