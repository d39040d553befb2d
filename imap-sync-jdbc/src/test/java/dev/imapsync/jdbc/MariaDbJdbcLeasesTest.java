package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC leases on MariaDB (10.6+ expected, so {@code SKIP LOCKED}). */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbJdbcLeasesTest extends JdbcLeasesContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
    }

    @Override
    protected JdbcLeases.ClaimStrategy expectedStrategy() {
        return JdbcLeases.ClaimStrategy.SKIP_LOCKED;
    }
}
