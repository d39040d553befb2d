package dev.imapsync.jdbc;

/** A database without imap-sync's schema, on an in-memory H2 database of each test's own; always runs. */
class H2MissingSchemaTest extends MissingSchemaContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
