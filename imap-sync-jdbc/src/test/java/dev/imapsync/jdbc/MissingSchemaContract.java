package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.Direction;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database where imap-sync's schema was never created (or only an older version of it): every
 * JDBC class says which table is missing, for which account or folder, and how to create the
 * schema (JdbcSchema.migrate, or the scripts under Flyway or Liquibase), rather than "check the
 * database". Subclasses say which database.
 */
abstract class MissingSchemaContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final SecretKeys KEYS = SecretKeys.of("k1", new byte[32]);

    private TestDatabase database;
    private DataSource dataSource;
    private SqlDialect dialect;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        database = newDatabase();
        dataSource = database.dataSource();
        try (Connection c = dataSource.getConnection()) {
            dialect = SqlDialect.detect(c);
        }
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Test
    void theStoreSaysWhichTableIsMissingForWhichFolderAndHowToCreateTheSchema() {
        JdbcSyncStore store = JdbcSyncStore.create(dataSource);

        assertMissing(() -> store.checkpoint("alice", "INBOX"),
                "read the checkpoint of folder INBOX of account alice", "imapsync_checkpoint");
        assertMissing(() -> store.commit("alice", batch()),
                "store a batch of 1 messages of folder INBOX of account alice", "imapsync_message");
        assertMissing(() -> store.saveStatus(new AccountStatus("alice", SyncStatus.OK, T0, Optional.of(T0), "", "",
                Optional.empty(), 1, 0)), "save the status of account alice", "imapsync_account_status");
        assertMissing(() -> store.status("alice"), "read account statuses of account alice", "imapsync_account_status");
        assertMissing(() -> store.history("c-ann", 10), "read the history of contact c-ann", "imapsync_activity");
        // a query of several tables: which one a database names first differs
        assertMissingOneOf(() -> store.timeline(TimelineQuery.forContact("c-ann")),
                "read the timeline of contact c-ann");
        assertMissingOneOf(() -> store.summaries(List.of("c-ann", "c-bob")),
                "read the summaries of 2 contacts (the first c-ann)");
        assertMissing(() -> store.busiest(10), "read the busiest contacts", "imapsync_activity");
    }

    @Test
    void theMessageOnH2IsExact() {
        assumeTrue(dialect == SqlDialect.H2, "H2 only: the exact text");
        JdbcSyncStore store = JdbcSyncStore.create(dataSource);

        assertThatThrownBy(() -> store.checkpoint("alice", "INBOX"))
                .isInstanceOf(ImapSyncException.class)
                .hasMessage("Could not read the checkpoint of folder INBOX of account alice: the table imapsync_checkpoint"
                        + " does not exist in this database, so the imap-sync schema has not been created there (or the"
                        + " DataSource points at another database or schema). Create it at start-up with"
                        + " JdbcSchema.migrate(dataSource), or apply the scripts under classpath:db/imapsync/h2/ with"
                        + " Flyway (or include db/imapsync/liquibase/h2.xml in a Liquibase changelog)");
    }

    @Test
    void theLeasesSayWhichTableIsMissingForWhichAccountOrNode() {
        JdbcLeases leases = JdbcLeases.create(dataSource);

        assertMissing(() -> leases.register(Map.of("alice", T0)), "register 1 account(s) for scheduling",
                "imapsync_lease");
        assertMissing(() -> leases.state("alice"), "read the schedule of account 'alice'", "imapsync_lease");
        assertMissing(() -> leases.dueNow("alice", T0), "make account 'alice' due now", "imapsync_lease");
        // the claim's wording differs between the compare-and-set and the SKIP LOCKED paths; both name the node
        assertThatThrownBy(() -> leases.claimDue("node-1", T0, T0.plusSeconds(60), 5))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("due accounts for node 'node-1': the table imapsync_lease does not exist")
                .hasMessageContaining("JdbcSchema.migrate(dataSource)");
    }

    @Test
    void theAccountRepositorySaysWhichTableIsMissingForWhichAccount() {
        JdbcAccountRepository repository = JdbcAccountRepository.builder(dataSource).keys(KEYS).build();

        assertMissing(() -> repository.find("alice"), "read account 'alice'", "imapsync_account");
        assertMissing(() -> repository.save(account("alice")), "save account 'alice'", "imapsync_account");
        assertMissing(repository::rotateKeys, "read the stored accounts to rotate keys", "imapsync_account");
        assertMissing(() -> repository.remove("alice"), "remove account 'alice'", "imapsync_account_folder");
    }

    @Test
    void aSchemaOfAnOlderVersionNamesTheTableItLacks() throws SQLException {
        // version 1 only: the store's tables are there, the accounts' are not
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : JdbcSchema.statements(dialect, "V1__imapsync_schema")) {
                s.execute(sql);
            }
        }
        assertThatThrownBy(() -> JdbcSyncStore.create(dataSource).checkpoint("alice", "INBOX"))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageStartingWith("Could not read the checkpoint of folder INBOX of account alice: the column"
                        + " window_start does not exist, so the imap-sync schema in this database is older than this"
                        + " release")
                .hasMessageContaining("JdbcSchema.migrate(dataSource)");
        JdbcAccountRepository repository = JdbcAccountRepository.builder(dataSource).keys(KEYS).build();

        assertMissing(repository::list, "list the stored accounts", "imapsync_account_folder");
    }

    /** Version 2 only: a store of this release names the column it lacks and says to upgrade. */
    @Test
    void aSchemaOfVersionTwoNamesTheColumnItLacksAndSaysToUpgrade() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String version : List.of("V1__imapsync_schema", "V2__imapsync_accounts")) {
                for (String sql : JdbcSchema.statements(dialect, version)) {
                    s.execute(sql);
                }
            }
        }
        JdbcSyncStore store = JdbcSyncStore.create(dataSource);

        assertThatThrownBy(() -> store.commit("alice", batch()))
                .isInstanceOf(ImapSyncException.class)
                .message()
                .matches("Could not store a batch of 1 messages of folder INBOX of account alice: the column"
                        + " [a-z_.]*from_n(ame|orm) does not exist, so the imap-sync schema in this database is older"
                        + " than this release \\(schema version " + JdbcSchema.latestVersion() + "\\)\\..*")
                .contains("JdbcSchema.migrate(dataSource)", dialect.liquibaseChangelog());
        // version 4's checkpoint columns are missing too
        assertThatThrownBy(() -> store.checkpoint("alice", "INBOX"))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("the column window_start does not exist");
    }

    private void assertMissing(ThrowingCallable call, String what, String table) {
        assertThatThrownBy(call)
                .isInstanceOf(ImapSyncException.class)
                .hasCauseInstanceOf(SQLException.class)
                .message()
                .startsWith("Could not " + what + ": the table " + table + " does not exist in this database, so the"
                        + " imap-sync schema has not been created there")
                .contains("JdbcSchema.migrate(dataSource)",
                        "apply the scripts under classpath:" + dialect.scriptLocation() + " with Flyway",
                        dialect.liquibaseChangelog() + " in a Liquibase changelog");
    }

    private void assertMissingOneOf(ThrowingCallable call, String what) {
        assertThatThrownBy(call)
                .isInstanceOf(ImapSyncException.class)
                .message()
                .matches("Could not " + Pattern.quote(what) + ": the table imapsync_(activity|message|own_address)"
                        + " does not exist in this database, so the imap-sync schema has not been created there.*")
                .contains("JdbcSchema.migrate(dataSource)");
    }

    private static SyncBatch batch() {
        SyncedMessage message = new SyncedMessage(new MessageKey("mid:m1@example.com"), "INBOX", 1, T0, EmailAddress.of("", "ann@example.com"),
                "Hello", 100, Direction.INBOUND, Optional.empty());
        return new SyncBatch("INBOX", List.of(message), List.of(),
                new FolderCheckpoint("INBOX", 7, 1, OptionalLong.empty()));
    }

    private static ManagedAccount account(String id) {
        return ManagedAccount.of(ImapAccount.builder().id(id).endpoint("imap.example.com", 993, Security.SSL_TLS)
                .password(id + "@example.com", "secret").build());
    }
}
