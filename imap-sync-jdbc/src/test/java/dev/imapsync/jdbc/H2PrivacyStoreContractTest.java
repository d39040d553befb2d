package dev.imapsync.jdbc;

import dev.imapsync.testing.contract.PrivacyStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;


/** {@link PrivacyStoreContract} against the JDBC store on an in-memory H2 database of each test's own; always runs. */
class H2PrivacyStoreContractTest extends PrivacyStoreContract<JdbcSyncStore> {
    private TestDatabase database;

    @Override
    protected JdbcSyncStore newStore() {
        database = TestDatabase.h2();
        JdbcSchema.migrate(database.dataSource());
        return JdbcSyncStore.create(database.dataSource());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }
}
