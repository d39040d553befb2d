package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** A database without imap-sync's schema, on PostgreSQL, in a schema of each test's own, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresMissingSchemaTest extends MissingSchemaContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
    }
}
