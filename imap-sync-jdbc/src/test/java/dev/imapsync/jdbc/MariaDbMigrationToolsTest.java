package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Flyway and Liquibase on MariaDB/MySQL, in a database of each test's own. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbMigrationToolsTest extends MigrationToolsContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
    }
}
