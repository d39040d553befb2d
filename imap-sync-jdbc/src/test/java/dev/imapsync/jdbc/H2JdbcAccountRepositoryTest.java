package dev.imapsync.jdbc;

/** The account repository on an in-memory H2 database of each test's own; always runs. */
class H2JdbcAccountRepositoryTest extends JdbcAccountRepositoryContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
