package dev.imapsync.jdbc;

import dev.imapsync.testing.contract.PrivacyStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link PrivacyStoreContract} against the JDBC store on MariaDB (or MySQL), in a database of each test's own, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbPrivacyStoreContractTest extends PrivacyStoreContract<JdbcSyncStore> {
    private TestDatabase database;

    @Override
    protected JdbcSyncStore newStore() {
        database = TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
        JdbcSchema.migrate(database.dataSource());
        return JdbcSyncStore.create(database.dataSource());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }
}
