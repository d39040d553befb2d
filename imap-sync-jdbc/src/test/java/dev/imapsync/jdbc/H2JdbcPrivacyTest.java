package dev.imapsync.jdbc;

/** The JDBC store's privacy side on an in-memory H2 database of each test's own; always runs. */
class H2JdbcPrivacyTest extends JdbcPrivacyContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
