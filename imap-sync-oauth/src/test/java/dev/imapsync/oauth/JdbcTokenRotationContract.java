package dev.imapsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.AccessTokenException.Reason;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Secret;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.jdbc.TestDatabase;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.LocalAuthorizationServer;
import dev.imapsync.testing.SettableClock;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's refresher wired to {@link JdbcAccountRepository} as the README shows, on one
 * database: a rotated refresh token is in {@code imapsync_account} (encrypted) before the new
 * access token is used, the next refresh uses it, the server refuses the old one, a revoked
 * grant stops the requests until the account is saved again, and no column holds a token in clear.
 */
abstract class JdbcTokenRotationContract {
    private static final URI REDIRECT = URI.create("http://127.0.0.1:8765/callback");
    private static final SecretKeys KEYS = SecretKeys.of("k1", new byte[32]);

    private final LocalAuthorizationServer server = LocalAuthorizationServer.start()
            .client("crm-app", "s3cret-of-the-client", REDIRECT.toString())
            .consentingUser("sam@acme.example")
            .accessTokenSeconds(5)
            .rotateRefreshTokens(true);
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-12-07T10:00:00Z"));
    private TestDatabase database;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @AfterEach
    void stop() throws SQLException {
        server.close();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void rotatedRefreshTokensAreStoredEncryptedBeforeUseAndTheOldOnesAreRefused() throws SQLException {
        database = newDatabase();
        DataSource dataSource = database.dataSource();
        JdbcSchema.migrate(dataSource);
        OAuth2Provider google = OAuth2Provider.google().toBuilder().authorizationEndpoint(server.authorizationEndpoint())
                .tokenEndpoint(server.tokenEndpoint()).build();
        OAuth2Client client = OAuth2Client.builder(google).clientId("crm-app")
                .clientSecret(Secret.of("s3cret-of-the-client")).clock(clock).build();

        // the wiring of the README
        JdbcAccountRepository accounts = JdbcAccountRepository.builder(dataSource)
                .keys(KEYS)
                .oauth2From(repository -> TokenRefresher.builder(client)
                        .store(RefreshTokenStore.of(repository::refreshToken, repository::replaceRefreshToken))
                        .build()::accessToken)
                .build();

        ConsentRequest consent = client.consent(REDIRECT);
        OAuth2Grant grant = client.exchange(consent, server.consent(consent.url()));
        accounts.saveOAuth2(ManagedAccount.of(grant.accountBuilder("sam").build()), grant.refreshToken());
        long revision = accounts.list().get(0).revision();

        Credentials.OAuth2 credentials = (Credentials.OAuth2) accounts.find("sam").orElseThrow().account().credentials();
        Secret first = credentials.accessTokens().get();
        Secret rotated = accounts.refreshToken("sam").orElseThrow();
        assertThat(rotated.reveal()).isNotEqualTo(grant.refreshToken().reveal());
        assertThat(server.tokenRequests().get(1).param("refresh_token")).isEqualTo(grant.refreshToken().reveal());

        clock.advance(Duration.ofSeconds(10));
        // the account read before the rotation still carries the first refresh token: the store's is used
        Secret second = credentials.accessTokens().get();
        assertThat(second.reveal()).isNotEqualTo(first.reveal());
        assertThat(server.tokenRequests().get(2).param("refresh_token")).isEqualTo(rotated.reveal());
        assertThat(accounts.list().get(0).revision()).as("a rotation is not a save").isEqualTo(revision);

        InMemoryRefreshTokenStore old = new InMemoryRefreshTokenStore();
        old.put("sam", grant.refreshToken());
        assertThatThrownBy(() -> TokenRefresher.builder(client).store(old).build().accessToken("sam"))
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED));

        server.revokeAll();
        clock.advance(Duration.ofSeconds(10));
        Credentials.OAuth2 later = (Credentials.OAuth2) accounts.find("sam").orElseThrow().account().credentials();
        assertThatThrownBy(() -> later.accessTokens().get())
                .isInstanceOfSatisfying(AccessTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANT_REVOKED))
                .hasMessageStartingWith("Account 'sam' at Google: the token endpoint refused the request (invalid_grant");
        int requests = server.requests().size();
        assertThatThrownBy(() -> later.accessTokens().get()).isInstanceOf(AccessTokenException.class);
        assertThat(server.requests()).hasSize(requests);

        ConsentRequest again = client.consent(REDIRECT);   // reconnected: saved again, refreshes resume
        OAuth2Grant regrant = client.exchange(again, server.consent(again.url()));
        accounts.saveOAuth2(ManagedAccount.of(regrant.accountBuilder("sam").build()), regrant.refreshToken());
        Credentials.OAuth2 reconnected = (Credentials.OAuth2) accounts.find("sam").orElseThrow().account().credentials();
        assertThat(reconnected.accessTokens().get().reveal()).startsWith("at-");

        String everything = String.join("\n", allColumns(dataSource));
        for (String token : server.issuedTokens()) {
            assertThat(everything).as("a token in clear in the database").doesNotContain(token);
        }
    }

    static List<String> allColumns(DataSource dataSource) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM imapsync_account")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    values.add(String.valueOf(rs.getString(i)));
                }
            }
        }
        return values;
    }
}
