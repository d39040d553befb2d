package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts stored in the application's database ({@code imapsync_account} and
 * {@code imapsync_account_folder}), with their secrets encrypted at rest.
 *
 * <p>A password, or an OAuth 2.0 refresh token, is encrypted with AES-GCM under the current key
 * of the {@link SecretKeys} the application supplies; the key's id is stored beside it, so
 * rows written under a retired key still decrypt, and {@link #rotateKeys()} re-encrypts them
 * under the current one. This class maps accounts to rows; the sealing and the rotation are
 * package-private classes of their own. The ciphertext is bound to its account, login name and kind of secret:
 * copied to another row, it does not decrypt. A wrong or missing key is reported by an
 * {@link AccountUnavailableException} naming the account and the key, never by garbage.
 * Nothing secret is logged or printed.
 *
 * <p>OAuth 2.0 accounts need an {@link OAuth2TokenSource}, an OAuth client that turns the stored
 * refresh token into access tokens (imap-sync-oauth's {@code TokenRefresher}, or the
 * application's own); {@link #refreshToken} and {@link #replaceRefreshToken} let it read the
 * current refresh token and store a rotated one atomically.
 *
 * <p>Every {@link #save} changes the account's {@link AccountSummary#revision() revision}, so a
 * scheduler that stopped retrying a failed login knows the credentials changed;
 * {@link #rotateKeys()} does not. Thread-safe; the schema must already be there
 * ({@link JdbcSchema#migrate}).
 */
public final class JdbcAccountRepository implements AccountRepository {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcAccountRepository.class);

    private static final int MAX_EMAIL = 320;
    private static final int MAX_ALIASES = 8000;
    private static final int MAX_FOLDER = 1000;
    private static final int MAX_INTERNAL_DOMAINS = 2000;
    private static final String PASSWORD = "PASSWORD";
    private static final String OAUTH2 = "OAUTH2";
    private static final String COLUMNS = "account_id, email, aliases, host, port, security, login_user, auth_kind,"
            + " secret_key_id, secret, allow_insecure, trusted_certs, connect_timeout_ms, read_timeout_ms,"
            + " write_timeout_ms, initial_window_s, sync_interval_s, visibility, record_internal, bulk_mail, internal_domains,"
            + " revision";

    private final DataSource dataSource;
    private final Transactions transactions;
    private final SqlDialect dialect;
    private final SecretSealer sealer;
    private final KeyRotation rotation;
    // set once, by the builder, before the repository is handed out
    private OAuth2TokenSource tokenSource;
    private final Clock clock;

    private JdbcAccountRepository(Builder builder, SqlDialect dialect) {
        this.dataSource = builder.dataSource;
        this.dialect = dialect;
        this.transactions = new Transactions(this.dataSource, dialect);
        this.sealer = new SecretSealer(builder.keys);
        this.rotation = new KeyRotation(this.dataSource, dialect, transactions, sealer);
        this.tokenSource = builder.tokenSource;
        this.clock = builder.clock;
    }

    /** A builder over the database behind {@code dataSource}; {@link Builder#keys} is required. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Stores a password account, replacing any account with the same id, and encrypts its
     * password under the current key.
     *
     * @throws IllegalArgumentException if the account signs in with OAuth 2.0 (use
     *         {@link #saveOAuth2}) or a value is too long to store
     * @throws ImapSyncException if the database fails
     */
    public void save(ManagedAccount account) {
        Objects.requireNonNull(account, "account");
        if (!(account.account().credentials() instanceof Credentials.Password password)) {
            throw new IllegalArgumentException("Account '" + account.id() + "' signs in with OAuth 2.0: store it with"
                    + " saveOAuth2(account, refreshToken), so that its refresh token is kept");
        }
        write(account, PASSWORD, password.password());
    }

    /**
     * Stores an OAuth 2.0 account with its refresh token (encrypted under the current key),
     * replacing any account with the same id. The access-token supplier of the account's
     * credentials is not stored: accounts read back get their tokens from the
     * {@link OAuth2TokenSource}.
     *
     * @throws IllegalArgumentException if the account signs in with a password (use {@link #save})
     * @throws ImapSyncException if the database fails
     */
    public void saveOAuth2(ManagedAccount account, Secret refreshToken) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(refreshToken, "refreshToken");
        if (!(account.account().credentials() instanceof Credentials.OAuth2)) {
            throw new IllegalArgumentException("Account '" + account.id() + "' signs in with a password: store it with"
                    + " save(account)");
        }
        write(account, OAUTH2, refreshToken);
    }

    /**
     * The refresh token stored with an OAuth 2.0 account, decrypted: what an OAuth 2.0 client
     * (such as imap-sync-oauth's {@code TokenRefresher}, through
     * {@code RefreshTokenStore.of(repository::refreshToken, repository::replaceRefreshToken)})
     * reads before each refresh, so that a token rotated by another node is seen.
     *
     * @return empty if there is no such account or it signs in with a password
     * @throws AccountUnavailableException if the token does not decrypt with the configured keys
     * @throws ImapSyncException if the database fails
     */
    public Optional<Secret> refreshToken(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        try (Connection connection = dataSource.getConnection()) {
            return storedOAuth2Secret(connection, accountId, false).map(row -> Secret.of(open(row)));
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the refresh token of account '" + accountId + "'",
                    "check the database");
        }
    }

    /**
     * Stores a rotated refresh token, atomically, if the stored one is still {@code expectedOld}
     * (compare-and-set under the row's lock, then {@code UPDATE ... WHERE secret = <the sealed
     * value read>}): two nodes that refresh the same account cannot overwrite each other's
     * rotation. The new token is encrypted under the current key. This is not a {@link #saveOAuth2
     * save}: the account's {@link AccountSummary#revision() revision} does not change.
     *
     * @return true if replaced; false if the account is gone, signs in with a password, or holds
     *         another refresh token than {@code expectedOld}
     * @throws AccountUnavailableException if the stored token does not decrypt with the configured keys
     * @throws ImapSyncException if the database fails
     */
    public boolean replaceRefreshToken(String accountId, Secret expectedOld, Secret newToken) {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(expectedOld, "expectedOld");
        Objects.requireNonNull(newToken, "newToken");
        Instant now = clock.instant();
        boolean replaced = transactions.run("store the rotated refresh token of account '" + accountId + "'",
                connection -> {
                    Optional<StoredRow> stored = storedOAuth2Secret(connection, accountId, true);
                    if (stored.isEmpty()) {
                        return false;
                    }
                    StoredRow row = stored.get();
                    byte[] current = open(row).getBytes(StandardCharsets.UTF_8);
                    if (!MessageDigest.isEqual(current, expectedOld.reveal().getBytes(StandardCharsets.UTF_8))) {
                        return false;
                    }
                    String keyId = sealer.currentKeyId();
                    String sealed = sealer.seal(new SecretSealer.Owner(row.id, row.authKind, row.user), newToken.reveal());
                    try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_account SET"
                            + " secret_key_id = ?, secret = ?, updated_at = ? WHERE account_id = ? AND auth_kind = ?"
                            + " AND secret_key_id = ? AND secret = ?")) {
                        update.setString(1, keyId);
                        update.setString(2, sealed);
                        dialect.setInstant(update, 3, now);
                        update.setString(4, accountId);
                        update.setString(5, OAUTH2);
                        update.setString(6, row.keyId);
                        update.setString(7, row.secret);
                        return update.executeUpdate() == 1;
                    }
                });
        if (replaced) {
            LOG.info("Stored the rotated refresh token of account {} (under key {})", accountId, sealer.currentKeyId());
        }
        return replaced;
    }

    private static Optional<StoredRow> storedOAuth2Secret(Connection connection, String accountId, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT account_id, login_user, auth_kind,"
                + " secret_key_id, secret FROM imapsync_account WHERE account_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setString(1, accountId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || !OAUTH2.equals(rs.getString("auth_kind"))) {
                    return Optional.empty();
                }
                StoredRow row = new StoredRow();
                row.id = rs.getString("account_id");
                row.user = rs.getString("login_user");
                row.authKind = OAUTH2;
                row.keyId = rs.getString("secret_key_id");
                row.secret = rs.getString("secret");
                return Optional.of(row);
            }
        }
    }

    /**
     * Removes an account, its folder choice and its lease and status. Its checkpoints and the
     * history it recorded stay: history belongs to the contacts, and an account stored again
     * under the same id goes on from its checkpoints. To forget them too (start over, or purge
     * what it recorded), call {@link JdbcSyncStore#reset JdbcSyncStore.reset(accountId, purgeHistory)}
     * as well, before or after this.
     *
     * @return whether there was such an account
     */
    public boolean remove(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return transactions.run("remove account '" + accountId + "'", connection -> {
            delete(connection, "DELETE FROM imapsync_account_folder WHERE account_id = ?", accountId);
            delete(connection, "DELETE FROM imapsync_lease WHERE account_id = ?", accountId);
            delete(connection, "DELETE FROM imapsync_account_status WHERE account_id = ?", accountId);
            boolean removed = delete(connection, "DELETE FROM imapsync_account WHERE account_id = ?", accountId) > 0;
            if (removed) {
                LOG.info("Removed account {}", accountId);
            }
            return removed;
        });
    }

    @Override
    public List<AccountSummary> list() {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, List<String>> folders = folders(connection, null);
            List<AccountSummary> summaries = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM imapsync_account ORDER BY account_id");
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    StoredRow row = StoredRow.read(rs, folders);
                    summaries.add(row.summary());
                }
            }
            return summaries;
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "list the stored accounts", "check the database and that the"
                    + " imap-sync schema is migrated (JdbcSchema.migrate)");
        }
    }

    @Override
    public Optional<ManagedAccount> find(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        StoredRow row;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM imapsync_account WHERE account_id = ?")) {
            statement.setString(1, accountId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                row = StoredRow.read(rs, folders(connection, accountId));
            }
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read account '" + accountId + "'", "check the database");
        }
        return Optional.of(toAccount(row));
    }

    /**
     * Re-encrypts under the current key every secret stored under another key. Each account is
     * its own transaction; an account saved meanwhile is left as the save wrote it.
     *
     * @return how many secrets were re-encrypted
     * @throws ImapSyncException after re-encrypting what it could, naming the accounts whose
     *         secrets did not decrypt with the keys configured
     */
    public int rotateKeys() {
        return rotation.run();
    }

    private void write(ManagedAccount managed, String authKind, Secret secret) {
        ImapAccount account = managed.account();
        String id = account.id();
        String email = checkLength(account.emailAddress(), MAX_EMAIL, "email address", id);
        String user = checkLength(account.credentials().user(), MAX_EMAIL, "login name", id);
        String aliases = checkLength(String.join("\n", account.aliases()), MAX_ALIASES, "aliases", id);
        checkLength(String.join("\n", account.privacy().internalDomains()), MAX_INTERNAL_DOMAINS, "internal domains", id);
        List<String> folders = managed.folders() instanceof FolderChoice.Named named ? named.names() : List.of();
        for (String folder : folders) {
            checkLength(folder, MAX_FOLDER, "folder name", id);
        }
        String keyId = sealer.currentKeyId();
        String sealed = sealer.seal(new SecretSealer.Owner(id, authKind, user), secret.reveal());
        String certificates = pem(account.trustedCertificates(), id);
        Instant now = clock.instant();
        long revision = transactions.run("save account '" + id + "'", connection -> {
            long next;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT revision FROM imapsync_account WHERE account_id = ? FOR UPDATE")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    next = rs.next() ? rs.getLong(1) + 1 : 0;
                }
            }
            if (next == 0) {
                next = 1;
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_account (" + COLUMNS
                        + ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = bind(insert, managed, id, email, aliases, user, authKind, keyId, sealed, certificates);
                    insert.setLong(i++, next);
                    dialect.setInstant(insert, i++, now);
                    dialect.setInstant(insert, i, now);
                    insert.executeUpdate();
                }
            } else {
                try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_account SET account_id = ?,"
                        + " email = ?, aliases = ?, host = ?, port = ?, security = ?, login_user = ?, auth_kind = ?,"
                        + " secret_key_id = ?, secret = ?, allow_insecure = ?, trusted_certs = ?, connect_timeout_ms = ?,"
                        + " read_timeout_ms = ?, write_timeout_ms = ?, initial_window_s = ?, sync_interval_s = ?,"
                        + " visibility = ?, record_internal = ?, bulk_mail = ?, internal_domains = ?, revision = ?, updated_at = ? WHERE account_id = ? AND revision = ?")) {
                    int i = bind(update, managed, id, email, aliases, user, authKind, keyId, sealed, certificates);
                    update.setLong(i++, next);
                    dialect.setInstant(update, i++, now);
                    update.setString(i++, id);
                    update.setLong(i, next - 1);
                    if (update.executeUpdate() != 1) {
                        // cannot happen under the row lock; if a database ever allows it, run again
                        throw new SQLException("account changed concurrently", "40001");
                    }
                }
            }
            delete(connection, "DELETE FROM imapsync_account_folder WHERE account_id = ?", id);
            if (!folders.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO imapsync_account_folder (account_id, position, folder) VALUES (?, ?, ?)")) {
                    for (int position = 0; position < folders.size(); position++) {
                        insert.setString(1, id);
                        insert.setInt(2, position);
                        insert.setString(3, folders.get(position));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return next;
        });
        LOG.info("Saved account {} ({} at {}, revision {}, secret under key {})", id, authKind.toLowerCase(Locale.ROOT),
                account.endpoint(), revision, keyId);
    }

    private static int bind(PreparedStatement statement, ManagedAccount managed, String id, String email, String aliases,
                            String user, String authKind, String keyId, String sealed, String certificates)
            throws SQLException {
        ImapAccount account = managed.account();
        int i = 1;
        statement.setString(i++, id);
        statement.setString(i++, email);
        statement.setString(i++, aliases);
        statement.setString(i++, account.endpoint().host());
        statement.setInt(i++, account.endpoint().port());
        statement.setString(i++, account.endpoint().security().name());
        statement.setString(i++, user);
        statement.setString(i++, authKind);
        statement.setString(i++, keyId);
        statement.setString(i++, sealed);
        statement.setBoolean(i++, account.allowInsecure());
        if (certificates == null) {
            statement.setNull(i++, Types.VARCHAR);
        } else {
            statement.setString(i++, certificates);
        }
        statement.setLong(i++, account.connectTimeout().toMillis());
        statement.setLong(i++, account.readTimeout().toMillis());
        statement.setLong(i++, account.writeTimeout().toMillis());
        setSeconds(statement, i++, managed.initialWindow());
        setSeconds(statement, i++, managed.interval());
        PrivacySettings privacy = account.privacy();
        statement.setString(i++, privacy.visibility().name());
        statement.setBoolean(i++, privacy.recordInternal());
        statement.setString(i++, privacy.bulkMail().name());
        statement.setString(i++, String.join("\n", new TreeSet<>(privacy.internalDomains())));
        return i;
    }

    private ManagedAccount toAccount(StoredRow row) {
        Credentials credentials;
        if (PASSWORD.equals(row.authKind)) {
            credentials = new Credentials.Password(row.user, Secret.of(open(row)));
        } else if (OAUTH2.equals(row.authKind)) {
            if (tokenSource == null) {
                throw new AccountUnavailableException(row.id, "Account '" + row.id + "' signs in with OAuth 2.0, but no"
                        + " OAuth2TokenSource is configured: give one with JdbcAccountRepository.builder(...).oauth2(...)");
            }
            Secret refreshToken = Secret.of(open(row));
            String id = row.id;
            String user = row.user;
            OAuth2TokenSource source = tokenSource;
            Supplier<Secret> accessTokens = () -> source.accessToken(id, user, refreshToken);
            credentials = Credentials.oauth2(row.user, accessTokens);
        } else {
            throw new AccountUnavailableException(row.id, "Account '" + row.id + "' has an unknown kind of credentials ('"
                    + row.authKind + "'): save the account again");
        }
        try {
            ImapAccount.Builder builder = ImapAccount.builder()
                    .id(row.id)
                    .endpoint(row.endpoint)
                    .credentials(credentials)
                    .allowInsecure(row.allowInsecure)
                    .connectTimeout(Duration.ofMillis(row.connectTimeoutMs))
                    .readTimeout(Duration.ofMillis(row.readTimeoutMs))
                    .writeTimeout(Duration.ofMillis(row.writeTimeoutMs));
            if (!row.email.isEmpty()) {
                builder.emailAddress(row.email);
            }
            row.aliases.forEach(builder::alias);
            if (row.certificates != null) {
                builder.trustCertificatePem(row.certificates);
            }
            builder.privacy(new PrivacySettings(Visibility.valueOf(row.visibility), row.recordInternal,
                    BulkMail.valueOf(row.bulkMail), row.internalDomains.isEmpty() ? Set.of()
                    : Set.of(row.internalDomains.split("\n"))));
            return new ManagedAccount(builder.build(), row.folders, row.initialWindow, row.interval);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new AccountUnavailableException(row.id, "Account '" + row.id + "' is stored with settings that are"
                    + " no longer valid (" + e.getMessage() + "): save the account again", e);
        }
    }

    private String open(StoredRow row) {
        return sealer.open(new SecretSealer.Owner(row.id, row.authKind, row.user), row.keyId, row.secret);
    }

    private static String pem(List<X509Certificate> certificates, String accountId) {
        if (certificates.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate certificate : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("A trusted certificate of account '" + accountId
                        + "' cannot be encoded to store it: give it again as PEM text", e);
            }
        }
        return out.toString();
    }

    private static Map<String, List<String>> folders(Connection connection, String accountId) throws SQLException {
        String sql = "SELECT account_id, folder FROM imapsync_account_folder"
                + (accountId == null ? "" : " WHERE account_id = ?") + " ORDER BY account_id, position";
        Map<String, List<String>> folders = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (accountId != null) {
                statement.setString(1, accountId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    folders.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return folders;
    }

    private static int delete(Connection connection, String sql, String accountId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, accountId);
            return statement.executeUpdate();
        }
    }

    private static void setSeconds(PreparedStatement statement, int index, Optional<Duration> duration)
            throws SQLException {
        if (duration.isPresent()) {
            statement.setLong(index, Math.max(1, duration.get().toSeconds()));
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static String checkLength(String value, int max, String what, String accountId) {
        if (value.length() > max) {
            throw new IllegalArgumentException("The " + what + " of account '" + accountId + "' has " + value.length()
                    + " characters; at most " + max + " can be stored");
        }
        return value;
    }

    /** One {@code imapsync_account} row as read, secret still encrypted. */
    private static final class StoredRow {
        String id;
        String email;
        List<String> aliases;
        Endpoint endpoint;
        String user;
        String authKind;
        String keyId;
        String secret;
        boolean allowInsecure;
        String certificates;
        long connectTimeoutMs;
        long readTimeoutMs;
        long writeTimeoutMs;
        Optional<Duration> initialWindow;
        Optional<Duration> interval;
        String visibility;
        boolean recordInternal;
        String bulkMail;
        String internalDomains;
        long revision;
        FolderChoice folders;

        static StoredRow read(ResultSet rs, Map<String, List<String>> folders) throws SQLException {
            StoredRow row = new StoredRow();
            row.id = rs.getString("account_id");
            row.email = rs.getString("email");
            String aliases = rs.getString("aliases");
            row.aliases = aliases.isEmpty() ? List.of() : List.of(aliases.split("\n"));
            row.endpoint = new Endpoint(rs.getString("host"), rs.getInt("port"), Security.valueOf(rs.getString("security")));
            row.user = rs.getString("login_user");
            row.authKind = rs.getString("auth_kind");
            row.keyId = rs.getString("secret_key_id");
            row.secret = rs.getString("secret");
            row.allowInsecure = rs.getBoolean("allow_insecure");
            row.certificates = rs.getString("trusted_certs");
            row.connectTimeoutMs = rs.getLong("connect_timeout_ms");
            row.readTimeoutMs = rs.getLong("read_timeout_ms");
            row.writeTimeoutMs = rs.getLong("write_timeout_ms");
            row.initialWindow = seconds(rs, "initial_window_s");
            row.interval = seconds(rs, "sync_interval_s");
            row.visibility = rs.getString("visibility");
            row.recordInternal = rs.getBoolean("record_internal");
            row.bulkMail = rs.getString("bulk_mail");
            row.internalDomains = rs.getString("internal_domains");
            row.revision = rs.getLong("revision");
            List<String> names = folders.get(row.id);
            row.folders = names == null || names.isEmpty() ? FolderChoice.recommended() : FolderChoice.named(names);
            return row;
        }

        AccountSummary summary() {
            return new AccountSummary(id, email, user, endpoint, OAUTH2.equals(authKind), folders, interval, revision);
        }

        private static Optional<Duration> seconds(ResultSet rs, String column) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(value));
        }
    }

    /** Builds a {@link JdbcAccountRepository}. */
    public static final class Builder {
        private final DataSource dataSource;
        private SqlDialect dialect;
        private SecretKeys keys;
        private OAuth2TokenSource tokenSource;
        private Function<? super JdbcAccountRepository, ? extends OAuth2TokenSource> tokenSourceFactory;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The keys that encrypt and decrypt secrets (required). */
        public Builder keys(SecretKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** The application's OAuth 2.0 client, needed to read OAuth 2.0 accounts. */
        public Builder oauth2(OAuth2TokenSource tokenSource) {
            this.tokenSource = Objects.requireNonNull(tokenSource, "tokenSource");
            this.tokenSourceFactory = null;
            return this;
        }

        /**
         * An OAuth 2.0 client made from the repository being built, for a client that stores
         * rotated refresh tokens through it, e.g. with imap-sync-oauth:
         * <pre>{@code
         * .oauth2From(repository -> TokenRefresher.builder(client)
         *         .store(RefreshTokenStore.of(repository::refreshToken, repository::replaceRefreshToken))
         *         .build()::accessToken)
         * }</pre>
         * The function is called once, by {@link #build()}.
         */
        public Builder oauth2From(Function<? super JdbcAccountRepository, ? extends OAuth2TokenSource> factory) {
            this.tokenSourceFactory = Objects.requireNonNull(factory, "factory");
            this.tokenSource = null;
            return this;
        }

        /** The dialect, when detection from the connection's metadata is not wanted. */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** The clock for the rows' timestamps (for tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The repository; detects the dialect now unless one was given.
         *
         * @throws IllegalStateException if no keys were given
         * @throws ImapSyncException if the database cannot be reached or is not supported
         */
        public JdbcAccountRepository build() {
            if (keys == null) {
                throw new IllegalStateException("No keys: give the application's secret keys with keys(SecretKeys),"
                        + " for example SecretKeys.parse(System.getenv(\"IMAPSYNC_KEY\"))");
            }
            SqlDialect chosen = dialect;
            if (chosen == null) {
                try (Connection connection = dataSource.getConnection()) {
                    chosen = SqlDialect.detect(connection);
                } catch (SQLException e) {
                    throw new ImapSyncException("Could not connect to the database of the account repository:"
                            + " check the DataSource", e);
                } catch (IllegalArgumentException e) {
                    throw new ImapSyncException(e.getMessage(), e);
                }
            }
            JdbcAccountRepository repository = new JdbcAccountRepository(this, chosen);
            if (tokenSourceFactory != null) {
                repository.tokenSource = Objects.requireNonNull(tokenSourceFactory.apply(repository),
                        "the OAuth2TokenSource made by oauth2From(...)");
            }
            return repository;
        }
    }
}
