package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.imapsync.ImapSyncException;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.testing.contract.AccountLeasesContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link AccountLeases} contract for {@link JdbcLeases} on one database, each node a
 * {@link JdbcLeases} of its own over the same {@link DataSource}, plus what only the JDBC
 * leases promise: the claim strategy each server gets, rows locked by another transaction
 * skipped, times to the microsecond, large registrations, ids too long to store refused.
 */
abstract class JdbcLeasesContract extends AccountLeasesContract {
    private final List<TestDatabase> databases = new ArrayList<>();
    private DataSource dataSource;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    /** The claim strategy the leases of this test class use. */
    protected abstract JdbcLeases.ClaimStrategy expectedStrategy();

    /** Leases over {@code dataSource}, as this test class makes them. */
    protected JdbcLeases leasesOver(DataSource dataSource) {
        return JdbcLeases.create(dataSource);
    }

    @Override
    protected AccountLeases newLeases() {
        TestDatabase database = newDatabase();
        databases.add(database);
        dataSource = database.dataSource();
        JdbcSchema.migrate(dataSource);
        return leasesOver(dataSource);
    }

    @Override
    protected AccountLeases sameScheduleAs(AccountLeases leases) {
        return leasesOver(dataSource);
    }

    @AfterEach
    void drop() throws SQLException {
        for (TestDatabase database : databases) {
            database.close();
        }
    }

    @Test
    void claimsWithTheStrategyTheServerSupports() {
        assertThat(((JdbcLeases) leases).claimStrategy()).isEqualTo(expectedStrategy());
    }

    @Test
    void skipsAccountsLockedByAnotherTransactionInsteadOfWaiting() throws Exception {
        assumeThat(expectedStrategy()).isEqualTo(JdbcLeases.ClaimStrategy.SKIP_LOCKED);
        leases.register(Map.of("a", T0.minusSeconds(30), "b", T0.minusSeconds(20), "c", T0.minusSeconds(10)));
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement(
                    "SELECT version FROM imapsync_lease WHERE account_id = ? FOR UPDATE")) {
                lock.setString(1, "a");
                lock.executeQuery().close();
            }
            // with the compare-and-set alone, the claim of "a" would wait for this transaction
            List<LeaseClaim> claims = CompletableFuture
                    .supplyAsync(() -> leases.claimDue("node-a", T0, T0.plusSeconds(60), 2))
                    .get(20, TimeUnit.SECONDS);
            assertThat(claims).extracting(LeaseClaim::accountId).containsExactly("b", "c");
            locker.rollback();
        }
        assertThat(leases.claimDue("node-b", T0, T0.plusSeconds(60), 10)).extracting(LeaseClaim::accountId)
                .containsExactly("a");
    }

    @Test
    void aClaimAfterDueNowCarriesTheStateDueNowWrote() throws SQLException {
        leases.register(Map.of("a", T0));
        LeaseClaim first = leases.claimDue("node-a", T0, T0.plusSeconds(60), 1).get(0);
        leases.release(first, new ScheduleState(T0, 1, OptionalLong.of(4)));
        leases.dueNow("a", T0.plusSeconds(5));

        LeaseClaim claim = leases.claimDue("node-a", T0.plusSeconds(5), T0.plusSeconds(65), 1).get(0);

        assertThat(claim.state()).isEqualTo(new ScheduleState(T0.plusSeconds(5), 1, OptionalLong.empty()));
        assertThat(row("a", "owner")).isEqualTo("node-a");
    }

    @Test
    void keepsTimesToTheMicrosecond() {
        Instant first = Instant.parse("2024-03-01T09:00:00.123456789Z");
        leases.register(Map.of("a", first));
        assertThat(leases.state("a").orElseThrow().nextRunAt()).isEqualTo(Instant.parse("2024-03-01T09:00:00.123456Z"));

        LeaseClaim claim = leases.claimDue("node-a", first, first.plusMillis(1500), 1).get(0);
        assertThat(leases.claimDue("node-b", first.plusMillis(1499), first.plusSeconds(60), 1)).isEmpty();
        assertThat(leases.claimDue("node-b", first.plusMillis(1501), first.plusSeconds(60), 1)).hasSize(1);
        assertThat(leases.heartbeat(claim, first.plusSeconds(90))).isEmpty();
    }

    @Test
    void registersAndUnregistersManyAccountsInBatches() {
        Map<String, Instant> accounts = new LinkedHashMap<>();
        for (int i = 0; i < 1234; i++) {
            accounts.put(String.format("acct-%05d", i), T0.plusSeconds(i));
        }
        leases.register(accounts);
        leases.register(accounts);
        assertThat(leases.accountIds()).containsExactlyElementsOf(accounts.keySet());

        leases.unregister(new ArrayList<>(accounts.keySet()).subList(0, 1200));
        assertThat(leases.accountIds()).hasSize(34).first().isEqualTo("acct-01200");
    }

    @Test
    void refusesIdsTooLongToStore() {
        assertThatThrownBy(() -> leases.register(Map.of("x".repeat(201), T0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 200");
        assertThat(leases.accountIds()).isEmpty();
    }

    @Test
    void writesTheLeaseColumnsOfAClaimAndClearsThemOnRelease() throws SQLException {
        leases.register(Map.of("a", T0));
        LeaseClaim claim = leases.claimDue("node-a", T0, T0.plusSeconds(60), 1).get(0);
        assertThat(row("a", "owner")).isEqualTo("node-a");
        assertThat(row("a", "heartbeat_at")).isNotNull();

        leases.release(claim, ScheduleState.firstRunAt(T0.plusSeconds(300)));

        assertThat(row("a", "owner")).isNull();
        assertThat(row("a", "lease_until")).isNull();
    }

    @Test
    void reportsAMissingSchemaWithWhatToDo() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE imapsync_lease");
        }
        assertThatThrownBy(() -> leases.claimDue("node-a", T0, T0.plusSeconds(60), 1))
                .isInstanceOf(ImapSyncException.class).hasMessageContaining("JdbcSchema.migrate");
        assertThatThrownBy(() -> leases.register(Map.of("a", T0)))
                .isInstanceOf(ImapSyncException.class).hasMessageContaining("JdbcSchema.migrate");
    }

    private Object row(String accountId, String column) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT " + column + " FROM imapsync_lease WHERE account_id = ?")) {
            select.setString(1, accountId);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1);
            }
        }
    }
}
