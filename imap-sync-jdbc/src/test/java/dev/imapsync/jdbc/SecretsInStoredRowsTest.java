package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.secrets.SecretScenarios;
import dev.imapsync.secrets.SecretsNeverLeakTest;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stored half of "secrets never printed or stored in clear": accounts with a known password
 * and a known OAuth2 refresh and access token (and a refresh token rotated through
 * {@link JdbcAccountRepository#replaceRefreshToken}) are saved in {@link JdbcAccountRepository}, synced
 * by a {@link SyncScheduler} into {@link JdbcSyncStore} against scripted servers (one accepts,
 * one rejects the password, one rejects the token), and then every column of every row of
 * every {@code imapsync_} table on H2 is read as text (and binary columns as bytes and base64):
 * none holds a secret in any form. The status rows hold the failures' messages, written for
 * people; the values the repository hands out print no secret either.
 */
class SecretsInStoredRowsTest {
    private static final String REFRESH_TOKEN = "1//Refresh-Okapi-Nebula-55";
    /** The refresh token a provider rotated it to, stored with replaceRefreshToken. */
    private static final String ROTATED_TOKEN = "1//Rotated-Pangolin-Aurora-31";
    private static final SecretKeys KEYS = SecretKeys.of("k1", bytes(32));

    private final TestDatabase database = TestDatabase.h2();
    private final List<ScriptedImapServer> servers = new ArrayList<>();

    @AfterEach
    void close() throws SQLException {
        servers.forEach(ScriptedImapServer::close);
        database.close();
    }

    @Test
    void noTableHoldsASecretAfterSyncsThatSucceedAndFail() throws SQLException {
        DataSource ds = database.dataSource();
        JdbcSchema.migrate(ds);
        JdbcAccountRepository repository = JdbcAccountRepository.builder(ds).keys(KEYS)
                .oauth2((accountId, user, refresh) -> Secret.of(SecretScenarios.TOKEN)).build();
        repository.save(managed("good", serve(true, false), false));
        repository.save(managed("bad-password", serve(false, false), false));
        repository.saveOAuth2(managed("bad-token", serve(false, true), true), Secret.of(REFRESH_TOKEN));
        JdbcSyncStore store = JdbcSyncStore.create(ds);
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-bob", "bob@partner.example").build()).build();

        Instant[] now = {Instant.now()};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        try (SyncScheduler scheduler = SyncScheduler.builder().accounts(repository).engine(engine).statusStore(store)
                .leases(JdbcLeases.create(ds)).clock(clock).nodeId("leak-check").build()) {
            scheduler.runPass(); // registers the accounts, each due within its first minute
            now[0] = now[0].plus(Duration.ofMinutes(2));
            assertThat(scheduler.runPass().toString()).contains("synced=1", "failed=2");
            assertThat(scheduler.statuses()).extracting(AccountStatus::accountId, AccountStatus::status)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("good", SyncStatus.OK),
                            org.assertj.core.groups.Tuple.tuple("bad-password", SyncStatus.AUTH_FAILED),
                            org.assertj.core.groups.Tuple.tuple("bad-token", SyncStatus.AUTH_FAILED));
            for (AccountStatus status : scheduler.statuses()) {
                assertNoSecret("status " + status.accountId(), status.toString());
            }
        }
        // the provider rotated the OAuth account's refresh token: the new one is stored encrypted too
        assertThat(repository.replaceRefreshToken("bad-token", Secret.of(REFRESH_TOKEN), Secret.of(ROTATED_TOKEN))).isTrue();
        assertNoSecret("the account list", repository.list().toString());
        for (String id : List.of("good", "bad-password", "bad-token")) {
            assertNoSecret("account " + id, repository.find(id).orElseThrow().toString());
        }

        List<String> tables = imapsyncTables(ds);
        assertThat(tables).contains("IMAPSYNC_ACCOUNT", "IMAPSYNC_ACCOUNT_STATUS", "IMAPSYNC_LEASE", "IMAPSYNC_ACTIVITY");
        int cells = 0;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rows = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        for (int col = 1; col <= meta.getColumnCount(); col++) {
                            String where = table + "." + meta.getColumnName(col);
                            Object value = rows.getObject(col);
                            if (value instanceof byte[] bytes) {
                                assertNoSecret(where, new String(bytes, StandardCharsets.ISO_8859_1));
                                assertNoSecret(where, new String(bytes, StandardCharsets.UTF_8));
                                assertNoSecret(where, Base64.getEncoder().encodeToString(bytes));
                            } else if (value != null) {
                                assertNoSecret(where, rows.getString(col));
                            }
                            cells++;
                        }
                    }
                }
            }
        }
        assertThat(cells).as("cells read").isGreaterThan(50);
    }

    private static void assertNoSecret(String where, String text) {
        SecretsNeverLeakTest.assertNoSecret(where, text);
        assertThat(text).as("the refresh token in %s", where).doesNotContain(REFRESH_TOKEN, "Okapi-Nebula",
                Base64.getEncoder().encodeToString(REFRESH_TOKEN.getBytes(StandardCharsets.UTF_8)));
        assertThat(text).as("the rotated refresh token in %s", where).doesNotContain(ROTATED_TOKEN, "Pangolin-Aurora",
                Base64.getEncoder().encodeToString(ROTATED_TOKEN.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> imapsyncTables(DataSource ds) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = ds.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name.toUpperCase(java.util.Locale.ROOT).startsWith("IMAPSYNC_")) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private ManagedAccount managed(String id, ScriptedImapServer server, boolean oauth) {
        ImapAccount.Builder b = ImapAccount.builder().id(id).emailAddress(SecretScenarios.USER)
                .endpoint("127.0.0.1", server.port(), Security.SSL_TLS)
                .trustCertificatePem(TestCertificates.localhost().pem());
        b = oauth ? b.credentials(Credentials.oauth2(SecretScenarios.USER, () -> Secret.of(SecretScenarios.TOKEN)))
                : b.password(SecretScenarios.USER, SecretScenarios.PASSWORD);
        return ManagedAccount.of(b.build()).withFolders(FolderChoice.named(List.of("INBOX")));
    }

    private ScriptedImapServer serve(boolean accept, boolean oauth) {
        Map<String, List<String>> login = SecretScenarios.loginAnswer(oauth, accept);
        ScriptedImapServer server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(),
                SecretScenarios.script(login));
        servers.add(server);
        return server;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }
}
