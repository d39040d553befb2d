package dev.imapsync.oauth;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** An empty database of its own for one test, dropped by {@link #close()} (as imap-sync-jdbc's tests make them). */
interface TestDatabase extends AutoCloseable {
    DataSource dataSource();

    @Override
    void close() throws SQLException;

    static String uniqueName() {
        return "imapsync_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** An in-memory H2 database with a name of its own. */
    static TestDatabase h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1");
        return new TestDatabase() {
            @Override
            public DataSource dataSource() {
                return ds;
            }

            @Override
            public void close() throws SQLException {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        };
    }

    /** A schema of its own in the PostgreSQL database at {@code url}, made the current schema. */
    static TestDatabase postgres(String url) {
        String schema = uniqueName();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        execute(admin, "CREATE SCHEMA " + schema);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setCurrentSchema(schema);
        return new TestDatabase() {
            @Override
            public DataSource dataSource() {
                return ds;
            }

            @Override
            public void close() {
                execute(admin, "DROP SCHEMA " + schema + " CASCADE");
            }
        };
    }

    /** A database of its own on the MariaDB server of {@code url}. */
    static TestDatabase mariaDb(String url) {
        String database = uniqueName();
        try {
            MariaDbDataSource admin = new MariaDbDataSource(url);
            execute(admin, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            MariaDbDataSource ds = new MariaDbDataSource(url.replaceFirst("^(jdbc:mariadb://[^/]+/)[^?]*", "$1" + database));
            return new TestDatabase() {
                @Override
                public DataSource dataSource() {
                    return ds;
                }

                @Override
                public void close() {
                    execute(admin, "DROP DATABASE " + database);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
