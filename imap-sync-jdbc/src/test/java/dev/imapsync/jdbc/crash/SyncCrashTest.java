package dev.imapsync.jdbc.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's crash test: a sync of 3,000 messages into a database, in a child JVM killed with
 * SIGKILL at random points many times, then run to completion, leaves exactly the expected
 * history: nothing lost, nothing doubled. See {@link KillAndRerun} for how; the seed is printed and
 * may be set with {@code -Dimapsync.crash.seed=...}, the number of kills with
 * {@code -Dimapsync.crash.kills=...}.
 */
class SyncCrashTest {
    static final String POSTGRES_URL = "IMAPSYNC_TEST_POSTGRES_URL";

    @Test
    void anH2FileDatabaseKeepsEachMessageOnceThroughKills(@TempDir Path dir) throws Exception {
        try (ScratchDatabase database = ScratchDatabase.h2File(dir.resolve("history"))) {
            KillAndRerun.Result result = new KillAndRerun(database, dir).run();
            assertThat(result.kills()).as("kills performed").isPositive();
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = POSTGRES_URL, matches = ".+")
    void aPostgresDatabaseKeepsEachMessageOnceThroughKills(@TempDir Path dir) throws Exception {
        try (ScratchDatabase database = ScratchDatabase.postgres(System.getenv(POSTGRES_URL))) {
            KillAndRerun.Result result = new KillAndRerun(database, dir).run();
            assertThat(result.kills()).as("kills performed").isPositive();
        }
    }
}
