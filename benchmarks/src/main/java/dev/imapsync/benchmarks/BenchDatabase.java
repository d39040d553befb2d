package dev.imapsync.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases the JDBC benchmarks run against, each made fresh and isolated for one trial
 * and removed after it: an H2 in-memory database of its own name, an H2 file database in a new
 * temporary directory (the CLI's default kind), a new schema in the PostgreSQL database of
 * {@code IMAPSYNC_TEST_POSTGRES_URL}, a new database on the MariaDB server of
 * {@code IMAPSYNC_TEST_MYSQL_URL}.
 *
 * <p>The code under test takes a connection from its {@link DataSource} per call, as it would
 * from an application's pool. By default the benchmarks hand it a one-connection pool (the
 * same physical connection every time, {@code close()} giving it back), so that what is
 * measured is the SQL and not the driver's connection set-up, which a real deployment pays once
 * per pooled connection. {@code --unpooled} hands it the driver's own DataSource instead (a
 * new physical connection per call; H2 then keeps the database open with one more connection).
 */
enum BenchDatabase {
    H2_MEM("h2-mem", "H2 in-memory"),
    H2_FILE("h2-file", "H2 file"),
    POSTGRESQL("postgresql", "PostgreSQL"),
    MARIADB("mariadb", "MariaDB");

    static final String POSTGRES_ENV = "IMAPSYNC_TEST_POSTGRES_URL";
    static final String MYSQL_ENV = "IMAPSYNC_TEST_MYSQL_URL";

    final String option;
    final String label;

    BenchDatabase(String option, String label) {
        this.option = option;
        this.label = label;
    }

    /** H2 always; PostgreSQL and MariaDB when their variable is set. */
    static List<BenchDatabase> available() {
        List<BenchDatabase> all = new ArrayList<>(List.of(H2_MEM, H2_FILE));
        if (System.getenv(POSTGRES_ENV) != null && !System.getenv(POSTGRES_ENV).isBlank()) {
            all.add(POSTGRESQL);
        }
        if (System.getenv(MYSQL_ENV) != null && !System.getenv(MYSQL_ENV).isBlank()) {
            all.add(MARIADB);
        }
        return all;
    }

    /** Parses {@code h2-mem,h2-file,postgresql,mariadb}. */
    static List<BenchDatabase> parse(String list) {
        List<BenchDatabase> out = new ArrayList<>();
        for (String name : list.split(",")) {
            BenchDatabase found = null;
            for (BenchDatabase d : values()) {
                if (d.option.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    found = d;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("Unknown database '" + name + "': use h2-mem, h2-file, postgresql, mariadb");
            }
            if (found == POSTGRESQL && System.getenv(POSTGRES_ENV) == null) {
                throw new IllegalArgumentException("postgresql needs " + POSTGRES_ENV);
            }
            if (found == MARIADB && System.getenv(MYSQL_ENV) == null) {
                throw new IllegalArgumentException("mariadb needs " + MYSQL_ENV);
            }
            out.add(found);
        }
        return out;
    }

    /** A new, empty database of this kind; close it to remove it. */
    Instance create(boolean pooled) throws SQLException, IOException {
        String name = "imapsync_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
        switch (this) {
            case H2_MEM: {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=0");
                return new Instance(this, h2, pooled, () -> { }, "jdbc:h2:mem:" + name);
            }
            case H2_FILE: {
                Path dir = Files.createTempDirectory("imapsync-bench-h2");
                JdbcDataSource h2 = new JdbcDataSource();
                String url = "jdbc:h2:" + dir.resolve("imapsync").toAbsolutePath();
                h2.setURL(url);
                return new Instance(this, h2, pooled, () -> deleteTree(dir), url);
            }
            case POSTGRESQL: {
                String base = System.getenv(POSTGRES_ENV);
                PGSimpleDataSource admin = new PGSimpleDataSource();
                admin.setURL(base);
                execute(admin, "CREATE SCHEMA " + name);
                PGSimpleDataSource pg = new PGSimpleDataSource();
                String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
                pg.setURL(url);
                PGSimpleDataSource bulk = new PGSimpleDataSource();
                bulk.setURL(url);
                bulk.setReWriteBatchedInserts(true);
                Instance instance = new Instance(this, pg, pooled,
                        () -> execute(admin, "DROP SCHEMA " + name + " CASCADE"), redact(base) + " schema " + name);
                instance.bulkDataSource = bulk;
                PGSimpleDataSource custom = new PGSimpleDataSource();
                custom.setURL(url);
                custom.setPrepareThreshold(0);
                instance.customPlanDataSource = custom;
                return instance;
            }
            case MARIADB: {
                String base = System.getenv(MYSQL_ENV);
                MariaDbDataSource admin = new MariaDbDataSource(base);
                execute(admin, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                // the same server and options, the new database in the path
                String url = base.replaceFirst("^(jdbc:(?:mariadb|mysql)://[^/?]*)(/[^?]*)?", "$1/" + name)
                        .replaceFirst("^jdbc:mysql:", "jdbc:mariadb:");
                MariaDbDataSource maria = new MariaDbDataSource(url);
                return new Instance(this, maria, pooled, () -> execute(admin, "DROP DATABASE " + name),
                        redact(base) + " database " + name);
            }
            default:
                throw new AssertionError(this);
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    interface Cleanup {
        void run() throws SQLException, IOException;
    }

    /** One fresh database: {@link #dataSource()} for the code under test; {@link #close()} removes it. */
    static final class Instance implements AutoCloseable {
        final BenchDatabase kind;
        final String description;
        private final DataSource driverDataSource;
        private final Connection held;
        private final DataSource dataSource;
        private final Cleanup cleanup;

        Instance(BenchDatabase kind, DataSource driverDataSource, boolean pooled, Cleanup cleanup, String description)
                throws SQLException {
            this.kind = kind;
            this.driverDataSource = driverDataSource;
            this.cleanup = cleanup;
            this.description = description;
            this.held = driverDataSource.getConnection(); // also keeps an H2 database open
            this.dataSource = pooled ? new OneConnectionDataSource(held) : driverDataSource;
        }

        /** What the code under test is given. */
        DataSource dataSource() {
            return dataSource;
        }

        private DataSource bulkDataSource;
        private DataSource customPlanDataSource;

        /**
         * PostgreSQL only: a one-connection pool whose driver never prepares statements on the
         * server ({@code prepareThreshold=0}), so every execution is planned for its own values;
         * empty on other databases. Close the connection it was made from with the instance.
         */
        java.util.Optional<DataSource> customPlanDataSource() throws SQLException {
            if (customPlanDataSource == null) {
                return java.util.Optional.empty();
            }
            Connection connection = customPlanDataSource.getConnection();
            extraConnections.add(connection);
            return java.util.Optional.of(new OneConnectionDataSource(connection));
        }

        private final List<Connection> extraConnections = new ArrayList<>();

        /** A new physical connection, for filling tables (PostgreSQL: with rewritten batched inserts). */
        Connection newConnection() throws SQLException {
            return (bulkDataSource != null ? bulkDataSource : driverDataSource).getConnection();
        }

        @Override
        public void close() throws SQLException, IOException {
            try {
                for (Connection extra : extraConnections) {
                    extra.close();
                }
                held.close();
            } finally {
                cleanup.run();
            }
        }
    }

    /**
     * The smallest pool: one physical connection handed out again and again (one thread only);
     * {@code close()} on what it hands out returns it, rolling back anything left open.
     */
    static final class OneConnectionDataSource implements DataSource {
        private final Connection physical;
        private final Connection handle;

        OneConnectionDataSource(Connection physical) {
            this.physical = physical;
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "close":
                        if (!physical.getAutoCommit()) {
                            physical.rollback();
                            physical.setAutoCommit(true);
                        }
                        return null;
                    case "isClosed":
                        return false;
                    case "unwrap":
                        return physical.unwrap((Class<?>) args[0]);
                    default:
                        try {
                            return method.invoke(physical, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                }
            };
            this.handle = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, handler);
        }

        @Override
        public Connection getConnection() {
            return handle;
        }

        @Override
        public Connection getConnection(String username, String password) {
            return handle;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
