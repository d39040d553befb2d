package dev.imapsync.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The SQL databases imap-sync stores into, and what differs between them: where their schema
 * scripts are, how to replace a row, how timestamps travel, which text a column accepts and
 * which failures are worth retrying.
 *
 * <p>{@link #detect} picks the dialect from {@link DatabaseMetaData#getDatabaseProductName()};
 * {@link JdbcSyncStore#create(javax.sql.DataSource, SqlDialect)} and
 * {@link JdbcSchema#migrate(javax.sql.DataSource, SqlDialect)} take an explicit one instead.
 */
public enum SqlDialect {
    /** H2 2.x in its default mode: {@code MERGE} for the status. */
    H2("h2") {
        @Override
        String upsertStatus() {
            return "MERGE INTO imapsync_account_status (" + STATUS_COLUMNS + ") KEY (account_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        }

        /** H2 scans every row of the account for {@code message_key IN (?, …)}; a join on VALUES looks each key up. */
        @Override
        String selectByMessageKeys(String columns, String table, int count) {
            StringBuilder values = new StringBuilder(count * 4);
            for (int i = 0; i < count; i++) {
                values.append(i == 0 ? "(?)" : ", (?)");
            }
            return "SELECT " + columns + " FROM (VALUES " + values + ") v(k) JOIN " + table
                    + " t ON t.message_key = v.k AND t.account_id = ?";
        }
    },
    /** PostgreSQL: {@code ON CONFLICT} for the status; text may not hold NUL characters. */
    POSTGRESQL("postgresql") {
        @Override
        String upsertStatus() {
            return "INSERT INTO imapsync_account_status (" + STATUS_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status,"
                    + " last_attempt_at = EXCLUDED.last_attempt_at, last_synced_at = EXCLUDED.last_synced_at,"
                    + " message = EXCLUDED.message, hint = EXCLUDED.hint, next_run_at = EXCLUDED.next_run_at,"
                    + " last_fetched = EXCLUDED.last_fetched, last_activities = EXCLUDED.last_activities";
        }

        /**
         * After five executions the driver prepares a statement on the server, and PostgreSQL may
         * then switch to a generic plan that assumes an average contact: for a contact with 100,000
         * entries the timeline's read of a page's messages went from 2 ms to 1.7 s (benchmarks'
         * README, "The timeline"). Custom plans for the rest of this transaction keep 2 ms.
         */
        @Override
        void planEachExecution(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            }
        }
    },
    /**
     * MariaDB and MySQL: {@code ON DUPLICATE KEY} for the status, utf8mb4 tables with binary collation, and
     * {@code DATETIME(6)} columns that hold UTC (converted here, never by the session time zone).
     */
    MYSQL("mysql") {
        @Override
        String upsertStatus() {
            return "INSERT INTO imapsync_account_status (" + STATUS_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE status = VALUES(status), last_attempt_at = VALUES(last_attempt_at),"
                    + " last_synced_at = VALUES(last_synced_at), message = VALUES(message), hint = VALUES(hint),"
                    + " next_run_at = VALUES(next_run_at), last_fetched = VALUES(last_fetched),"
                    + " last_activities = VALUES(last_activities)";
        }

        @Override
        void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            if (instant == null) {
                statement.setNull(index, Types.TIMESTAMP);
            } else {
                statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            }
        }

        @Override
        Optional<Instant> getInstant(ResultSet rs, String column) throws SQLException {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? Optional.empty() : Optional.of(value.toInstant(ZoneOffset.UTC));
        }
    };

    static final String MESSAGE_COLUMNS =
            "account_id, message_key, folder, uid, msg_date, from_addr, subject, size, direction, thread_id, from_name,"
            + " from_norm, is_bulk";
    static final String ACTIVITY_COLUMNS = "account_id, message_key, contact_id, role, direction, msg_date, subject,"
            + " from_addr, thread_id, folder, from_norm, contact_addr";
    static final String STATUS_COLUMNS =
            "account_id, status, last_attempt_at, last_synced_at, message, hint, next_run_at, last_fetched, last_activities";

    private final String directory;

    SqlDialect(String directory) {
        this.directory = directory;
    }

    /**
     * The dialect of the database behind a connection, from its product name.
     *
     * @throws IllegalArgumentException if the database is none of H2, PostgreSQL, MariaDB, MySQL
     */
    public static SqlDialect detect(Connection connection) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        return ofProductName(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * The dialect for a product name as {@link DatabaseMetaData#getDatabaseProductName()}
     * reports it.
     *
     * @throws IllegalArgumentException if it names none of H2, PostgreSQL, MariaDB, MySQL
     */
    public static SqlDialect ofProductName(String productName) {
        String name = Objects.requireNonNull(productName, "productName").toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("The database '" + productName + "' is not supported: use H2, PostgreSQL,"
                + " MariaDB or MySQL, or pass the closest SqlDialect explicitly");
    }

    /**
     * A query for the rows of {@code table} (alias {@code t}) of one account with any of
     * {@code count} message keys: the keys are the first parameters, the account id the last.
     */
    String selectByMessageKeys(String columns, String table, int count) {
        StringBuilder in = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        return "SELECT " + columns + " FROM " + table + " t WHERE t.message_key IN (" + in + ") AND t.account_id = ?";
    }

    /** The resource folder of this dialect's schema scripts, {@code db/imapsync/<dialect>/}. */
    public String scriptLocation() {
        return "db/imapsync/" + directory + "/";
    }

    /** This dialect's Liquibase changelog of the same scripts, {@code db/imapsync/liquibase/<dialect>.xml}. */
    String liquibaseChangelog() {
        return "db/imapsync/liquibase/" + directory + ".xml";
    }

    abstract String upsertStatus();

    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    Optional<Instant> getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? Optional.empty() : Optional.of(value.toInstant());
    }

    /**
     * Text as every dialect stores it: NUL characters removed (PostgreSQL rejects them; removed
     * everywhere so that all databases answer alike), unpaired surrogates replaced by U+FFFD,
     * and cut to at most {@code maxLength} UTF-16 units without splitting a character.
     */
    static String clean(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == '\0' || (!pair && Character.isSurrogate(c));
            if (bad && out == null) {
                out = new StringBuilder(n).append(text, 0, i);
            }
            if (out != null) {
                if (pair) {
                    out.append(c).append(text.charAt(i + 1));
                } else if (c != '\0') {
                    out.append(bad ? '\uFFFD' : c);
                }
            }
            if (pair) {
                i++;
            }
        }
        String cleaned = out == null ? text : out.toString();
        if (cleaned.length() <= maxLength) {
            return cleaned;
        }
        int end = maxLength;
        if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
            end--;
        }
        return cleaned.substring(0, end);
    }

    /**
     * Whether a failed transaction may simply be run again: deadlocks, serialization failures,
     * lock timeouts, and duplicate keys from two transactions inserting the same new row (the
     * rerun sees the other's row and skips it).
     */
    /**
     * Has the rest of the current transaction plan each execution of a prepared statement for its
     * values, where the database would otherwise reuse a plan made for average values.
     */
    void planEachExecution(Connection connection) throws SQLException {
        // most databases plan each execution already
    }

    boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                int code = s.getErrorCode();
                if (state.startsWith("40") || state.equals("23505") || state.equals("HYT00")) {
                    return true;
                }
                if (this == MYSQL && (code == 1062 || code == 1213 || code == 1205)) {
                    return true;
                }
            }
        }
        return false;
    }
}
