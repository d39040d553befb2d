package dev.imapsync.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The JDBC store on PostgreSQL with {@code reWriteBatchedInserts=true}, under which pgjdbc
 * reports no per-row counts: what is new is then counted by the commit's tag.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresRewrittenBatchesJdbcSyncStoreTest extends JdbcSyncStoreContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"), true);
    }
}
