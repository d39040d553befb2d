package dev.imapsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.AccessTokenException.Reason;
import dev.imapsync.account.Secret;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.LocalAuthorizationServer;
import dev.imapsync.testing.SettableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenRefresher} against a local authorization server whose access tokens live seconds
 * (time moves on a {@link SettableClock}): caching, refresh before expiry, rotation stored before
 * use and the old token refused afterwards, a grant revoked mid-life, one request for many
 * threads, the server down, Microsoft's error codes.
 */
class TokenRefresherTest {
    private static final URI REDIRECT = URI.create("http://127.0.0.1:8765/callback");
    private final LocalAuthorizationServer server = LocalAuthorizationServer.start()
            .client("crm-app", "s3cret-of-the-client", REDIRECT.toString())
            .consentingUser("sam@acme.example")
            .accessTokenSeconds(5);
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-12-07T10:00:00Z"));
    private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
    private OAuth2Client client;
    private TokenRefresher refresher;

    @BeforeEach
    void connect() {
        OAuth2Provider provider = OAuth2Provider.google().toBuilder().authorizationEndpoint(server.authorizationEndpoint())
                .tokenEndpoint(server.tokenEndpoint()).build();
        client = OAuth2Client.builder(provider).clientId("crm-app").clientSecret(Secret.of("s3cret-of-the-client"))
                .clock(clock).timeout(Duration.ofSeconds(5)).build();
        ConsentRequest consent = client.consent(REDIRECT);
        OAuth2Grant grant = client.exchange(consent, server.consent(consent.url()));
        store.put("sam", grant.refreshToken());
        refresher = TokenRefresher.builder(client).store(store).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int refreshes() {
        return (int) server.tokenRequests().stream().filter(r -> "refresh_token".equals(r.param("grant_type"))).count();
    }

    @Test
    void anAccessTokenIsCachedUntilShortlyBeforeItExpiresThenRefreshed() {
        Secret first = refresher.accessToken("sam");
        assertThat(refreshes()).isEqualTo(1);
        assertThat(server.tokenRequests().get(1).params()).containsEntry("refresh_token", store.load("sam").orElseThrow().reveal());

        clock.advance(Duration.ofSeconds(2));   // 3 s left of 5: a token that short-lived is renewed at half its life
        assertThat(refresher.accessToken("sam").reveal()).isEqualTo(first.reveal());
        assertThat(refreshes()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));   // 2 s left
        Secret second = refresher.accessToken("sam");
        assertThat(second.reveal()).isNotEqualTo(first.reveal());
        assertThat(refreshes()).isEqualTo(2);
    }

    @Test
    void aLongLivedTokenIsRenewedSixtySecondsBeforeItExpires() {
        server.accessTokenSeconds(3600);
        Secret first = refresher.accessToken("sam");
        clock.advance(Duration.ofSeconds(3600 - 61));
        assertThat(refresher.accessToken("sam").reveal()).isEqualTo(first.reveal());
        clock.advance(Duration.ofSeconds(2));
        assertThat(refresher.accessToken("sam").reveal()).isNotEqualTo(first.reveal());
        assertThat(refreshes()).isEqualTo(2);
    }

    @Test
    void aRotatedRefreshTokenIsStoredBeforeTheNewAccessTokenIsUsedAndTheOldOneIsRefusedAfterwards() {
        server.rotateRefreshTokens(true);
        Secret original = store.load("sam").orElseThrow();

        refresher.accessToken("sam");
        Secret rotated = store.load("sam").orElseThrow();
        assertThat(rotated.reveal()).isNotEqualTo(original.reveal()).startsWith("rt-");

        clock.advance(Duration.ofSeconds(10));
        refresher.accessToken("sam");
        assertThat(server.tokenRequests().get(2).param("refresh_token")).isEqualTo(rotated.reveal());
        Secret third = store.load("sam").orElseThrow();

        // the server refuses a rotated refresh token: a client that had not stored the new one would be locked out
        InMemoryRefreshTokenStore stale = new InMemoryRefreshTokenStore();
        stale.put("sam", original);
        TokenRefresher outdated = TokenRefresher.builder(client).store(stale).build();
        assertThatThrownBy(() -> outdated.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED));
        assertThat(store.load("sam").orElseThrow().reveal()).isEqualTo(third.reveal());
    }

    @Test
    void aRefreshTokenRotatedByAnotherNodeMeanwhileIsPickedUpInsteadOfReportedAsRevoked() {
        server.rotateRefreshTokens(true);
        TokenRefresher otherNode = TokenRefresher.builder(client).store(store).build();
        refresher.accessToken("sam");
        clock.advance(Duration.ofSeconds(10));
        otherNode.accessToken("sam");            // rotates the token this node used last
        clock.advance(Duration.ofSeconds(10));

        Secret token = refresher.accessToken("sam");   // reads the stored (rotated) token first
        assertThat(token.reveal()).startsWith("at-");
        assertThat(server.tokenRequests().stream().skip(1).map(r -> r.param("refresh_token")).distinct().count())
                .as("each refresh used the token then stored").isEqualTo(3);
    }

    @Test
    void aGrantRevokedMidLifeStopsAllRequestsUntilTheAccountIsConnectedAgain() {
        refresher.accessToken("sam");
        server.revokeAll();
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> refresher.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED))
                .hasMessage("Account 'sam' at Google: the token endpoint refused the request (invalid_grant: Token has"
                        + " been expired or revoked.): the sign-in was revoked or has expired (or needs a new consent);"
                        + " reconnect this mailbox: sign in again through the consent page. No further token requests"
                        + " are made for it until then");
        int requests = server.requests().size();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(5));
            assertThatThrownBy(() -> refresher.accessToken("sam"))
                    .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED));
        }
        assertThat(server.requests()).as("no retry storm against a revoked grant").hasSize(requests);

        ConsentRequest again = client.consent(REDIRECT);   // the person reconnects the mailbox
        store.put("sam", client.exchange(again, server.consent(again.url())).refreshToken());
        assertThat(refresher.accessToken("sam").reveal()).startsWith("at-");
    }

    @Test
    void manyThreadsNeedingATokenAtOnceMakeOneRequest() throws Exception {
        int threads = 8;
        server.holdTokenRequests();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Secret>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> refresher.accessToken("sam")));
            }
            Await.until("the first refresh to reach the server", Duration.ofSeconds(10), () -> refreshes() == 1);
            server.releaseTokenRequests();
            HashSet<String> tokens = new HashSet<>();
            for (Future<Secret> result : results) {
                tokens.add(result.get(30, TimeUnit.SECONDS).reveal());
            }
            assertThat(tokens).hasSize(1);
            assertThat(refreshes()).isEqualTo(1);
        } finally {
            server.releaseTokenRequests();
            pool.shutdownNow();
        }
    }

    @Test
    void aSupplierAskedAgainForTheTokenALoginRefusedGetsARefreshedOneUnlessThatTokenIsFresh() {
        server.accessTokenSeconds(3600);
        Supplier<Secret> supplier = refresher.supplier("sam");
        Secret first = supplier.get();
        assertThat(supplier.get().reveal()).as("a token obtained just now is not replaced (a probe, then a sync)")
                .isEqualTo(first.reveal());

        clock.advance(Duration.ofSeconds(90));
        Secret retried = supplier.get();          // the scheduler's one retry after a refused login
        assertThat(retried.reveal()).isNotEqualTo(first.reveal());
        assertThat(supplier.get().reveal()).as("the new token is fresh: no second refresh").isEqualTo(retried.reveal());
        assertThat(refreshes()).isEqualTo(2);
        assertThat(refresher.supplier("sam").get().reveal()).as("another supplier shares the cache")
                .isEqualTo(retried.reveal());
        assertThat(supplier.toString()).doesNotContain(retried.reveal());

        clock.advance(Duration.ofMinutes(30));    // an IDLE connection reconnecting: no refresh for that
        assertThat(supplier.get().reveal()).isEqualTo(retried.reveal());
        assertThat(refreshes()).isEqualTo(2);
    }

    @Test
    void aGrantRevokedWhileItsTokenIsStillValidShowsAtTheRetryAfterTheRefusedLogin() {
        server.accessTokenSeconds(3600);
        Supplier<Secret> supplier = refresher.supplier("sam");
        supplier.get();
        clock.advance(Duration.ofMinutes(10));
        server.revokeAll();                       // the person removed the app's access at the provider
        supplier.get();                           // the scheduler's attempt: the server refuses this token
        assertThatThrownBy(supplier::get)         // its retry: a refresh, and the truth
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED));
    }

    @Test
    void anUnreachableOrFailingServerIsRetryableAndAStillValidTokenIsUsedMeanwhile() {
        server.accessTokenSeconds(120);
        Secret valid = refresher.accessToken("sam");
        server.answerEverythingWith(503);
        clock.advance(Duration.ofSeconds(70));   // inside the 60 s margin, still valid
        assertThat(refresher.accessToken("sam").reveal()).isEqualTo(valid.reveal());
        clock.advance(Duration.ofSeconds(60));   // expired
        assertThatThrownBy(() -> refresher.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_UNAVAILABLE))
                .hasMessage("Account 'sam' at Google: the token endpoint answered HTTP 503 (server error); it is tried"
                        + " again later");
        server.answerEverythingWith(429);
        assertThatThrownBy(() -> refresher.accessToken("sam"))
                .hasMessageContaining("HTTP 429 (too many requests)");

        server.close();   // down: connection refused
        assertThatThrownBy(() -> refresher.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_UNAVAILABLE))
                .hasMessageStartingWith("Account 'sam' at Google: the token endpoint " + server.tokenEndpoint()
                        + " could not be reached (ConnectException)");
    }

    @Test
    void microsoftsCodesForExpiredRevokedOrMfaGrantsMeanReconnectAndAWrongSecretMeansMisconfigured() {
        for (String code : List.of("AADSTS70008", "AADSTS700082", "AADSTS50173", "AADSTS54005", "AADSTS70000",
                "AADSTS50076", "AADSTS50079")) {
            assertThat(TokenEndpoint.reason("invalid_grant", code + ": The refresh token has expired. Trace ID: 1"))
                    .as(code).isEqualTo(Reason.GRANT_REVOKED);
        }
        assertThat(TokenEndpoint.reason("invalid_client", "AADSTS7000215: Invalid client secret provided."))
                .isEqualTo(Reason.MISCONFIGURED);
        assertThat(TokenEndpoint.reason("unauthorized_client", "")).isEqualTo(Reason.MISCONFIGURED);
        assertThat(TokenEndpoint.reason("interaction_required", "AADSTS50076: multi-factor")).isEqualTo(Reason.GRANT_REVOKED);

        server.refuseRefreshesWith("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity.");
        assertThatThrownBy(() -> refresher.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED))
                .hasMessageContaining("(invalid_grant: AADSTS700082: The refresh token has expired due to inactivity.)");

        TokenRefresher wrongClient = TokenRefresher.builder(OAuth2Client.builder(client.provider()).clientId("crm-app")
                .clientSecret(Secret.of("wrong")).clock(clock).build()).store(store).build();
        server.refuseRefreshesWith(null, null);
        assertThatThrownBy(() -> wrongClient.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
                .hasMessageContaining("invalid_client");
    }

    @Test
    void aWrongTokenEndpointOrAnAccountWithoutRefreshTokenIsMisconfigured() {
        OAuth2Provider wrong = client.provider().toBuilder().tokenEndpoint(server.baseUri().resolve("/nothing-here")).build();
        TokenRefresher lost = TokenRefresher.builder(OAuth2Client.builder(wrong).clientId("crm-app").build())
                .store(store).build();
        assertThatThrownBy(() -> lost.accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
                .hasMessage("Account 'sam' at Google: the token endpoint " + server.baseUri().resolve("/nothing-here")
                        + " answered HTTP 404 without an OAuth 2.0 error: check the token endpoint URL");
        assertThatThrownBy(() -> refresher.accessToken("nobody"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
                .hasMessage("Account 'nobody' at Google: no refresh token is stored for this account: connect the"
                        + " mailbox (consent) again");
    }

}
