package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.policy.BulkMail;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.Visibility;
import dev.imapsync.schedule.AccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.AccountUnavailableException;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.contract.AccountRepositoryContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcAccountRepository} on one database: the {@link AccountRepositoryContract}, plus what
 * only this repository promises: secrets encrypted at rest, wrong and missing keys, key rotation,
 * OAuth 2.0 refresh tokens, removal, concurrent saves.
 */
abstract class JdbcAccountRepositoryContract extends AccountRepositoryContract {
    private static final byte[] KEY_2025 = bytes(32, 1);
    private static final byte[] KEY_2026 = bytes(32, 2);
    private static final SecretKeys KEYS = SecretKeys.of("k2025", KEY_2025);

    private TestDatabase database;
    private DataSource dataSource;
    private JdbcAccountRepository accounts;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @Override
    protected AccountRepository newRepository() {
        database = newDatabase();
        dataSource = database.dataSource();
        JdbcSchema.migrate(dataSource);
        accounts = repository(KEYS);
        return accounts;
    }

    @Override
    protected void save(ManagedAccount account) {
        accounts.save(account);
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }



    @Test
    void keepsEachAccountsPrivacySettings() {
        PrivacySettings strict = new PrivacySettings(Visibility.METADATA, true, BulkMail.FLAG,
                Set.of("Acme.example", "acme-group.example"));
        accounts.save(ManagedAccount.of(ImapAccount.builder().id("alice").emailAddress("alice@acme.example")
                .endpoint("imap.example.com", 993, Security.SSL_TLS).password("alice", PASSWORD).privacy(strict).build()));
        accounts.save(ManagedAccount.of(account("bob", PASSWORD)));

        assertThat(accounts.find("alice").orElseThrow().account().privacy()).isEqualTo(strict);
        assertThat(accounts.find("bob").orElseThrow().account().privacy()).isEqualTo(PrivacySettings.defaults());

        accounts.save(ManagedAccount.of(ImapAccount.builder().id("alice").emailAddress("alice@acme.example")
                .endpoint("imap.example.com", 993, Security.SSL_TLS).password("alice", PASSWORD)
                .privacy(strict.withVisibility(Visibility.SUBJECT).withInternalDomains(Set.of())).build()));
        assertThat(accounts.find("alice").orElseThrow().account().privacy())
                .isEqualTo(new PrivacySettings(Visibility.SUBJECT, true, BulkMail.FLAG, Set.of()));
    }

    @Test
    void storesNoSecretInClear() throws SQLException {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));

        List<String> row = rawRow("alice");
        assertThat(String.join("|", row)).doesNotContain(PASSWORD).doesNotContain("correct horse");
        assertThat(rawValue("alice", "secret_key_id")).isEqualTo("k2025");
        // a fresh nonce each time: the same password saved twice is stored differently
        String first = rawValue("alice", "secret");
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        assertThat(rawValue("alice", "secret")).isNotEqualTo(first);
    }

    @Test
    void listsAccountsWithoutDecryptingAnything() {
        accounts.save(ManagedAccount.of(account("carol", PASSWORD)).withInterval(Duration.ofMinutes(2)));
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)).withFolders(FolderChoice.named(List.of("INBOX"))));

        JdbcAccountRepository withOtherKeys = repository(SecretKeys.of("other", bytes(32, 9)));
        List<AccountSummary> summaries = withOtherKeys.list();

        assertThat(summaries).extracting(AccountSummary::id).containsExactly("alice", "carol");
        AccountSummary alice = summaries.get(0);
        assertThat(alice.user()).isEqualTo("alice@example.com");
        assertThat(alice.email()).isEqualTo("alice@example.com");
        assertThat(alice.endpoint().host()).isEqualTo("imap.example.com");
        assertThat(alice.oauth2()).isFalse();
        assertThat(alice.folders()).isEqualTo(FolderChoice.named(List.of("INBOX")));
        assertThat(summaries.get(1).interval()).contains(Duration.ofMinutes(2));
        assertThat(summaries.get(1).folders()).isEqualTo(FolderChoice.recommended());
    }

    @Test
    void aWrongKeyIsAClearErrorNamingTheAccountNeverGarbage() {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        JdbcAccountRepository wrong = repository(SecretKeys.of("k2025", bytes(32, 7)));

        assertThatThrownBy(() -> wrong.find("alice"))
                .isInstanceOfSatisfying(AccountUnavailableException.class, e -> assertThat(e.accountId()).isEqualTo("alice"))
                .hasMessageContaining("account 'alice'")
                .hasMessageContaining("does not decrypt with key 'k2025'")
                .hasMessageContaining("Configure the original key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void aMissingKeyIsAClearErrorNamingTheAccountAndTheKey() {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        JdbcAccountRepository other = repository(SecretKeys.of("k2026", KEY_2026));

        assertThatThrownBy(() -> other.find("alice"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("account 'alice' is encrypted with key 'k2025', which is not configured")
                .hasMessageContaining("[k2026]")
                .hasMessageContaining("add key 'k2025' as a retired key");
    }

    @Test
    void aSecretCopiedToAnotherAccountDoesNotDecrypt() throws SQLException {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        accounts.save(ManagedAccount.of(account("mallory", "mallory's own")));
        try (Connection c = dataSource.getConnection();
             PreparedStatement copy = c.prepareStatement("UPDATE imapsync_account SET secret = ? WHERE account_id = ?")) {
            copy.setString(1, rawValue("alice", "secret"));
            copy.setString(2, "mallory");
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> accounts.find("mallory"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("account 'mallory' does not decrypt");
        assertThat(password(accounts.find("alice").orElseThrow())).isEqualTo(PASSWORD);
    }

    @Test
    void rotatesKeysWithoutChangingTheAccounts() throws SQLException {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        accounts.save(ManagedAccount.of(account("bob", "bob's password")));
        long revision = revision("alice");
        SecretKeys rotated = SecretKeys.builder().current("k2026", KEY_2026).retired("k2025", KEY_2025).build();
        JdbcAccountRepository next = repository(rotated);
        // before rotating, rows under the retired key still decrypt
        assertThat(password(next.find("alice").orElseThrow())).isEqualTo(PASSWORD);
        next.save(ManagedAccount.of(account("carol", "carol's password")));

        assertThat(next.rotateKeys()).isEqualTo(2);

        assertThat(rawValue("alice", "secret_key_id")).isEqualTo("k2026");
        assertThat(rawValue("bob", "secret_key_id")).isEqualTo("k2026");
        assertThat(revision("alice")).isEqualTo(revision);
        JdbcAccountRepository onlyNewKey = repository(SecretKeys.of("k2026", KEY_2026));
        assertThat(password(onlyNewKey.find("alice").orElseThrow())).isEqualTo(PASSWORD);
        assertThat(password(onlyNewKey.find("bob").orElseThrow())).isEqualTo("bob's password");
        assertThat(password(onlyNewKey.find("carol").orElseThrow())).isEqualTo("carol's password");
        assertThat(next.rotateKeys()).isZero();
    }

    @Test
    void rotationReEncryptsWhatItCanAndNamesWhatItCannot() throws SQLException {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        repository(SecretKeys.of("lost", bytes(32, 5))).save(ManagedAccount.of(account("bob", "bob's password")));
        JdbcAccountRepository next = repository(
                SecretKeys.builder().current("k2026", KEY_2026).retired("k2025", KEY_2025).build());

        assertThatThrownBy(next::rotateKeys)
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("Re-encrypted 1 account secret(s) under key 'k2026'")
                .hasMessageContaining("account 'bob' is encrypted with key 'lost'");
        assertThat(rawValue("alice", "secret_key_id")).isEqualTo("k2026");
        assertThat(rawValue("bob", "secret_key_id")).isEqualTo("lost");
    }


    @Test
    void oauthAccountsKeepTheirRefreshTokenAndAskTheTokenSource() throws SQLException {
        ImapAccount account = ImapAccount.builder().id("olivia").emailAddress("olivia@gmail.com")
                .endpoint("imap.gmail.com", 993, Security.SSL_TLS)
                .credentials(Credentials.oauth2("olivia@gmail.com", () -> Secret.of("ignored")))
                .build();
        accounts.saveOAuth2(ManagedAccount.of(account), Secret.of("1//refresh-token-of-olivia"));
        List<String> calls = new ArrayList<>();
        JdbcAccountRepository withClient = JdbcAccountRepository.builder(dataSource).keys(KEYS)
                .oauth2((id, user, refresh) -> {
                    calls.add(id + " " + user + " " + refresh.reveal());
                    return Secret.of("access-" + calls.size());
                })
                .build();

        ManagedAccount read = withClient.find("olivia").orElseThrow();
        Credentials.OAuth2 credentials = (Credentials.OAuth2) read.account().credentials();

        assertThat(credentials.accessTokens().get().reveal()).isEqualTo("access-1");
        assertThat(calls).containsExactly("olivia olivia@gmail.com 1//refresh-token-of-olivia");
        assertThat(withClient.list().get(0).oauth2()).isTrue();
        assertThat(String.join("|", rawRow("olivia"))).doesNotContain("refresh-token-of-olivia");
        assertThatThrownBy(() -> accounts.find("olivia"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("Account 'olivia' signs in with OAuth 2.0, but no OAuth2TokenSource is configured");
        assertThatThrownBy(() -> accounts.save(ManagedAccount.of(account)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("saveOAuth2(account, refreshToken)");
    }

    @Test
    void aRotatedRefreshTokenReplacesTheStoredOneOnlyIfItIsStillTheExpectedOne() throws SQLException {
        ImapAccount account = ImapAccount.builder().id("olivia").emailAddress("olivia@gmail.com")
                .endpoint("imap.gmail.com", 993, Security.SSL_TLS)
                .credentials(Credentials.oauth2("olivia@gmail.com", () -> Secret.of("ignored")))
                .build();
        accounts.saveOAuth2(ManagedAccount.of(account), Secret.of("1//first-refresh-token"));
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)));
        long revision = accounts.list().get(1).revision();

        assertThat(accounts.refreshToken("olivia")).map(Secret::reveal).contains("1//first-refresh-token");
        assertThat(accounts.replaceRefreshToken("olivia", Secret.of("1//first-refresh-token"),
                Secret.of("1//second-refresh-token"))).isTrue();
        // a node that still holds the first token loses: the second stays
        assertThat(accounts.replaceRefreshToken("olivia", Secret.of("1//first-refresh-token"),
                Secret.of("1//third-refresh-token"))).isFalse();

        assertThat(accounts.refreshToken("olivia")).map(Secret::reveal).contains("1//second-refresh-token");
        assertThat(accounts.list().get(1).revision()).as("a rotation is not a save").isEqualTo(revision);
        assertThat(String.join("|", rawRow("olivia"))).doesNotContain("refresh-token");
        assertThat(accounts.refreshToken("alice")).as("a password account has no refresh token").isEmpty();
        assertThat(accounts.refreshToken("nobody")).isEmpty();
        assertThat(accounts.replaceRefreshToken("alice", Secret.of(PASSWORD), Secret.of("x"))).isFalse();
        assertThat(accounts.replaceRefreshToken("nobody", Secret.of("a"), Secret.of("b"))).isFalse();

        List<String> seen = new ArrayList<>();
        JdbcAccountRepository wired = JdbcAccountRepository.builder(dataSource).keys(KEYS)
                .oauth2From(repository -> (id, user, refresh) -> {
                    seen.add(repository.refreshToken(id).orElseThrow().reveal());
                    return Secret.of("access");
                })
                .build();
        ((Credentials.OAuth2) wired.find("olivia").orElseThrow().account().credentials()).accessTokens().get();
        assertThat(seen).containsExactly("1//second-refresh-token");
    }

    @Test
    void concurrentRotationsFromTheSameTokenLetExactlyOneWin() throws Exception {
        ImapAccount account = ImapAccount.builder().id("olivia").emailAddress("olivia@gmail.com")
                .endpoint("imap.gmail.com", 993, Security.SSL_TLS)
                .credentials(Credentials.oauth2("olivia@gmail.com", () -> Secret.of("ignored")))
                .build();
        accounts.saveOAuth2(ManagedAccount.of(account), Secret.of("1//shared"));
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String next = "1//node-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return accounts.replaceRefreshToken("olivia", Secret.of("1//shared"), Secret.of(next));
                }));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                if (results.get(i).get(30, TimeUnit.SECONDS)) {
                    winners.add("1//node-" + i);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(accounts.refreshToken("olivia")).map(Secret::reveal).contains(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removesTheAccountButKeepsTheHistory() throws SQLException {
        accounts.save(ManagedAccount.of(account("alice", PASSWORD)).withFolders(FolderChoice.named(List.of("INBOX"))));
        accounts.save(ManagedAccount.of(account("bob", PASSWORD)));

        assertThat(accounts.remove("alice")).isTrue();
        assertThat(accounts.remove("alice")).isFalse();

        assertThat(accounts.find("alice")).isEmpty();
        assertThat(accounts.list()).extracting(AccountSummary::id).containsExactly("bob");
        assertThat(count("SELECT COUNT(*) FROM imapsync_account_folder")).isZero();
    }

    @Test
    void refusesValuesTooLongToStore() {
        String folder = "x".repeat(1001);
        ManagedAccount managed = ManagedAccount.of(account("alice", PASSWORD))
                .withFolders(FolderChoice.named(List.of(folder)));

        assertThatThrownBy(() -> accounts.save(managed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("folder name of account 'alice' has 1001 characters; at most 1000");
        assertThat(accounts.list()).isEmpty();
    }

    @Test
    void concurrentSavesOfOneAccountAllLand() throws Exception {
        int threads = 4;
        int savesEach = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < savesEach; i++) {
                        accounts.save(ManagedAccount.of(account("alice", "password " + thread + "-" + i))
                                .withFolders(FolderChoice.named(List.of("INBOX", "Sent " + thread))));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(summary("alice").revision()).isEqualTo(threads * savesEach);
        ManagedAccount read = accounts.find("alice").orElseThrow();
        // the folders and the password come from the same save
        String sent = ((FolderChoice.Named) read.folders()).names().get(1);
        assertThat(password(read)).startsWith("password " + sent.substring("Sent ".length()) + "-");
        assertThat(count("SELECT COUNT(*) FROM imapsync_account_folder")).isEqualTo(2);
    }

    @Test
    void needsKeys() {
        assertThatThrownBy(() -> JdbcAccountRepository.builder(dataSource).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No keys");
    }

    private JdbcAccountRepository repository(SecretKeys keys) {
        return JdbcAccountRepository.builder(dataSource).keys(keys).build();
    }



    private AccountSummary summary(String id) {
        return accounts.list().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private long revision(String id) {
        return summary(id).revision();
    }

    private String rawValue(String id, String column) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM imapsync_account WHERE account_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("account %s is stored", id).isTrue();
                return rs.getString(1);
            }
        }
    }

    private List<String> rawRow(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM imapsync_account WHERE account_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                ResultSetMetaData meta = rs.getMetaData();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    values.add(String.valueOf(rs.getString(i)));
                }
                return values;
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }


    private static byte[] bytes(int length, int seed) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) seed);
        key[0] = (byte) (seed * 31);
        return key;
    }
}
