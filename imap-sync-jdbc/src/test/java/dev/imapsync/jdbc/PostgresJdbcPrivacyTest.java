package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC store's privacy side on PostgreSQL, in schemas of the test's own, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresJdbcPrivacyTest extends JdbcPrivacyContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
    }
}
