package dev.imapsync.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Records an account's own normalized addresses ({@code imapsync_own_address}) inside a commit's
 * transaction, in one statement that writes only the addresses not recorded yet: every batch
 * carries them, and nearly always they are all there already. The timeline reads them to tell the
 * company's outbound mail from its inbound mail. Addresses are never forgotten here: an alias
 * removed from an account keeps counting as the company's own.
 */
final class OwnAddresses {
    /** The column's length; no valid address is longer. */
    static final int MAX_ADDRESS = 320;

    private final SqlDialect dialect;

    OwnAddresses(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Inserts the addresses of {@code accountId} that are missing; nothing when there are none. */
    void record(Connection connection, String accountId, Set<String> addresses) throws SQLException {
        if (addresses.isEmpty()) {
            return;
        }
        // sorted: concurrent commits of one account meet the same rows in the same order
        List<String> sorted = addresses.stream().map(a -> SqlDialect.clean(a, MAX_ADDRESS)).sorted().distinct()
                .toList();
        if (dialect == SqlDialect.POSTGRESQL) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_own_address"
                    + " (account_id, address) SELECT ?, a FROM unnest(?::varchar[]) AS v(a) ON CONFLICT DO NOTHING")) {
                insert.setString(1, accountId);
                insert.setArray(2, connection.createArrayOf("varchar", sorted.toArray(new String[0])));
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(sql(sorted.size()))) {
            int i = 0;
            for (String address : sorted) {
                insert.setString(++i, accountId);
                insert.setString(++i, address);
            }
            insert.executeUpdate();
        }
    }

    /**
     * MariaDB/MySQL: {@code INSERT IGNORE}, whose shared locks on rows already there do not make
     * concurrent commits wait for each other. H2: the rows missing from a {@code VALUES} list; a
     * concurrent commit inserting the same row first makes this fail on the key, and the
     * transaction is run again.
     */
    private String sql(int count) {
        StringBuilder values = new StringBuilder(count * 8);
        for (int i = 0; i < count; i++) {
            values.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        if (dialect == SqlDialect.MYSQL) {
            return "INSERT IGNORE INTO imapsync_own_address (account_id, address) VALUES " + values;
        }
        return "INSERT INTO imapsync_own_address (account_id, address) SELECT v.a, v.b FROM (VALUES " + values
                + ") v(a, b) WHERE NOT EXISTS (SELECT 1 FROM imapsync_own_address o WHERE o.address = v.b"
                + " AND o.account_id = v.a)";
    }
}
