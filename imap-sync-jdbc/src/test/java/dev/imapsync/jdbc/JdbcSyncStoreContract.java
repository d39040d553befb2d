package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.testing.contract.SyncStoreContract;

import java.sql.Connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link SyncStore} contract on one database, plus what only the JDBC store promises:
 * migrations, rollback of a failed batch, cleaned text. Subclasses say which database.
 */
abstract class JdbcSyncStoreContract extends SyncStoreContract {
    private final List<TestDatabase> databases = new ArrayList<>();
    private TestDatabase database;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @Override
    protected SyncStore newStore() {
        database = database();
        assertThat(JdbcSchema.migrate(database.dataSource())).containsExactlyElementsOf(versionsFrom(1));
        return JdbcSyncStore.create(database.dataSource());
    }

    private TestDatabase database() {
        TestDatabase db = newDatabase();
        databases.add(db);
        return db;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        for (TestDatabase db : databases) {
            db.close();
        }
    }

    @Test
    void migratingAgainChangesNothing() throws SQLException {
        assertThat(JdbcSchema.migrate(database.dataSource())).isEmpty();
        assertThat(JdbcSchema.migrate(database.dataSource())).isEmpty();
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM imapsync_schema_version"))
                .isEqualTo(JdbcSchema.versions().size());
    }

    @Test
    void upgradesADatabaseAtVersionOneToTheLatest() throws SQLException {
        DataSource old = database().dataSource();
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            SqlDialect dialect = SqlDialect.detect(c);
            for (String sql : JdbcSchema.statements(dialect, "V1__imapsync_schema")) {
                s.execute(sql);
            }
            s.execute("INSERT INTO imapsync_schema_version (version, description, installed_at)"
                    + " VALUES (1, 'imapsync_schema', CURRENT_TIMESTAMP)");
            // a message recorded by a version 1 store, which tagged its rows
            s.execute("INSERT INTO imapsync_message (account_id, message_key, folder, uid, msg_date, from_addr, subject,"
                    + " size, direction, thread_id, commit_tag) VALUES ('" + ACCOUNT + "', 'old@example.com', 'INBOX', 3,"
                    + " CURRENT_TIMESTAMP, 'a@example.com', 'Old', 10, 'INBOUND', NULL, 42)");
        }

        assertThat(JdbcSchema.migrate(old)).containsExactlyElementsOf(versionsFrom(2));
        assertThat(count(old, "SELECT COUNT(*) FROM imapsync_account")).isZero();
        assertThat(JdbcSyncStore.create(old).commit(ACCOUNT, batchOf(INBOX, 7, 1))).isEqualTo(new CommitResult(1, 1));
        assertThat(count(old, "SELECT COUNT(*) FROM imapsync_message")).isEqualTo(2);
    }

    @Test
    void upgradesACheckpointToVersionFourWithoutAWindow() throws SQLException {
        DataSource old = database().dataSource();
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            SqlDialect dialect = SqlDialect.detect(c);
            for (String version : JdbcSchema.versions()) {
                if (JdbcSchema.number(version) < 4) {
                    for (String sql : JdbcSchema.statements(dialect, version)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO imapsync_schema_version (version, description, installed_at)"
                            + " VALUES (" + JdbcSchema.number(version) + ", 'v', CURRENT_TIMESTAMP)");
                }
            }
            s.execute("INSERT INTO imapsync_checkpoint (account_id, folder, uid_validity, last_uid, highest_modseq)"
                    + " VALUES ('" + ACCOUNT + "', 'INBOX', 7, 40, NULL)");
        }

        assertThat(JdbcSchema.migrate(old)).containsExactlyElementsOf(versionsFrom(4));
        JdbcSyncStore upgraded = JdbcSyncStore.create(old);
        assertThat(upgraded.checkpoint(ACCOUNT, INBOX)).contains(new FolderCheckpoint(INBOX, 7, 40, OptionalLong.empty()));
        Instant start = Instant.parse("2026-09-08T00:00:00Z");
        upgraded.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(),
                new FolderCheckpoint(INBOX, 7, 41, OptionalLong.empty()).withWindow(start, 1)));
        assertThat(upgraded.checkpoint(ACCOUNT, INBOX)).contains(
                new FolderCheckpoint(INBOX, 7, 41, OptionalLong.empty()).withWindow(start, 1));
    }

    @Test
    void nodesMigratingAtOnceEndWithOneSchema() throws Exception {
        DataSource fresh = database().dataSource();
        int nodes = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<Integer> applied = new ArrayList<>();
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                results.add(pool.submit((Callable<List<Integer>>) () -> {
                    start.await();
                    return JdbcSchema.migrate(fresh);
                }));
            }
            start.countDown();
            for (Future<List<Integer>> result : results) {
                applied.addAll(result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(applied).containsExactlyElementsOf(versionsFrom(1));
        assertThat(count(fresh, "SELECT COUNT(*) FROM imapsync_schema_version")).isEqualTo(JdbcSchema.latestVersion());
        assertThat(JdbcSyncStore.create(fresh).commit(ACCOUNT, batchOf(INBOX, 7, 1))).isEqualTo(new CommitResult(1, 1));
    }

    /** The n-th statement of the commit fails: messages, activities, checkpoint read, checkpoint write. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void leavesNothingOfABatchThatFailsMidway(int failingStatement) {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 1));
        SyncStore failing = JdbcSyncStore.create(
                FailingDataSource.failingOn(database.dataSource(), failingStatement, true));

        assertThatThrownBy(() -> failing.commit(ACCOUNT, batchOf(INBOX, 7, 2, 3)))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("folder INBOX of account acct-1")
                .hasMessageContaining("nothing of the batch was stored")
                .hasRootCauseMessage("injected failure");

        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 1, 0));
        assertThat(store.history(ANN.id(), 10)).hasSize(1);
        assertThat(store.commit(ACCOUNT, batchOf(INBOX, 7, 2, 3))).isEqualTo(new CommitResult(2, 2));
    }

    @Test
    void saysWhatWentWrongWhenABatchCannotBeStored() {
        SyncStore failing = JdbcSyncStore.create(FailingDataSource.failingOn(database.dataSource(), 1, true));

        assertThatThrownBy(() -> failing.commit(ACCOUNT, batchOf(INBOX, 7, 2, 3)))
                .hasMessage("Could not store a batch of 2 messages of folder INBOX of account acct-1 (SQLState 08006):"
                        + " nothing of the batch was stored. The next sync tries it again; if this repeats, check the"
                        + " database.");
    }

    @Test
    void rejectsNamesTooLongForItsColumnsBeforeWritingAnything() {
        String longFolder = "F".repeat(501);
        SyncedMessage m = message(key(1), longFolder, 1, T0);

        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(longFolder, List.of(m), List.of(),
                checkpoint(longFolder, 7, 1, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The folder name has 501 characters; the JDBC store keeps folder names of at most 500");
        assertThatThrownBy(() -> store.commit("a".repeat(201), batchOf(INBOX, 7, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The account id has 201 characters: give one of at most 200");
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
    }

    @Test
    void storesNulAndFourByteCharactersWithoutFailingTheBatch() {
        SyncedMessage odd = withSubject(message(key(1), INBOX, 1, T0), "Lunch\u0000 🍕 at 12 \uD83D, 😀");
        SyncedMessage plain = message(key(2), INBOX, 2, T0.plusSeconds(1));
        CommitResult result = store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(odd, plain),
                List.of(activity(odd, ANN, ParticipantRole.TO), activity(plain, ANN, ParticipantRole.TO)),
                checkpoint(INBOX, 7, 2, 0)));

        assertThat(result).isEqualTo(new CommitResult(2, 2));
        assertThat(store.history(ANN.id(), 10)).extracting(ContactActivity::subject)
                .containsExactly(plain.subject(), "Lunch 🍕 at 12 \uFFFD, 😀");
    }

    @Test
    void cutsOverLongSubjectsToTheColumnWithoutSplittingACharacter() {
        String subject = "x".repeat(999) + "😀" + "y".repeat(500);
        SyncedMessage m = withSubject(message(key(1), INBOX, 1, T0), subject);
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(m), List.of(activity(m, ANN, ParticipantRole.TO)),
                checkpoint(INBOX, 7, 1, 0)));

        assertThat(store.history(ANN.id(), 1).get(0).subject()).isEqualTo("x".repeat(999));
    }

    private static SyncedMessage withSubject(SyncedMessage m, String subject) {
        return new SyncedMessage(m.key(), m.folder(), m.uid(), m.date(), m.sender(), subject, m.size(), m.direction(),
                m.threadId());
    }

    private static List<Integer> versionsFrom(int first) {
        return IntStream.rangeClosed(first, JdbcSchema.latestVersion()).boxed().toList();
    }

    private static int count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
