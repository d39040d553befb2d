package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccountLeases} in the table {@code imapsync_lease}, shared by every node that uses the
 * same database: the nodes of a cluster divide the accounts among themselves through it, in
 * the manner of db-scheduler.
 *
 * <p>Every change of a claim is an optimistic compare-and-set on the row's {@code version}
 * ({@code UPDATE … WHERE account_id = ? AND version = ?}, counted only when one row changed),
 * which works on every database. On PostgreSQL (9.5+), MySQL 8 and MariaDB 10.6+ the due
 * accounts are in addition picked with {@code SELECT … FOR UPDATE SKIP LOCKED} in the claiming
 * transaction, so that nodes claiming at once pass each other instead of colliding; the
 * server version is read from the connection's metadata when the instance is created. H2 and
 * older servers use the compare-and-set alone.
 *
 * <p>Times are kept to the microsecond (what every supported column holds); MariaDB/MySQL
 * {@code DATETIME(6)} columns hold UTC. A transaction that fails for a reason worth retrying
 * (deadlock, serialization failure, lock timeout, a duplicate key from a node registering the
 * same account) runs again after a short, jittered pause. Other failures are reported as an
 * {@link ImapSyncException} that says what to check.
 *
 * <p>Thread-safe; the schema must already be there ({@link JdbcSchema#migrate}).
 */
public final class JdbcLeases implements AccountLeases {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcLeases.class);

    /** How many candidates per wanted claim the compare-and-set path reads. */
    private static final int CANDIDATE_FACTOR = 4;
    private static final int BATCH = 500;
    private static final int MAX_ID = 200;
    private static final int MAX_NODE = 200;

    /** How {@link #claimDue} picks and claims due accounts. */
    enum ClaimStrategy {
        /** Candidates read without locks, each claimed by its own compare-and-set update. */
        COMPARE_AND_SET,
        /** Candidates locked with {@code FOR UPDATE SKIP LOCKED}, claimed in the same transaction. */
        SKIP_LOCKED
    }

    private final DataSource dataSource;
    private final Transactions transactions;
    private final SqlDialect dialect;
    private final ClaimStrategy strategy;
    private final Clock clock;

    private JdbcLeases(DataSource dataSource, SqlDialect dialect, ClaimStrategy strategy, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.transactions = new Transactions(this.dataSource, dialect);
        this.strategy = strategy;
        this.clock = clock;
    }

    /**
     * Leases in the database behind {@code dataSource}, detecting its dialect and whether it
     * supports {@code SKIP LOCKED}.
     *
     * @throws ImapSyncException if the database cannot be reached or is not supported
     */
    public static JdbcLeases create(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            SqlDialect dialect = SqlDialect.detect(connection);
            return new JdbcLeases(dataSource, dialect, strategyOf(dialect, connection.getMetaData()), Clock.systemUTC());
        } catch (SQLException e) {
            throw new ImapSyncException("Could not connect to the database of the account leases: check the DataSource", e);
        } catch (IllegalArgumentException e) {
            throw new ImapSyncException(e.getMessage(), e);
        }
    }

    /**
     * Leases in the database behind {@code dataSource} with the given dialect; on PostgreSQL and
     * MariaDB/MySQL the server version is still read, to know whether it supports
     * {@code SKIP LOCKED}.
     *
     * @throws ImapSyncException if the database cannot be reached
     */
    public static JdbcLeases create(DataSource dataSource, SqlDialect dialect) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(dialect, "dialect");
        if (dialect == SqlDialect.H2) {
            return new JdbcLeases(dataSource, dialect, ClaimStrategy.COMPARE_AND_SET, Clock.systemUTC());
        }
        try (Connection connection = dataSource.getConnection()) {
            return new JdbcLeases(dataSource, dialect, strategyOf(dialect, connection.getMetaData()), Clock.systemUTC());
        } catch (SQLException e) {
            throw new ImapSyncException("Could not connect to the database of the account leases: check the DataSource", e);
        }
    }

    /** Leases that claim with the strategy given, whatever the server supports (for tests). */
    static JdbcLeases create(DataSource dataSource, SqlDialect dialect, ClaimStrategy strategy) {
        return new JdbcLeases(Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(dialect, "dialect"),
                Objects.requireNonNull(strategy, "strategy"), Clock.systemUTC());
    }

    /** The way this instance claims due accounts. */
    ClaimStrategy claimStrategy() {
        return strategy;
    }

    private static ClaimStrategy strategyOf(SqlDialect dialect, DatabaseMetaData metaData) throws SQLException {
        int major;
        int minor;
        try {
            major = metaData.getDatabaseMajorVersion();
            minor = metaData.getDatabaseMinorVersion();
        } catch (SQLException | RuntimeException e) {
            major = 0;
            minor = 0;
        }
        ClaimStrategy chosen = strategyOf(dialect, metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion(),
                major, minor);
        LOG.debug("Account leases on {} {}: claiming with {}", metaData.getDatabaseProductName(),
                metaData.getDatabaseProductVersion(), chosen);
        return chosen;
    }

    private static final Pattern MARIADB_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?-mariadb");

    /**
     * The claim strategy for a server: {@code SKIP LOCKED} on PostgreSQL 9.5+, MariaDB 10.6+ and
     * MySQL 8+, compare-and-set alone otherwise.
     */
    static ClaimStrategy strategyOf(SqlDialect dialect, String productName, String productVersion, int major, int minor) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        String version = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
        switch (dialect) {
            case POSTGRESQL:
                return major > 9 || (major == 9 && minor >= 5) ? ClaimStrategy.SKIP_LOCKED : ClaimStrategy.COMPARE_AND_SET;
            case MYSQL:
                Matcher mariaDb = MARIADB_VERSION.matcher(version);
                if (mariaDb.find()) {
                    // MySQL's driver reports MariaDB as "5.5.5-10.11.6-MariaDB": the real version follows
                    major = Integer.parseInt(mariaDb.group(1));
                    minor = Integer.parseInt(mariaDb.group(2));
                    return atLeast(major, minor, 10, 6);
                }
                if (name.contains("mariadb")) {
                    return atLeast(major, minor, 10, 6);
                }
                return atLeast(major, minor, 8, 0);
            default:
                return ClaimStrategy.COMPARE_AND_SET;
        }
    }

    private static ClaimStrategy atLeast(int major, int minor, int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor)
                ? ClaimStrategy.SKIP_LOCKED : ClaimStrategy.COMPARE_AND_SET;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Inserts in batches, ignoring rows already there; several nodes may register the same
     * accounts at once.
     *
     * @throws IllegalArgumentException if an account id is longer than 200 characters
     * @throws ImapSyncException if the database fails
     */
    @Override
    public void register(Map<String, Instant> firstRuns) {
        Objects.requireNonNull(firstRuns, "firstRuns");
        // sorted, so that nodes registering the same accounts at once lock them in the same order
        TreeMap<String, Instant> sorted = new TreeMap<>();
        firstRuns.forEach((id, first) -> sorted.put(checkId(id), Objects.requireNonNull(first, "first run of " + id)));
        List<Map.Entry<String, Instant>> entries = new ArrayList<>(sorted.entrySet());
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<Map.Entry<String, Instant>> chunk = entries.subList(from, Math.min(entries.size(), from + BATCH));
            transactions.run("register " + chunk.size() + " account(s) for scheduling", connection -> {
                try (PreparedStatement insert = connection.prepareStatement(insertIgnore())) {
                    for (Map.Entry<String, Instant> e : chunk) {
                        insert.setString(1, e.getKey());
                        setInstant(insert, 2, e.getValue());
                        if (dialect == SqlDialect.H2) {
                            insert.setString(3, e.getKey());
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                return null;
            });
        }
    }

    private String insertIgnore() {
        String columns = "account_id, next_run_at, owner, lease_until, heartbeat_at, failures, stopped_revision, version";
        switch (dialect) {
            case POSTGRESQL:
                return "INSERT INTO imapsync_lease (" + columns + ") VALUES (?, ?, NULL, NULL, NULL, 0, NULL, 0)"
                        + " ON CONFLICT DO NOTHING";
            case MYSQL:
                return "INSERT IGNORE INTO imapsync_lease (" + columns + ") VALUES (?, ?, NULL, NULL, NULL, 0, NULL, 0)";
            default:
                return "INSERT INTO imapsync_lease (" + columns + ") SELECT CAST(? AS VARCHAR(200)),"
                        + " CAST(? AS TIMESTAMP WITH TIME ZONE), NULL, NULL, NULL, 0, NULL, 0"
                        + " WHERE NOT EXISTS (SELECT 1 FROM imapsync_lease x WHERE x.account_id = ?)";
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public void unregister(Collection<String> accountIds) {
        Objects.requireNonNull(accountIds, "accountIds");
        List<String> ids = accountIds.stream().map(id -> Objects.requireNonNull(id, "account id")).sorted().distinct()
                .toList();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH));
            transactions.run("unregister " + chunk.size() + " account(s)", connection -> {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM imapsync_lease WHERE account_id = ?")) {
                    for (String id : chunk) {
                        delete.setString(1, id);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                return null;
            });
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sorted as Java sorts strings.
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public List<String> accountIds() {
        return transactions.run("list the scheduled accounts", connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT account_id FROM imapsync_lease");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            ids.sort(null);
            return List.copyOf(ids);
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public Optional<ScheduleState> state(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return transactions.run("read the schedule of account '" + accountId + "'", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT next_run_at, failures, stopped_revision FROM imapsync_lease WHERE account_id = ?")) {
                select.setString(1, accountId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(readState(rs)) : Optional.<ScheduleState>empty();
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public List<LeaseClaim> claimDue(String node, Instant now, Instant leaseUntil, int limit) {
        checkNode(node);
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit <= 0) {
            return List.of();
        }
        Instant at = micros(now);
        Instant until = micros(leaseUntil);
        return strategy == ClaimStrategy.SKIP_LOCKED
                ? claimSkippingLocked(node, at, until, limit)
                : claimByCompareAndSet(node, at, until, limit);
    }

    private static final String CANDIDATES = "SELECT account_id, next_run_at, failures, stopped_revision, version"
            + " FROM imapsync_lease WHERE next_run_at <= ? AND (owner IS NULL OR lease_until < ?)"
            + " ORDER BY next_run_at, account_id LIMIT ?";

    private static final String CLAIM = "UPDATE imapsync_lease SET owner = ?, lease_until = ?, heartbeat_at = ?,"
            + " version = version + 1 WHERE account_id = ? AND version = ?";

    /** One transaction: candidates locked (others' locked rows skipped), then claimed. */
    private List<LeaseClaim> claimSkippingLocked(String node, Instant now, Instant leaseUntil, int limit) {
        // MariaDB/MySQL: read committed, so that no gap locks hold up nodes registering accounts
        int isolation = dialect == SqlDialect.MYSQL ? Connection.TRANSACTION_READ_COMMITTED : -1;
        return transactions.run("claim due accounts for node '" + node + "'", isolation, connection -> {
            List<Candidate> candidates = candidates(connection, CANDIDATES + " FOR UPDATE SKIP LOCKED", now, limit);
            List<LeaseClaim> claims = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
                for (Candidate candidate : candidates) {
                    bindClaim(update, node, leaseUntil, now, candidate);
                    if (update.executeUpdate() == 1) {
                        claims.add(candidate.claim(node, leaseUntil));
                    }
                }
            }
            return claims;
        });
    }

    /**
     * Candidates read without locks; each claimed by its own committed compare-and-set, which
     * also requires the due time and stop read (changed by {@link #dueNow} without a new
     * version), so that a claim's state is the one it was won with.
     */
    private List<LeaseClaim> claimByCompareAndSet(String node, Instant now, Instant leaseUntil, int limit) {
        // nodes read the same earliest rows and race for them: read more than needed, so that a
        // node that loses some races still fills its limit from the rows after them
        int read = (int) Math.min(10_000L, (long) limit * CANDIDATE_FACTOR);
        List<Candidate> candidates = transactions.run("find due accounts for node '" + node + "'",
                connection -> candidates(connection, CANDIDATES, now, read));
        List<LeaseClaim> claims = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                claimEach(connection, node, now, leaseUntil, candidates, claims, limit);
            } finally {
                if (!autoCommit) {
                    connection.setAutoCommit(false);
                }
            }
            return claims;
        } catch (SQLException e) {
            giveBack(claims);
            String what = "claim due accounts for node '" + node + "'";
            throw MissingSchema.failure(e, dialect, what).orElseGet(() -> new ImapSyncException("Could not " + what
                    + " (SQLState " + e.getSQLState() + "): " + Transactions.HINT, e));
        }
    }

    /** Each candidate claimed by a compare-and-set committed on its own; the claims won added to {@code claims}. */
    private void claimEach(Connection connection, String node, Instant now, Instant leaseUntil, List<Candidate> candidates,
            List<LeaseClaim> claims, int limit) throws SQLException {
        for (Candidate candidate : candidates) {
            if (claims.size() >= limit) {
                return;
            }
            String sql = CLAIM + " AND next_run_at = ? AND stopped_revision "
                    + (candidate.state.stoppedRevision().isPresent() ? "= ?" : "IS NULL");
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                bindClaim(update, node, leaseUntil, now, candidate);
                setInstant(update, 6, candidate.state.nextRunAt());
                if (candidate.state.stoppedRevision().isPresent()) {
                    update.setLong(7, candidate.state.stoppedRevision().getAsLong());
                }
                if (update.executeUpdate() == 1) {
                    claims.add(candidate.claim(node, leaseUntil));
                }
            } catch (SQLException e) {
                if (!dialect.isRetryable(e)) {
                    throw e;
                }
                // a lock timeout or deadlock on one row: another node is busy with it; leave it
                LOG.debug("Claiming account {} for node {} failed; left to others", candidate.accountId, node, e);
            }
        }
    }

    /** Frees claims just won that cannot be handed out, keeping their state. */
    private void giveBack(List<LeaseClaim> claims) {
        for (LeaseClaim claim : claims) {
            try {
                transactions.run("give back the claim on account '" + claim.accountId() + "'", connection -> {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_lease SET owner = NULL,"
                            + " lease_until = NULL, heartbeat_at = NULL, version = version + 1"
                            + " WHERE account_id = ? AND version = ?")) {
                        update.setString(1, claim.accountId());
                        update.setLong(2, claim.version());
                        return update.executeUpdate();
                    }
                });
            } catch (ImapSyncException e) {
                LOG.warn("Could not give back the claim on account {}; it lapses at {}", claim.accountId(),
                        claim.leaseUntil(), e);
            }
        }
    }

    private List<Candidate> candidates(Connection connection, String sql, Instant now, int limit) throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            setInstant(select, 1, now);
            setInstant(select, 2, now);
            select.setInt(3, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new Candidate(rs.getString("account_id"), readState(rs), rs.getLong("version")));
                }
            }
        }
        return candidates;
    }

    private void bindClaim(PreparedStatement update, String node, Instant leaseUntil, Instant now, Candidate candidate)
            throws SQLException {
        update.setString(1, node);
        setInstant(update, 2, leaseUntil);
        setInstant(update, 3, now);
        update.setString(4, candidate.accountId);
        update.setLong(5, candidate.version);
    }

    /**
     * {@inheritDoc}
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public Optional<LeaseClaim> heartbeat(LeaseClaim claim, Instant leaseUntil) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Instant until = micros(leaseUntil);
        int updated = transactions.run("extend the claim of node '" + claim.node() + "' on account '" + claim.accountId()
                + "'", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_lease SET owner = ?,"
                    + " lease_until = ?, heartbeat_at = ?, version = version + 1 WHERE account_id = ? AND version = ?")) {
                update.setString(1, claim.node());
                setInstant(update, 2, until);
                setInstant(update, 3, micros(clock.instant()));
                update.setString(4, claim.accountId());
                update.setLong(5, claim.version());
                return update.executeUpdate();
            }
        });
        if (updated != 1) {
            LOG.debug("Node {} lost its claim on account {} (version {})", claim.node(), claim.accountId(), claim.version());
            return Optional.empty();
        }
        return Optional.of(new LeaseClaim(claim.accountId(), claim.node(), until, claim.version() + 1, claim.state()));
    }

    /**
     * {@inheritDoc}
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public boolean release(LeaseClaim claim, ScheduleState next) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(next, "next");
        int updated = transactions.run("release the claim of node '" + claim.node() + "' on account '" + claim.accountId()
                + "'", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_lease SET next_run_at = ?,"
                    + " failures = ?, stopped_revision = ?, owner = NULL, lease_until = NULL, heartbeat_at = NULL,"
                    + " version = version + 1 WHERE account_id = ? AND version = ?")) {
                setInstant(update, 1, next.nextRunAt());
                update.setInt(2, next.failures());
                if (next.stoppedRevision().isPresent()) {
                    update.setLong(3, next.stoppedRevision().getAsLong());
                } else {
                    update.setNull(3, Types.BIGINT);
                }
                update.setString(4, claim.accountId());
                update.setLong(5, claim.version());
                return update.executeUpdate();
            }
        });
        if (updated != 1) {
            LOG.debug("Node {} no longer held account {} (version {}); its state was not written", claim.node(),
                    claim.accountId(), claim.version());
        }
        return updated == 1;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ImapSyncException if the database fails
     */
    @Override
    public boolean dueNow(String accountId, Instant now) {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(now, "now");
        Instant at = micros(now);
        return transactions.run("make account '" + accountId + "' due now", connection -> {
            // the version stays: a claim held now is not disturbed, and its release sets the next run
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE imapsync_lease SET next_run_at = ?, stopped_revision = NULL WHERE account_id = ?")) {
                setInstant(update, 1, at);
                update.setString(2, accountId);
                if (update.executeUpdate() > 0) {
                    return true;
                }
            }
            // a driver that counts changed rather than matched rows answers 0 for a row already so
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM imapsync_lease WHERE account_id = ?")) {
                select.setString(1, accountId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private ScheduleState readState(ResultSet rs) throws SQLException {
        Instant next = dialect.getInstant(rs, "next_run_at").orElseThrow(
                () -> new SQLException("imapsync_lease.next_run_at is NULL, though the schema declares it NOT NULL"));
        int failures = rs.getInt("failures");
        long stopped = rs.getLong("stopped_revision");
        OptionalLong stoppedRevision = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(stopped);
        return new ScheduleState(next, Math.max(0, failures), stoppedRevision);
    }

    private void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        dialect.setInstant(statement, index, micros(instant));
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String checkId(String accountId) {
        Objects.requireNonNull(accountId, "account id");
        if (accountId.length() > MAX_ID) {
            throw new IllegalArgumentException("The account id '" + accountId.substring(0, 40) + "…' has "
                    + accountId.length() + " characters; at most " + MAX_ID + " can be scheduled");
        }
        return accountId;
    }

    private static void checkNode(String node) {
        Objects.requireNonNull(node, "node");
        if (node.length() > MAX_NODE) {
            throw new IllegalArgumentException("The node id '" + node.substring(0, 40) + "…' has " + node.length()
                    + " characters; at most " + MAX_NODE + " can be stored");
        }
    }

    /** A due, unheld row as read before claiming it. */
    private record Candidate(String accountId, ScheduleState state, long version) {
        LeaseClaim claim(String node, Instant leaseUntil) {
            return new LeaseClaim(accountId, node, leaseUntil, version + 1, state);
        }
    }
}
