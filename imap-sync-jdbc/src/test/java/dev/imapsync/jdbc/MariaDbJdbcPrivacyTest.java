package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC store's privacy side on MariaDB (or MySQL), in databases of the test's own, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbJdbcPrivacyTest extends JdbcPrivacyContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
    }
}
