package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;

import java.sql.Connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The PostgreSQL store's {@code COPY} path (a batch of new messages) and its ways back to the
 * path that skips recorded rows; the store's contract on PostgreSQL runs in
 * {@link PostgresJdbcSyncStoreTest}.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresCopyWriterTest {
    private static final String ACCOUNT = "acct-1";
    private static final String INBOX = "INBOX";
    private static final ContactRef ANN = ContactRef.of("c-ann");
    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00.123456Z");

    private TestDatabase database;
    private JdbcSyncStore store;

    @BeforeEach
    void createStore() {
        database = TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
        JdbcSchema.migrate(database.dataSource());
        store = JdbcSyncStore.create(database.dataSource());
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void copiesEveryFieldOfNewMessagesAndEntriesAsTheyWereGiven() {
        String subject = "Tab\there, line\nbreak, CR\r, back\\slash, \\N and \\\\N, 😀 Grüße";
        String from = "ann\\\t@example.com";
        MessagePreview preview = new MessagePreview("Hello\tAnn,\nsee \\attached\\ \\N", true,
                List.of(new Attachment("2", "a\tb.pdf", "application/pdf", 1234, false, Optional.of("cid\\1"))),
                true, false, Optional.of("REQUEST"));
        SyncedMessage m = new SyncedMessage(new MessageKey("mid:one\t@x"), INBOX, 1, T0,
                new EmailAddress("Ann \"\\N\" O'Neil", from, "ann@example.com"), subject, 42, Direction.INBOUND,
                Optional.of("ref:root\\@x"), Optional.of(preview), true);
        SyncedMessage plain = message(2, T0.plusSeconds(60));
        SyncBatch batch = new SyncBatch(INBOX, List.of(m, plain), List.of(
                new ContactActivity(m.key(), ANN, ParticipantRole.FROM, Direction.INBOUND, T0, subject, from, INBOX,
                        m.threadId(), "ann@example.com"),
                activity(plain, ANN, ParticipantRole.TO)), checkpoint(2));

        assertThat(store.commit(ACCOUNT, batch)).isEqualTo(new CommitResult(2, 2));

        List<ContactActivity> history = store.history(ANN.id(), 10);
        assertThat(history).hasSize(2);
        ContactActivity first = history.get(1);
        assertThat(first.messageKey()).isEqualTo(m.key());
        assertThat(first.subject()).isEqualTo(subject);
        assertThat(first.from()).isEqualTo(from);
        assertThat(first.date()).isEqualTo(T0);
        assertThat(first.threadId()).contains("ref:root\\@x");
        assertThat(first.folder()).isEqualTo(INBOX);
        assertThat(first.address()).isEqualTo("ann@example.com");

        TimelineEntry entry = store.timeline(TimelineQuery.forContact(ANN.id())).entries().get(1);
        assertThat(entry.subject()).isEqualTo(subject);
        assertThat(entry.sender().displayName()).isEqualTo("Ann \"\\N\" O'Neil");
        assertThat(entry.sender().address()).isEqualTo(from);
        assertThat(entry.preview()).contains(preview);
        assertThat(entry.bulk()).isTrue();
        assertThat(entry.locations()).containsExactly(new TimelineEntry.Location(ACCOUNT, INBOX, 1, 7));
    }

    @Test
    void writesABatchThatMeetsEntriesWithoutTheirMessagesTheWayThatSkipsRecordedRows() throws SQLException {
        SyncBatch batch = batch(1, 3);
        store.commit(ACCOUNT, batch);
        execute("DELETE FROM imapsync_message");

        // the messages are new again, their entries are not: the copy of the entries meets the unique key, the
        // savepoint is rolled back, and the batch is written again skipping what is there
        assertThat(store.commit(ACCOUNT, batch)).isEqualTo(new CommitResult(3, 0));

        assertThat(count("imapsync_message")).isEqualTo(3);
        assertThat(count("imapsync_activity")).isEqualTo(3);
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(3));
    }

    @Test
    void writesABatchPartlyRecordedOnceWhateverItsSize() throws SQLException {
        store.commit(ACCOUNT, batch(1, 5_000));

        CommitResult again = store.commit(ACCOUNT, batch(4_001, 6_000));

        assertThat(again).isEqualTo(new CommitResult(1_000, 1_000));
        assertThat(count("imapsync_message")).isEqualTo(6_000);
        assertThat(count("imapsync_activity")).isEqualTo(6_000);
        assertThat(store.commit(ACCOUNT, batch(1, 6_000))).isEqualTo(new CommitResult(0, 0));
    }

    @Test
    void leavesNothingOfCopiedRowsWhenTheCommitFailsAfterThem() throws SQLException {
        // statements of a new batch: the look-up of its keys, the checkpoint's read and write (the copies are not counted)
        JdbcSyncStore failing = JdbcSyncStore.create(FailingDataSource.failingOn(database.dataSource(), 3, false));

        assertThatThrownBy(() -> failing.commit(ACCOUNT, batch(1, 3)))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("nothing of the batch was stored")
                .hasRootCauseMessage("injected failure");

        assertThat(count("imapsync_message")).isZero();
        assertThat(count("imapsync_activity")).isZero();
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
        assertThat(store.commit(ACCOUNT, batch(1, 3))).isEqualTo(new CommitResult(3, 3));
    }

    private static String key(int n) {
        return "mid:m" + n + "@example.com";
    }

    private static SyncedMessage message(int n, Instant date) {
        return new SyncedMessage(new MessageKey(key(n)), INBOX, n, date, EmailAddress.of("Bob", "bob@example.com"),
                "Subject " + n, 100 + n, Direction.INBOUND, Optional.of("ref:m" + n + "@example.com"));
    }

    private static ContactActivity activity(SyncedMessage m, ContactRef contact, ParticipantRole role) {
        return new ContactActivity(m.key(), contact, role, m.direction(), m.date(), m.subject(), m.from(), m.folder(),
                m.threadId(), "ann@example.com");
    }

    /** Messages {@code from} to {@code to}, each with one entry of Ann's. */
    private static SyncBatch batch(int from, int to) {
        List<SyncedMessage> messages = new ArrayList<>();
        List<ContactActivity> activities = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            SyncedMessage m = message(n, T0.plusSeconds(n));
            messages.add(m);
            activities.add(activity(m, ANN, ParticipantRole.TO));
        }
        return new SyncBatch(INBOX, messages, activities, checkpoint(to));
    }

    private static FolderCheckpoint checkpoint(long lastUid) {
        return new FolderCheckpoint(INBOX, 7, lastUid, OptionalLong.empty());
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
