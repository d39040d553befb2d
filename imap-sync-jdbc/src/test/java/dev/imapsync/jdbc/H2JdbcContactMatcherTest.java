package dev.imapsync.jdbc;

/** The contact matcher on an in-memory H2 database of each test's own; always runs. */
class H2JdbcContactMatcherTest extends AbstractJdbcContactMatcherTest {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
