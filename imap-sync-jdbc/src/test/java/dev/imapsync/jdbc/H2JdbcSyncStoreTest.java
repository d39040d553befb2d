package dev.imapsync.jdbc;

/** The JDBC store on an in-memory H2 database of each test's own; always runs. */
class H2JdbcSyncStoreTest extends JdbcSyncStoreContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
