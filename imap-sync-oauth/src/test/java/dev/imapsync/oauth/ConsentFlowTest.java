package dev.imapsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.testing.LocalAuthorizationServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consent flow against a local authorization server standing in for Google and Microsoft:
 * the exact consent URL each preset builds (checked as the server received it), the state
 * check, the PKCE S256 challenge and verifier, the code exchange for a confidential and a
 * public client, and the account it hands back.
 */
class ConsentFlowTest {
    private static final URI REDIRECT = URI.create("http://127.0.0.1:8765/callback");
    private final LocalAuthorizationServer server = LocalAuthorizationServer.start()
            .client("crm-app", "s3cret-of-the-client", REDIRECT.toString())
            .client("cli-app", null, REDIRECT.toString())
            .consentingUser("sam@acme.example");

    @AfterEach
    void stop() {
        server.close();
    }

    private OAuth2Provider local(OAuth2Provider preset) {
        return preset.toBuilder().authorizationEndpoint(server.authorizationEndpoint())
                .tokenEndpoint(server.tokenEndpoint()).build();
    }

    @Test
    void googlesConsentUrlAsksForOfflineAccessToGmailWithPkceAndState() throws Exception {
        OAuth2Client client = OAuth2Client.builder(local(OAuth2Provider.google())).clientId("crm-app")
                .clientSecret(Secret.of("s3cret-of-the-client")).build();
        ConsentRequest consent = client.consent(REDIRECT, "sam@acme.example");

        URI callback = server.consent(consent.url());
        LocalAuthorizationServer.Request asked = server.requests().get(0);
        assertThat(asked.method()).isEqualTo("GET");
        assertThat(asked.path()).isEqualTo("/authorize");
        assertThat(asked.params()).containsEntry("response_type", "code")
                .containsEntry("client_id", "crm-app")
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("scope", "https://mail.google.com/ openid email")
                .containsEntry("access_type", "offline")
                .containsEntry("prompt", "consent")
                .containsEntry("login_hint", "sam@acme.example")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("state", consent.state());
        assertThat(consent.state()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(asked.param("code_challenge")).isEqualTo(s256(consent.codeVerifier().reveal()));

        OAuth2Grant grant = client.exchange(consent, callback);
        LocalAuthorizationServer.Request exchange = server.tokenRequests().get(0);
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.params()).containsEntry("grant_type", "authorization_code")
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("code_verifier", consent.codeVerifier().reveal())
                .containsEntry("client_id", "crm-app")
                .containsEntry("client_secret", "s3cret-of-the-client");   // client_secret_post, as Google documents
        assertThat(grant.address()).contains("sam@acme.example");
        assertThat(grant.scopes()).containsExactly("https://mail.google.com/", "openid", "email");
        assertThat(server.issuedTokens()).contains(grant.refreshToken().reveal(), grant.accessToken().reveal());

        ImapAccount account = grant.accountBuilder("crm-user-42").build();
        assertThat(account.endpoint().host()).isEqualTo("imap.gmail.com");
        assertThat(account.endpoint().port()).isEqualTo(993);
        assertThat(account.emailAddress()).isEqualTo("sam@acme.example");
        Credentials.OAuth2 credentials = (Credentials.OAuth2) account.credentials();
        assertThat(credentials.user()).isEqualTo("sam@acme.example");
        assertThat(credentials.accessTokens().get().reveal()).isEqualTo(grant.accessToken().reveal());
    }

    @Test
    void microsoftsConsentUrlNamesTheTenantAndAsksForImapAndOfflineAccess() {
        OAuth2Provider microsoft = OAuth2Provider.microsoft("organizations");
        assertThat(microsoft.authorizationEndpoint()).get()
                .hasToString("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize");
        assertThat(microsoft.tokenEndpoint())
                .hasToString("https://login.microsoftonline.com/organizations/oauth2/v2.0/token");
        assertThat(microsoft.imapEndpoint().orElseThrow().host()).isEqualTo("outlook.office365.com");
        assertThat(OAuth2Provider.microsoft("72f988bf-86f1-41af-91ab-2d7cd011db47").tokenEndpoint().getPath())
                .isEqualTo("/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
        assertThatThrownBy(() -> OAuth2Provider.microsoft("common/../x"))
                .hasMessageContaining("The Microsoft tenant 'common/../x' is not valid");

        OAuth2Client client = OAuth2Client.builder(local(microsoft)).clientId("cli-app").build();   // public client
        ConsentRequest consent = client.consent(REDIRECT);
        URI callback = server.consent(consent.url());
        assertThat(server.requests().get(0).params())
                .containsEntry("scope", "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid email")
                .containsEntry("client_id", "cli-app")
                .containsEntry("code_challenge_method", "S256")
                .doesNotContainKeys("access_type", "prompt", "login_hint");

        OAuth2Grant grant = client.exchange(consent, callback);
        LocalAuthorizationServer.Request exchange = server.tokenRequests().get(0);
        assertThat(exchange.params()).containsEntry("client_id", "cli-app").doesNotContainKey("client_secret");
        assertThat(exchange.authorization()).isNull();
        assertThat(grant.refreshToken().reveal()).startsWith("rt-");
        assertThat(grant.toString()).doesNotContain(grant.refreshToken().reveal()).doesNotContain(grant.accessToken().reveal());
        assertThat(consent.toString()).doesNotContain(consent.codeVerifier().reveal());
    }

    @Test
    void aGenericServerFoundByDiscoveryUsesHttpBasicForItsSecret() {
        OAuth2Provider provider = OAuth2Provider.discover("Example Mail", server.baseUri(), Duration.ofSeconds(5))
                .scopes(List.of("mail")).build();
        assertThat(provider.tokenEndpoint()).isEqualTo(server.tokenEndpoint());
        OAuth2Client client = OAuth2Client.builder(provider).clientId("crm-app")
                .clientSecret(Secret.of("s3cret-of-the-client")).build();
        ConsentRequest consent = client.consent(REDIRECT);
        OAuth2Grant grant = client.exchange(consent, server.consent(consent.url()));

        LocalAuthorizationServer.Request exchange = server.tokenRequests().get(0);
        assertThat(exchange.authorization()).startsWith("Basic ");
        assertThat(exchange.params()).doesNotContainKey("client_secret");
        assertThat(grant.scopes()).containsExactly("mail");
        assertThat(provider.imapEndpoint()).as("no fixed IMAP server: the host gives the endpoint").isEmpty();
        assertThat(grant.accountBuilder("x").endpoint("imap.example.test", 993, dev.imapsync.account.Security.SSL_TLS)
                .build().credentials().user()).isEqualTo("sam@acme.example");
    }

    @Test
    void anAnswerWithAnotherStateIsRefusedBeforeAnyTokenRequest() {
        OAuth2Client client = OAuth2Client.builder(local(OAuth2Provider.google())).clientId("crm-app")
                .clientSecret(Secret.of("s3cret-of-the-client")).build();
        ConsentRequest mine = client.consent(REDIRECT);
        ConsentRequest other = client.consent(REDIRECT);
        URI callback = server.consent(other.url());

        assertThatThrownBy(() -> client.exchange(mine, callback))
                .isInstanceOf(ImapSyncException.class)
                .hasMessage("The answer from Google does not belong to this consent request (its state differs): it may"
                        + " be forged or from an older attempt; start the consent again");
        assertThat(server.tokenRequests()).isEmpty();
    }

    @Test
    void aCodeUsedTwiceOrAWrongVerifierIsRefusedByTheServer() {
        OAuth2Client client = OAuth2Client.builder(local(OAuth2Provider.google())).clientId("crm-app")
                .clientSecret(Secret.of("s3cret-of-the-client")).build();
        ConsentRequest consent = client.consent(REDIRECT);
        URI callback = server.consent(consent.url());
        client.exchange(consent, callback);

        assertThatThrownBy(() -> client.exchange(consent, callback))
                .isInstanceOfSatisfying(AccessTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccessTokenException.Reason.GRANT_REVOKED))
                .hasMessage("The consent at Google: the token endpoint refused the request (invalid_grant: The"
                        + " authorization code is invalid or was used.): the code has expired or was used already;"
                        + " start the consent again");

        ConsentRequest second = client.consent(REDIRECT);
        URI secondCallback = server.consent(second.url());
        ConsentRequest forged = client.consent(REDIRECT);   // another verifier, the same state checked below
        assertThatThrownBy(() -> client.exchange(new ConsentRequest(forged.url(), second.state(), REDIRECT,
                forged.codeVerifier(), forged.createdAt()), secondCallback))
                .hasMessageContaining("PKCE verification failed");
    }

    @Test
    void aRefusedConsentAndAWrongSecretSayWhatToDo() {
        OAuth2Client wrongSecret = OAuth2Client.builder(local(OAuth2Provider.google())).clientId("crm-app")
                .clientSecret(Secret.of("not-the-secret")).build();
        ConsentRequest consent = wrongSecret.consent(REDIRECT);
        URI callback = server.consent(consent.url());
        assertThatThrownBy(() -> wrongSecret.exchange(consent, callback))
                .isInstanceOfSatisfying(AccessTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccessTokenException.Reason.MISCONFIGURED))
                .hasMessageContaining("(invalid_client: Client authentication failed.)")
                .hasMessageContaining("check the client id, the client secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret"));

        URI denied = URI.create(REDIRECT + "?error=access_denied&state=" + consent.state());
        assertThatThrownBy(() -> wrongSecret.exchange(consent, denied))
                .hasMessageStartingWith("The consent at Google was refused (access_denied)");
    }

    private static String s256(String verifier) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }
}
