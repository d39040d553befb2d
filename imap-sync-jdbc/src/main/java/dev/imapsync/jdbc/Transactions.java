package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of work in one transaction on a connection of its own: committed when it
 * returns, rolled back when it throws, and run again (a few times, after a short jittered
 * pause that grows with each attempt) when the failure is one a rerun can cure (a deadlock, a
 * lock timeout, a duplicate key from a racing node). Any other failure becomes an
 * {@link ImapSyncException} that says what could not be done; one that says a table is missing
 * says that the schema was not created, and how to create it ({@link MissingSchema}).
 *
 * <p>{@link #inTransaction} is the one commit-or-roll-back template of this module; callers that
 * hold their own connection (the schema migration) use it directly.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int ATTEMPTS = 8;
    /** What to check when the database fails for a reason other than a missing table. */
    static final String HINT = "check the database and that the imap-sync schema is migrated (JdbcSchema.migrate)";

    /** Work on one connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final SqlDialect dialect;

    Transactions(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Runs {@code work} at the connection's isolation level; {@code what} completes "Could not …". */
    <T> T run(String what, Work<T> work) {
        return run(what, -1, work);
    }

    /** Runs {@code work} at the isolation level given ({@code -1}: the connection's own). */
    <T> T run(String what, int isolation, Work<T> work) {
        try {
            return retrying(what, isolation, work);
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, what).orElseGet(() -> new ImapSyncException("Could not " + what
                    + " (SQLState " + e.getSQLState() + "): " + HINT, e));
        }
    }

    /**
     * Runs {@code work} in a transaction of its own, again after a failure a rerun can cure, for
     * callers that say the last failure in their own words.
     *
     * @param what completes "Could not …" in the debug log of each rerun
     * @throws SQLException the last failure, when it cannot be cured or the attempts ran out
     */
    <T> T retrying(String what, int isolation, Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return inTransaction(connection, isolation, work);
            } catch (SQLException e) {
                if (!dialect.isRetryable(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Could not {} (attempt {}, SQLState {}), trying again", what, attempt, e.getSQLState(), e);
                pause(attempt);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction on {@code connection}: committed when it returns,
     * rolled back when it throws (a failed rollback kept as suppressed). The connection's
     * auto-commit and isolation are restored after; a failure to restore them is kept as
     * suppressed by the work's failure, and only logged after a commit, so that committed work is
     * never reported failed (a pool resets both when the connection comes back).
     *
     * @param isolation the transaction's isolation level; {@code -1}: the connection's own
     */
    static <T> T inTransaction(Connection connection, int isolation, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int previousIsolation = connection.getTransactionIsolation();
        boolean changeIsolation = isolation != -1 && isolation != previousIsolation;
        if (changeIsolation) {
            connection.setTransactionIsolation(isolation);
        }
        connection.setAutoCommit(false);
        Exception failure = null;
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            failure = e;
            try {
                connection.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
                if (changeIsolation) {
                    connection.setTransactionIsolation(previousIsolation);
                }
            } catch (SQLException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    LOG.debug("Could not restore the connection's auto-commit or isolation", e);
                }
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5L * attempt, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
