package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades imap-sync's tables (all prefixed {@code imapsync_}) from the versioned
 * scripts {@code db/imapsync/<dialect>/V<n>__<name>.sql} on the class path. Those scripts also
 * work under Flyway or Liquibase, for applications that prefer their own migration tool.
 *
 * <p>{@link #migrate} applies the versions not yet recorded in {@code imapsync_schema_version},
 * in order. It is idempotent, and safe when several nodes start at once: PostgreSQL
 * serializes migrations with a transaction-scoped advisory lock, MariaDB/MySQL with
 * {@code GET_LOCK}, H2 (which commits each DDL statement) with a lock per database URL in this
 * JVM; every statement is {@code IF [NOT] EXISTS}, and a migration that loses a race anyway (H2
 * in server mode shared by several processes) is checked again.
 */
public final class JdbcSchema {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSchema.class);

    /**
     * The schema versions this release knows, in order; each script's number is its version (a
     * number may be missing while versions are developed apart, and is applied when it comes).
     */
    private static final List<String> VERSIONS = List.of("V1__imapsync_schema", "V2__imapsync_accounts",
            "V3__imapsync_timeline", "V4__imapsync_history_window", "V5__imapsync_previews",
            "V6__imapsync_privacy");
    private static final long ADVISORY_LOCK_KEY = 0x696d617073796e63L; // "imapsync"
    private static final int ATTEMPTS = 5;
    private static final Map<String, Object> H2_LOCKS = new ConcurrentHashMap<>();

    private JdbcSchema() {
    }

    /** The script names of the versions this release knows, in order ({@code V<n>__<name>}). */
    static List<String> versions() {
        return VERSIONS;
    }

    /** The newest schema version this release knows. */
    public static int latestVersion() {
        return number(VERSIONS.get(VERSIONS.size() - 1));
    }

    /** The version of a script name {@code V<n>__<name>}. */
    static int number(String version) {
        return Integer.parseInt(version.substring(1, version.indexOf("__")));
    }

    /**
     * Brings the schema to {@link #latestVersion()}, detecting the dialect.
     *
     * @return the versions applied now (empty when the schema was up to date)
     * @throws ImapSyncException if the database could not be migrated
     */
    public static List<Integer> migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            return migrate(dataSource, SqlDialect.detect(connection));
        } catch (SQLException e) {
            throw new ImapSyncException("Could not connect to the database to migrate the imap-sync schema: "
                    + "check the DataSource", e);
        }
    }

    /**
     * Brings the schema to {@link #latestVersion()} with the given dialect.
     *
     * @return the versions applied now (empty when the schema was up to date)
     * @throws ImapSyncException if the database could not be migrated
     */
    public static List<Integer> migrate(DataSource dataSource, SqlDialect dialect) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(dialect, "dialect");
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                if (dialect == SqlDialect.H2) {
                    // H2 commits each DDL statement, so no transaction can hold a lock across a
                    // migration: nodes in this JVM (where an embedded H2 lives) take turns instead
                    synchronized (H2_LOCKS.computeIfAbsent(connection.getMetaData().getURL(), url -> new Object())) {
                        return migrate(connection, dialect);
                    }
                }
                return migrate(connection, dialect);
            } catch (SQLException e) {
                // a node that lost a race (H2 has no migration lock) looks again at what is there
                last = e;
                LOG.debug("Migrating the imap-sync schema failed (attempt {}), checking again", attempt, e);
                pause(attempt);
            }
        }
        throw new ImapSyncException("Could not migrate the imap-sync schema (" + dialect + ", SQLState "
                + last.getSQLState() + "): check that the user may create tables", last);
    }

    private static List<Integer> migrate(Connection connection, SqlDialect dialect) throws SQLException {
        // MariaDB/MySQL's lock belongs to the session, not the transaction: taken before it, let go after its commit
        boolean sessionLocked = dialect == SqlDialect.MYSQL;
        if (sessionLocked) {
            lockSession(connection);
        }
        try {
            List<Integer> now = Transactions.inTransaction(connection, -1, c -> apply(c, dialect));
            if (now.isEmpty()) {
                LOG.debug("The imap-sync schema is up to date (version {})", latestVersion());
            } else {
                LOG.info("Migrated the imap-sync schema ({}) to version {}", dialect, latestVersion());
            }
            return now;
        } finally {
            if (sessionLocked) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT RELEASE_LOCK('imapsync_schema')");
                } catch (SQLException e) {
                    LOG.debug("Could not release the schema lock; it ends with the connection", e);
                }
            }
        }
    }

    /** The versions not applied yet, applied in one transaction (PostgreSQL: under its advisory lock). */
    private static List<Integer> apply(Connection connection, SqlDialect dialect) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                statement.setLong(1, ADVISORY_LOCK_KEY);
                statement.executeQuery().close();
            }
        }
        Set<Integer> applied = applied(connection, dialect);
        List<Integer> now = new ArrayList<>();
        for (String script : VERSIONS) {
            int version = number(script);
            if (applied.contains(version)) {
                continue;
            }
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements(dialect, script)) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO imapsync_schema_version (version, description, installed_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, script.substring(script.indexOf("__") + 2));
                dialect.setInstant(insert, 3, Instant.now());
                insert.executeUpdate();
            }
            now.add(version);
        }
        return List.copyOf(now);
    }

    /** MariaDB/MySQL: the named lock that serializes migrations, waited for up to 60 s. */
    private static void lockSession(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK('imapsync_schema', 60)");
             ResultSet rs = statement.executeQuery()) {
            if (!rs.next() || rs.getInt(1) != 1) {
                throw new SQLException("Another node held the imap-sync schema lock for 60 s", "55P03");
            }
        }
    }

    private static Set<Integer> applied(Connection connection, SqlDialect dialect) throws SQLException {
        // the first statement of V1 creates the version table; running it first is harmless
        try (Statement statement = connection.createStatement()) {
            statement.execute(statements(dialect, VERSIONS.get(0)).get(0));
        }
        Set<Integer> versions = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT version FROM imapsync_schema_version");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    /** The statements of one script: separated by a semicolon at the end of a line; {@code --} comment lines skipped. */
    static List<String> statements(SqlDialect dialect, String version) {
        String resource = dialect.scriptLocation() + version + ".sql";
        String text;
        try (InputStream in = JdbcSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The schema script " + resource + " is missing from the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the schema script " + resource, e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt + (long) (Math.random() * 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
