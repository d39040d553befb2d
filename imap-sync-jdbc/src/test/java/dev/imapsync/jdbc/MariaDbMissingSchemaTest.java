package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** A database without imap-sync's schema, on MariaDB (or MySQL), in a database of each test's own, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbMissingSchemaTest extends MissingSchemaContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
    }
}
