package dev.imapsync.jdbc;

/** Flyway and Liquibase on an in-memory H2 database of each test's own; always runs. */
class H2MigrationToolsTest extends MigrationToolsContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
