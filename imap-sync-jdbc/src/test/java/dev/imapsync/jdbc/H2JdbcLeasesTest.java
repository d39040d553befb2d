package dev.imapsync.jdbc;

/** The JDBC leases on an in-memory H2 database of each test's own: compare-and-set claims; always runs. */
class H2JdbcLeasesTest extends JdbcLeasesContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    @Override
    protected JdbcLeases.ClaimStrategy expectedStrategy() {
        return JdbcLeases.ClaimStrategy.COMPARE_AND_SET;
    }
}
