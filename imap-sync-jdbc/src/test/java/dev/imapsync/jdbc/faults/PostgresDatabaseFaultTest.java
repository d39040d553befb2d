package dev.imapsync.jdbc.faults;

import dev.imapsync.jdbc.TestDatabase;
import dev.imapsync.jdbc.faults.FaultyDataSource.Fault;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link DatabaseFaultContract} on PostgreSQL, when {@code IMAPSYNC_TEST_POSTGRES_URL} names one;
 * and the session killed by the server ({@code pg_terminate_backend} from a second connection)
 * just before each step of the sync, mid-batch included.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresDatabaseFaultTest extends DatabaseFaultContract {
    @Override
    TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
    }

    @Override
    String dialect() {
        return "PostgreSQL";
    }

    @Test
    void aSessionTerminatedBeforeAnyStepLeavesTheCheckpointTrueAndTheRetryCompletes() throws SQLException {
        everyStep("backend terminated", n -> Fault.terminateBackend(n, faulty.target()));
    }
}
