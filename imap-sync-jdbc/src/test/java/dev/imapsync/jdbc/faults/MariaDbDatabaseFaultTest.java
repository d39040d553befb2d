package dev.imapsync.jdbc.faults;

import dev.imapsync.jdbc.TestDatabase;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link DatabaseFaultContract} on MariaDB/MySQL, when {@code IMAPSYNC_TEST_MYSQL_URL} names one. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbDatabaseFaultTest extends DatabaseFaultContract {
    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
    }

    @Override
    String dialect() {
        return "MariaDB";
    }
}
