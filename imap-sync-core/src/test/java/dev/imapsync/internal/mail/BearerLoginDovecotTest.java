package dev.imapsync.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.SignedJWT;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.internal.transport.TlsSettings;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.LocalOAuthServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * XOAUTH2 and OAUTHBEARER against the project's Dovecot, whose {@code oauth2} passdb asks a
 * real OAuth 2.0 server (the {@link LocalOAuthServer} this test runs on the port the start script
 * gave Dovecot) about every token: each mechanism logs in with a token that server issued, and
 * is refused, with the server's error challenge, once the token has expired or was revoked; a
 * missing OAuth server is a temporary failure, not a refused token.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_DOVECOT_OAUTH_PORT", matches = ".+", disabledReason = "needs the"
        + " project's Dovecot with its oauth2 passdb: run .ci/dovecot/start.sh and source its env file")
class BearerLoginDovecotTest {
    private final Dovecot dovecot = Dovecot.fromEnvironment();
    private LocalOAuthServer oauth;

    @BeforeEach
    void startOAuthServer() {
        oauth = LocalOAuthServer.startForDovecot(Dovecot.OAUTH_USER);
    }

    @AfterEach
    void stopOAuthServer() {
        oauth.close();
    }

    @ParameterizedTest
    @EnumSource(BearerLogin.class)
    void eachMechanismLogsInWithATokenTheOAuthServerIssued(BearerLogin mechanism) throws Exception {
        long loginsBefore = dovecotLogins(mechanism);
        String token = oauth.issueAccessToken();

        try (MailboxConnection connection = open(() -> Secret.of(token), mechanism)) {
            assertThat(connection.listFolders()).extracting(ListedFolder::rawName).contains("INBOX", "Sent", "Archive");
        }

        assertThat(oauth.activeAnswers()).as("Dovecot asked the OAuth server about the token").isEqualTo(1);
        assertThat(dovecotLogins(mechanism)).as("Dovecot's log names the mechanism").isEqualTo(loginsBefore + 1);
    }

    @ParameterizedTest
    @EnumSource(BearerLogin.class)
    void anExpiredTokenIsRefusedAndTheServersErrorChallengeIsKept(BearerLogin mechanism) throws Exception {
        String token = oauth.accessTokenLifetime(Duration.ofSeconds(1)).issueAccessToken();
        Instant expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
        Await.until("the token to expire", Duration.ofSeconds(5), () -> Instant.now().isAfter(expiry));

        ConnectionFailure failure = catchThrowableOfType(() -> open(() -> Secret.of(token), mechanism).close(),
                ConnectionFailure.class);

        assertThat(failure.classified().kind()).isEqualTo(FailureKind.AUTH_FAILED);
        // Dovecot 2.3 sends {"status":"invalid_token",...} for OAUTHBEARER and {"status":"401",...} for XOAUTH2
        assertThat(failure.classified().detail()).startsWith("the server rejected the credentials: ")
                .endsWith("(the server's error challenge said: "
                        + (mechanism == BearerLogin.OAUTHBEARER ? "invalid_token" : "401") + ")");
        assertThat(failure.toString()).doesNotContain(token);
        assertThat(oauth.introspections()).isEqualTo(1);
        assertThat(oauth.activeAnswers()).isZero();
    }

    @Test
    void aRevokedTokenIsRefusedFromTheNextLoginOn() throws Exception {
        String token = oauth.issueAccessToken();
        open(() -> Secret.of(token), BearerLogin.OAUTHBEARER).close();
        oauth.revoke(token);

        ConnectionFailure failure = catchThrowableOfType(() -> open(() -> Secret.of(token), BearerLogin.OAUTHBEARER)
                .close(), ConnectionFailure.class);

        assertThat(failure.classified().kind()).isEqualTo(FailureKind.AUTH_FAILED);
        assertThat(oauth.introspections()).isEqualTo(2);
    }

    @Test
    void withTheOAuthServerDownTheLoginIsATemporaryFailureNotARefusedToken() throws Exception {
        String token = oauth.issueAccessToken();
        oauth.close();

        ConnectionFailure failure = catchThrowableOfType(() -> open(() -> Secret.of(token), BearerLogin.XOAUTH2)
                .close(), ConnectionFailure.class);

        assertThat(failure.classified().kind()).isEqualTo(FailureKind.OAUTH_UNAVAILABLE);
        assertThat(failure.classified().detail()).startsWith("the server could not check the OAuth2 token now (its"
                + " authorization server may be down): ").contains("[UNAVAILABLE]");
    }

    private MailboxConnection open(Supplier<Secret> tokens, BearerLogin preferred) throws ConnectionFailure {
        ImapAccount account = ImapAccount.builder().id("oauth-dovecot")
                .endpoint(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS)
                .credentials(Credentials.oauth2(Dovecot.OAUTH_USER, tokens))
                .trustCertificatePem(dovecot.certificatePem()).build();
        return MailboxConnection.open(account, account.endpoint(), TlsSettings.trusting(account.trustedCertificates()),
                SocketDeadline.none(), preferred);
    }

    /** Dovecot's log lines of logins of the OAuth user with this mechanism. */
    private long dovecotLogins(BearerLogin mechanism) throws IOException {
        return Files.readAllLines(dovecot.log(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("Login: user=<" + Dovecot.OAUTH_USER + ">, method=" + mechanism.name() + ","))
                .count();
    }
}
