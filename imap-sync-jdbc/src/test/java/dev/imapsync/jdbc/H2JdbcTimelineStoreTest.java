package dev.imapsync.jdbc;

/** The timeline of the JDBC store on an in-memory H2 database of each test's own; always runs. */
class H2JdbcTimelineStoreTest extends JdbcTimelineStoreContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
