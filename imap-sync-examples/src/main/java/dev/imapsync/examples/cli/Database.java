package dev.imapsync.examples.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.store.TimelineStore;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The CLI's database: a JDBC URL turned into the driver's own DataSource, migrated on first use. */
final class Database {
    /** Used when no {@code --db} is given: an H2 file in the working directory. */
    static final String DEFAULT_URL = "jdbc:h2:./imap-sync-data/imapsync";

    private Database() {
    }

    static DataSource dataSource(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        try {
            if (u.startsWith("jdbc:h2:")) {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL(writingEachCommit(url));
                return h2;
            }
            if (u.startsWith("jdbc:postgresql:")) {
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setURL(url);
                return pg;
            }
            if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
                return new MariaDbDataSource(url.replaceFirst("(?i)^jdbc:mysql:", "jdbc:mariadb:"));
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            throw new UsageException("--db " + redact(url) + " is not a usable JDBC URL: " + e.getMessage());
        }
        throw new UsageException("--db " + redact(url) + " is not supported: use jdbc:h2:, jdbc:postgresql: or"
                + " jdbc:mariadb: (MySQL too)");
    }

    /**
     * A pool over the driver's DataSource, for a long-running command: leases, heartbeats and
     * commits then share a few connections instead of opening one each. Close it when done.
     */
    static HikariDataSource pooled(DataSource driver, int maxConnections, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(driver);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setPoolName("imap-sync-" + name);
        return new HikariDataSource(config);
    }

    /** The store over the database, with the schema brought up to date. */
    static JdbcSyncStore store(String url) {
        DataSource dataSource = dataSource(url);
        JdbcSchema.migrate(dataSource);
        return JdbcSyncStore.create(dataSource);
    }

    /**
     * The privacy side of the store over the database (blocklist, erasure), with the schema
     * brought up to date.
     */
    static PrivacyStore privacy(String url) {
        return store(url);
    }

    /**
     * The timeline side of the store over the database (the read side {@code history} and
     * {@code contacts} use), with the schema brought up to date.
     */
    static TimelineStore timeline(String url) {
        return store(url);
    }

    /**
     * An H2 URL whose database writes each commit at once: the CLI has no pool, so H2 closes the
     * embedded database after every store call, and with H2's default write delay that lost
     * committed batches (imap-sync-jdbc's README).
     */
    static String writingEachCommit(String h2Url) {
        return h2Url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY") ? h2Url : h2Url + ";WRITE_DELAY=0";
    }

    /** The URL without a password parameter, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }
}
