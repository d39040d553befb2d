package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.AccountUnavailableException;
import dev.imapsync.schedule.ManagedAccount;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcAccountRepository} on one database: settings round trip, secrets encrypted at rest,
 * wrong and missing keys, key rotation, OAuth 2.0 refresh tokens, concurrent saves.
 */
abstract class JdbcAccountRepositoryContract {
    private static final String PASSWORD = "correct horse battery staple \u00e9\u263a";
    private static final byte[] KEY_2025 = bytes(32, 1);
    private static final byte[] KEY_2026 = bytes(32, 2);
    private static final SecretKeys KEYS = SecretKeys.of("k2025", KEY_2025);

    private TestDatabase database;
    private DataSource dataSource;
    private JdbcAccountRepository repository;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @BeforeEach
    void migrate() {
        database = newDatabase();
        dataSource = database.dataSource();
        JdbcSchema.migrate(dataSource);
        repository = repository(KEYS);
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Test
    void keepsEverySettingOfAnAccount() {
        String pem = resource("self-signed.pem");
        ImapAccount account = ImapAccount.builder()
                .id("alice-1")
                .emailAddress("alice@example.com")
                .alias("a.smith@example.com")
                .alias("sales@example.com")
                .endpoint("imap.example.com", 143, Security.STARTTLS)
                .password("alice", PASSWORD)
                .connectTimeout(Duration.ofSeconds(7))
                .readTimeout(Duration.ofSeconds(41))
                .writeTimeout(Duration.ofSeconds(12))
                .trustCertificatePem(pem)
                .build();
        List<String> folders = List.of("INBOX", "Gesendete Elemente", "Projekte/2026 \u2013 Q4", "[Gmail]/Sent Mail");
        repository.save(new ManagedAccount(account, FolderChoice.named(folders),
                Optional.of(Duration.ofDays(30)), Optional.of(Duration.ofMinutes(15))));

        ManagedAccount read = repository.find("alice-1").orElseThrow();

        ImapAccount a = read.account();
        assertThat(a.id()).isEqualTo("alice-1");
        assertThat(a.emailAddress()).isEqualTo("alice@example.com");
        assertThat(a.aliases()).containsExactlyInAnyOrder("a.smith@example.com", "sales@example.com");
        assertThat(a.endpoint()).isEqualTo(account.endpoint());
        assertThat(a.credentials().user()).isEqualTo("alice");
        assertThat(((Credentials.Password) a.credentials()).password().reveal()).isEqualTo(PASSWORD);
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(a.readTimeout()).isEqualTo(Duration.ofSeconds(41));
        assertThat(a.writeTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(a.allowInsecure()).isFalse();
        assertThat(a.trustedCertificates()).containsExactlyElementsOf(account.trustedCertificates());
        assertThat(read.folders()).isEqualTo(FolderChoice.named(folders));
        assertThat(read.initialWindow()).contains(Duration.ofDays(30));
        assertThat(read.interval()).contains(Duration.ofMinutes(15));
    }

    @Test
    void keepsTheDefaults() {
        ImapAccount account = ImapAccount.builder().endpoint("127.0.0.1", 143, Security.NONE).allowInsecure(true)
                .password("bob@example.org", PASSWORD).build();
        repository.save(ManagedAccount.of(account));

        ManagedAccount read = repository.find("bob@example.org").orElseThrow();

        assertThat(read.folders()).isEqualTo(FolderChoice.recommended());
        assertThat(read.initialWindow()).isEmpty();
        assertThat(read.interval()).isEmpty();
        assertThat(read.account().allowInsecure()).isTrue();
        assertThat(read.account().aliases()).isEmpty();
        assertThat(read.account().trustedCertificates()).isEmpty();
        assertThat(read.account().connectTimeout()).isEqualTo(ImapAccount.DEFAULT_CONNECT_TIMEOUT);
        assertThat(repository.find("nobody")).isEmpty();
    }

    @Test
    void storesNoSecretInClear() throws SQLException {
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));

        List<String> row = rawRow("alice");
        assertThat(String.join("|", row)).doesNotContain(PASSWORD).doesNotContain("correct horse");
        assertThat(rawValue("alice", "secret_key_id")).isEqualTo("k2025");
        // a fresh nonce each time: the same password saved twice is stored differently
        String first = rawValue("alice", "secret");
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
        assertThat(rawValue("alice", "secret")).isNotEqualTo(first);
    }

    @Test
    void listsAccountsWithoutDecryptingAnything() {
        repository.save(ManagedAccount.of(account("carol", PASSWORD)).withInterval(Duration.ofMinutes(2)));
        repository.save(ManagedAccount.of(account("alice", PASSWORD)).withFolders(FolderChoice.named(List.of("INBOX"))));

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
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
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
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
        JdbcAccountRepository other = repository(SecretKeys.of("k2026", KEY_2026));

        assertThatThrownBy(() -> other.find("alice"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("account 'alice' is encrypted with key 'k2025', which is not configured")
                .hasMessageContaining("[k2026]")
                .hasMessageContaining("add key 'k2025' as a retired key");
    }

    @Test
    void aSecretCopiedToAnotherAccountDoesNotDecrypt() throws SQLException {
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
        repository.save(ManagedAccount.of(account("mallory", "mallory's own")));
        try (Connection c = dataSource.getConnection();
             PreparedStatement copy = c.prepareStatement("UPDATE imapsync_account SET secret = ? WHERE account_id = ?")) {
            copy.setString(1, rawValue("alice", "secret"));
            copy.setString(2, "mallory");
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> repository.find("mallory"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("account 'mallory' does not decrypt");
        assertThat(password(repository.find("alice").orElseThrow())).isEqualTo(PASSWORD);
    }

    @Test
    void rotatesKeysWithoutChangingTheAccounts() throws SQLException {
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
        repository.save(ManagedAccount.of(account("bob", "bob's password")));
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
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
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
    void everySaveChangesTheRevision() {
        repository.save(ManagedAccount.of(account("alice", PASSWORD)));
        long first = summary("alice").revision();
        repository.save(ManagedAccount.of(account("alice", "a new password")));

        assertThat(summary("alice").revision()).isGreaterThan(first);
        assertThat(password(repository.find("alice").orElseThrow())).isEqualTo("a new password");
    }

    @Test
    void oauthAccountsKeepTheirRefreshTokenAndAskTheTokenSource() throws SQLException {
        ImapAccount account = ImapAccount.builder().id("olivia").emailAddress("olivia@gmail.com")
                .endpoint("imap.gmail.com", 993, Security.SSL_TLS)
                .credentials(Credentials.oauth2("olivia@gmail.com", () -> Secret.of("ignored")))
                .build();
        repository.saveOAuth2(ManagedAccount.of(account), Secret.of("1//refresh-token-of-olivia"));
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
        assertThatThrownBy(() -> repository.find("olivia"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("Account 'olivia' signs in with OAuth 2.0, but no OAuth2TokenSource is configured");
        assertThatThrownBy(() -> repository.save(ManagedAccount.of(account)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("saveOAuth2(account, refreshToken)");
    }

    @Test
    void removesTheAccountButKeepsTheHistory() throws SQLException {
        repository.save(ManagedAccount.of(account("alice", PASSWORD)).withFolders(FolderChoice.named(List.of("INBOX"))));
        repository.save(ManagedAccount.of(account("bob", PASSWORD)));

        assertThat(repository.remove("alice")).isTrue();
        assertThat(repository.remove("alice")).isFalse();

        assertThat(repository.find("alice")).isEmpty();
        assertThat(repository.list()).extracting(AccountSummary::id).containsExactly("bob");
        assertThat(count("SELECT COUNT(*) FROM imapsync_account_folder")).isZero();
    }

    @Test
    void refusesValuesTooLongToStore() {
        String folder = "x".repeat(1001);
        ManagedAccount managed = ManagedAccount.of(account("alice", PASSWORD))
                .withFolders(FolderChoice.named(List.of(folder)));

        assertThatThrownBy(() -> repository.save(managed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("folder name of account 'alice' has 1001 characters; at most 1000");
        assertThat(repository.list()).isEmpty();
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
                        repository.save(ManagedAccount.of(account("alice", "password " + thread + "-" + i))
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
        ManagedAccount read = repository.find("alice").orElseThrow();
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

    private static ImapAccount account(String id, String password) {
        return ImapAccount.builder().id(id).emailAddress(id + "@example.com")
                .endpoint("imap.example.com", 993, Security.SSL_TLS)
                .password(id + "@example.com", password)
                .build();
    }

    private static String password(ManagedAccount account) {
        return ((Credentials.Password) account.account().credentials()).password().reveal();
    }

    private AccountSummary summary(String id) {
        return repository.list().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
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

    private static String resource(String name) {
        try (InputStream in = JdbcAccountRepositoryContract.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(int length, int seed) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) seed);
        key[0] = (byte) (seed * 31);
        return key;
    }
}
