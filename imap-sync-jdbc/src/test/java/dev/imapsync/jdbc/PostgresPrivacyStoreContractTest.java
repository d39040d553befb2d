package dev.imapsync.jdbc;

import dev.imapsync.testing.contract.PrivacyStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link PrivacyStoreContract} against the JDBC store on PostgreSQL, in a database of each test's own, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresPrivacyStoreContractTest extends PrivacyStoreContract<JdbcSyncStore> {
    private TestDatabase database;

    @Override
    protected JdbcSyncStore newStore() {
        database = TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
        JdbcSchema.migrate(database.dataSource());
        return JdbcSyncStore.create(database.dataSource());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }
}
