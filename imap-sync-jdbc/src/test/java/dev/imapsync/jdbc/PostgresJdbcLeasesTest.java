package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC leases on PostgreSQL, detected as supporting {@code SKIP LOCKED}. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresJdbcLeasesTest extends JdbcLeasesContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
    }

    @Override
    protected JdbcLeases.ClaimStrategy expectedStrategy() {
        return JdbcLeases.ClaimStrategy.SKIP_LOCKED;
    }
}
