package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a failure that says one of imap-sync's tables does not exist (the schema was never
 * created, or was created in another database or schema than the {@code DataSource}'s), or that
 * one of their columns does not (the schema is of an older version than this release), on H2,
 * PostgreSQL and MariaDB/MySQL, and turns it into a failure that says so and what to run,
 * rather than a bare "check the database". Only imap-sync's own tables are queried where it is
 * used, so a missing column is one of theirs.
 */
final class MissingSchema {
    /** "Base table or view not found" (SQL standard and ODBC; MariaDB/MySQL error 1146 and H2 report it). */
    private static final String TABLE_NOT_FOUND = "42S02";
    /** PostgreSQL's {@code undefined_table}. */
    private static final String POSTGRES_UNDEFINED_TABLE = "42P01";
    /** H2's "table not found", "… (candidates are …)" and "… (this database is empty)"; the last reports 42S04. */
    private static final Set<Integer> H2_TABLE_NOT_FOUND = Set.of(42102, 42103, 42104);
    /** One of our table names; not a database or schema name that happens to start alike ({@code imapsync_test.}). */
    private static final Pattern OUR_TABLE = Pattern.compile("(?i)\\bimapsync_[a-z0-9_]+\\b(?!\\.)");
    /** "Column not found": SQL standard and MariaDB/MySQL (error 1054), H2; PostgreSQL's {@code undefined_column}. */
    private static final Set<String> COLUMN_NOT_FOUND = Set.of("42S22", "42703");
    /** The column a driver names: {@code "FROM_NAME"}, {@code 'from_name'}, {@code m.from_name}. */
    private static final Pattern COLUMN = Pattern.compile("(?i)column (?:\"([^\"]+)\"|'([^']+)'|([a-z0-9_.]+))");
    /** How far down the chain of causes and next exceptions to look. */
    private static final int MAX_DEPTH = 20;

    private MissingSchema() {
    }

    /**
     * The failure to throw when {@code e}, or an exception chained to it, says that a table does
     * not exist; empty for any other failure.
     *
     * @param what what could not be done, completing "Could not …" and naming the account or
     *             folder concerned
     */
    static Optional<ImapSyncException> failure(SQLException e, SqlDialect dialect, String what) {
        Optional<ImapSyncException> missingTable = missingTable(e).map(table -> new ImapSyncException("Could not "
                + what + ": the table " + table + " does not exist in this database, so the imap-sync schema has not"
                + " been created there (or the DataSource points at another database or schema). Create it at"
                + " start-up with JdbcSchema.migrate(dataSource), or apply the scripts under classpath:"
                + dialect.scriptLocation() + " with Flyway (or include " + dialect.liquibaseChangelog()
                + " in a Liquibase changelog)", e));
        if (missingTable.isPresent()) {
            return missingTable;
        }
        return missingColumn(e).map(column -> new ImapSyncException("Could not " + what + ": the column " + column
                + " does not exist, so the imap-sync schema in this database is older than this release (schema"
                + " version " + JdbcSchema.latestVersion() + "). Upgrade it at start-up with"
                + " JdbcSchema.migrate(dataSource), or apply the newer scripts under classpath:"
                + dialect.scriptLocation() + " with Flyway (or update with " + dialect.liquibaseChangelog()
                + " in Liquibase)", e));
    }

    /**
     * The failure to throw for {@code e}: the one of {@link #failure} when a table is missing,
     * else "Could not {what}: {hint}", the cause chained.
     */
    static ImapSyncException failure(SQLException e, SqlDialect dialect, String what, String hint) {
        return failure(e, dialect, what).orElseGet(() -> new ImapSyncException("Could not " + what + ": " + hint, e));
    }

    /**
     * The missing table named by {@code e} or an exception chained to it (cause or next
     * exception): its name in lower case, or a description when the driver does not name it.
     */
    static Optional<String> missingTable(SQLException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof SQLException s && tableNotFound(s)) {
                return Optional.of(tableName(s.getMessage()));
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof SQLException s) {
                next = s.getNextException();
            }
            t = next;
        }
        return Optional.empty();
    }

    /** The missing column named by {@code e} or an exception chained to it, as the driver names it. */
    static Optional<String> missingColumn(SQLException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            // no SQL state at all (a closed pool says none): Set.of(..).contains(null) would throw
            if (t instanceof SQLException s && s.getSQLState() != null && COLUMN_NOT_FOUND.contains(s.getSQLState())) {
                return Optional.of(columnName(s.getMessage()));
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof SQLException s) {
                next = s.getNextException();
            }
            t = next;
        }
        return Optional.empty();
    }

    private static String columnName(String message) {
        if (message != null) {
            Matcher m = COLUMN.matcher(message);
            if (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return "that this release reads";
    }

    private static boolean tableNotFound(SQLException e) {
        String state = e.getSQLState();
        return TABLE_NOT_FOUND.equals(state) || POSTGRES_UNDEFINED_TABLE.equals(state)
                || (state != null && state.startsWith("42S0") && H2_TABLE_NOT_FOUND.contains(e.getErrorCode()));
    }

    private static String tableName(String message) {
        if (message != null) {
            Matcher m = OUR_TABLE.matcher(message);
            if (m.find()) {
                return m.group().toLowerCase(Locale.ROOT);
            }
        }
        return "of the imap-sync schema (imapsync_…) that this needs";
    }
}
