package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import dev.imapsync.schedule.AccountUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key rotation of {@link JdbcAccountRepository#rotateKeys()}: every account secret stored
 * under a key other than the current one is opened and sealed again under the current one.
 * Each account is its own transaction, a compare-and-set on the value read, so an account saved
 * meanwhile is left as the save wrote it. Only the key id and the secret of a row change; its
 * revision does not, since its credentials are the same.
 */
final class KeyRotation {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcAccountRepository.class);

    /** One secret stored under another key than the current one. */
    private record StaleSecret(SecretSealer.Owner owner, String keyId, String sealed) {
    }

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Transactions transactions;
    private final SecretSealer sealer;

    KeyRotation(DataSource dataSource, SqlDialect dialect, Transactions transactions, SecretSealer sealer) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.transactions = transactions;
        this.sealer = sealer;
    }

    /**
     * Re-encrypts what it can under the current key.
     *
     * @return how many secrets were re-encrypted
     * @throws ImapSyncException after re-encrypting what it could, naming the accounts whose
     *         secrets did not decrypt with the keys configured
     */
    int run() {
        String current = sealer.currentKeyId();
        int rotated = 0;
        List<String> failures = new ArrayList<>();
        for (StaleSecret stale : staleSecrets(current)) {
            String clear;
            try {
                clear = sealer.open(stale.owner(), stale.keyId(), stale.sealed());
            } catch (AccountUnavailableException e) {
                failures.add(e.getMessage());
                continue;
            }
            rotated += reseal(stale, sealer.seal(stale.owner(), clear), current);
        }
        LOG.info("Re-encrypted {} account secret(s) under key {}", rotated, current);
        if (!failures.isEmpty()) {
            throw new ImapSyncException("Re-encrypted " + rotated + " account secret(s) under key '" + current
                    + "', but " + failures.size() + " could not be decrypted: " + String.join(" ", failures));
        }
        return rotated;
    }

    private List<StaleSecret> staleSecrets(String current) {
        List<StaleSecret> stale = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT account_id, auth_kind, login_user,"
                     + " secret_key_id, secret FROM imapsync_account WHERE secret_key_id <> ? ORDER BY account_id")) {
            statement.setString(1, current);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    stale.add(new StaleSecret(new SecretSealer.Owner(rs.getString("account_id"),
                            rs.getString("auth_kind"), rs.getString("login_user")), rs.getString("secret_key_id"),
                            rs.getString("secret")));
                }
            }
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the stored accounts to rotate keys", "check the database");
        }
        return stale;
    }

    /** Replaces the secret if the row still holds the one read; returns how many rows changed (0 or 1). */
    private int reseal(StaleSecret stale, String sealed, String current) {
        String id = stale.owner().accountId();
        return transactions.run("re-encrypt the secret of account '" + id + "'", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_account"
                    + " SET secret_key_id = ?, secret = ? WHERE account_id = ? AND secret_key_id = ? AND secret = ?")) {
                update.setString(1, current);
                update.setString(2, sealed);
                update.setString(3, id);
                update.setString(4, stale.keyId());
                update.setString(5, stale.sealed());
                return update.executeUpdate();
            }
        });
    }
}
