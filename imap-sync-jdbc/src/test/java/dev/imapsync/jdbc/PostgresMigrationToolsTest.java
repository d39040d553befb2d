package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Flyway and Liquibase on PostgreSQL, in a schema of each test's own. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresMigrationToolsTest extends MigrationToolsContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
    }
}
