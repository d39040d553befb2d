package dev.imapsync.benchmarks;

import dev.imapsync.jdbc.JdbcLeases;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Where one trial of the scheduler benchmark keeps history and schedule, made new and empty for
 * the trial: {@link InMemorySyncStore} and {@link AccountLeases#inMemory()}, or with {@code --jdbc}
 * {@link JdbcSyncStore} and {@link JdbcLeases} on a new H2 in-memory database behind H2's own
 * connection pool (as many connections as the trial's syncs can use at once, and a few more).
 */
final class SchedulerBackend implements AutoCloseable {
    final String label;
    final SyncStore store;
    final AccountLeases leases;
    private final JdbcConnectionPool pool;
    private final Connection held;

    private SchedulerBackend(String label, SyncStore store, AccountLeases leases, JdbcConnectionPool pool,
                             Connection held) {
        this.label = label;
        this.store = store;
        this.leases = leases;
        this.pool = pool;
        this.held = held;
    }

    static String describe(boolean jdbc) {
        return jdbc ? "JdbcSyncStore + JdbcLeases on H2 in-memory (a new database per trial, H2 connection pool)"
                : "InMemorySyncStore + InMemoryAccountLeases (new per trial)";
    }

    static SchedulerBackend create(boolean jdbc, int connections) throws SQLException {
        if (!jdbc) {
            return new SchedulerBackend("in-memory", new InMemorySyncStore(), AccountLeases.inMemory(), null, null);
        }
        String name = "imapsync_sched_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + name, "sa", "");
        pool.setMaxConnections(connections + 4);
        Connection held = pool.getConnection(); // keeps the database open between calls
        JdbcSchema.migrate(pool);
        return new SchedulerBackend("H2", JdbcSyncStore.create(pool), JdbcLeases.create(pool), pool, held);
    }

    @Override
    public void close() throws SQLException {
        if (pool != null) {
            try (Statement s = held.createStatement()) {
                s.execute("SHUTDOWN");
            } finally {
                held.close();
                pool.dispose();
            }
        }
    }
}
