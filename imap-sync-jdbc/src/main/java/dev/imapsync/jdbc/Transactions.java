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
 * pause) when the failure is one a rerun can cure (a deadlock, a lock timeout, a duplicate key
 * from a racing node). Any other failure becomes an {@link ImapSyncException} that says what
 * could not be done.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int ATTEMPTS = 8;
    private static final String HINT = "check the database and that the imap-sync schema is migrated (JdbcSchema.migrate)";

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
        SQLException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                int previousIsolation = connection.getTransactionIsolation();
                boolean changeIsolation = isolation != -1 && isolation != previousIsolation;
                if (changeIsolation) {
                    connection.setTransactionIsolation(isolation);
                }
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                    }
                    throw e;
                } finally {
                    connection.setAutoCommit(autoCommit);
                    if (changeIsolation) {
                        connection.setTransactionIsolation(previousIsolation);
                    }
                }
            } catch (SQLException e) {
                failure = e;
                if (!dialect.isRetryable(e)) {
                    break;
                }
                LOG.debug("Could not {} (attempt {}), trying again", what, attempt, e);
                pause(attempt);
            }
        }
        throw new ImapSyncException("Could not " + what + " (SQLState " + failure.getSQLState() + "): " + HINT, failure);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 10L + 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
