package dev.imapsync.jdbc.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An empty database for one crash test that child JVMs reach by URL: an H2 file in a
 * directory, or a schema of its own in a PostgreSQL database (dropped by {@link #close()}),
 * as {@code TestDatabase} isolates the other PostgreSQL tests.
 */
interface ScratchDatabase extends AutoCloseable {
    /** The URL a child JVM connects with. */
    String url();

    /** A data source for the parent; open connections only while no child runs (H2 files are exclusive). */
    default DataSource dataSource() {
        return SyncChild.dataSource(url());
    }

    @Override
    void close() throws SQLException;

    /** An H2 database in the file {@code path}.mv.db, in H2's default (embedded, exclusive) mode. */
    static ScratchDatabase h2File(Path path) {
        String url = "jdbc:h2:file:" + path.toAbsolutePath();
        return new ScratchDatabase() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public void close() {
                // the file goes with its temporary directory
            }

            @Override
            public String toString() {
                return "H2 " + path + ".mv.db";
            }
        };
    }

    /** A new schema in the PostgreSQL database at {@code url}, which children make their current schema. */
    static ScratchDatabase postgres(String url) throws SQLException {
        String schema = "imapsync_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DataSource admin = SyncChild.dataSource(url);
        execute(admin, "CREATE SCHEMA " + schema);
        String childUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new ScratchDatabase() {
            @Override
            public String url() {
                return childUrl;
            }

            @Override
            public void close() throws SQLException {
                execute(admin, "DROP SCHEMA " + schema + " CASCADE");
            }

            @Override
            public String toString() {
                return "PostgreSQL schema " + schema;
            }
        };
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
