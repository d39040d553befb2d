package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.testing.contract.TimelineStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link dev.imapsync.store.TimelineStore} contract on one database, plus what only the JDBC
 * store has to show: the timeline of messages recorded before schema version 3, and the checks
 * of the columns' lengths. Subclasses say which database.
 */
abstract class JdbcTimelineStoreContract extends TimelineStoreContract<JdbcSyncStore> {
    private final List<TestDatabase> databases = new ArrayList<>();

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @Override
    protected JdbcSyncStore newStore() {
        DataSource dataSource = database().dataSource();
        JdbcSchema.migrate(dataSource);
        return JdbcSyncStore.create(dataSource);
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

    /**
     * A database at version 2 with messages two accounts recorded, one of them sent by the owner of
     * a stored account: after the upgrade its timeline shows them once each, that one outbound
     * (the stored account's address counts as its own right away), with the senders' addresses
     * (their display names were not kept before version 3) and every location.
     */
    @Test
    void upgradesADatabaseAtVersionTwoWithMessagesAndReadsTheirTimeline() throws SQLException {
        DataSource old = database().dataSource();
        SqlDialect dialect;
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            dialect = SqlDialect.detect(c);
            for (String version : List.of("V1__imapsync_schema", "V2__imapsync_accounts")) {
                for (String sql : JdbcSchema.statements(dialect, version)) {
                    s.execute(sql);
                }
            }
            s.execute("INSERT INTO imapsync_schema_version (version, description, installed_at) VALUES"
                    + " (1, 'imapsync_schema', CURRENT_TIMESTAMP), (2, 'imapsync_accounts', CURRENT_TIMESTAMP)");
        }
        // a stored account, as a version 2 repository wrote it (today's repository writes columns of later versions)
        try (Connection c = old.getConnection(); PreparedStatement insert = c.prepareStatement("INSERT INTO imapsync_account"
                + " (account_id, email, aliases, host, port, security, login_user, auth_kind, secret_key_id, secret,"
                + " allow_insecure, connect_timeout_ms, read_timeout_ms, write_timeout_ms, revision, created_at, updated_at)"
                + " VALUES (?, 'Sam@Acme.example', '', 'imap.acme.example', 993, 'SSL_TLS', 'Sam@Acme.example', 'PASSWORD',"
                + " 'k1', 'sealed', FALSE, 1000, 1000, 1000, 1, ?, ?)")) {
            insert.setString(1, ACCOUNT);
            dialect.setInstant(insert, 2, T0);
            dialect.setInstant(insert, 3, T0);
            insert.executeUpdate();
        }
        Instant older = T0;
        Instant newer = T0.plusSeconds(60);
        insertV2Message(old, dialect, ACCOUNT, "mid:from-client@example.com", "Sent", 3, older, " Ann@Client.Example");
        insertV2Message(old, dialect, OTHER_ACCOUNT, "mid:from-client@example.com", INBOX, 8, older,
                " Ann@Client.Example");
        insertV2Message(old, dialect, ACCOUNT, "mid:from-sam@example.com", "Sent", 4, newer, "Sam@ACME.example");

        assertThat(JdbcSchema.migrate(old)).containsExactlyElementsOf(versionsFrom(3));

        JdbcSyncStore upgraded = JdbcSyncStore.create(old);
        List<TimelineEntry> entries = upgraded.timeline(TimelineQuery.forContact(ANN.id())).entries();
        assertThat(entries).extracting(e -> e.messageKey().value())
                .containsExactly("mid:from-sam@example.com", "mid:from-client@example.com");
        TimelineEntry fromSam = entries.get(0);
        assertThat(fromSam.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(fromSam.sender()).isEqualTo(new EmailAddress("", "Sam@ACME.example", "sam@acme.example"));
        assertThat(fromSam.roles()).containsExactly(ParticipantRole.TO);
        TimelineEntry fromClient = entries.get(1);
        assertThat(fromClient.direction()).isEqualTo(Direction.INBOUND);
        assertThat(fromClient.date()).isEqualTo(older);
        assertThat(fromClient.sender().normalized()).isEqualTo("ann@client.example");
        assertThat(fromClient.locations()).containsExactly(new Location(ACCOUNT, "Sent", 3),
                new Location(OTHER_ACCOUNT, INBOX, 8));
        assertThat(upgraded.summary(ANN.id())).isEqualTo(new ContactSummary(ANN.id(), 2, Optional.of(older),
                Optional.of(newer)));

        // a message recorded after the upgrade joins the same timeline, with its sender's display name
        commit(upgraded, numberedFrom(CLIENT));
        assertThat(upgraded.timeline(TimelineQuery.forContact(ANN.id())).entries().get(0).sender()).isEqualTo(CLIENT);
    }

    /**
     * Two accounts whose copies of a message disagree on its date (no Date header: each has its
     * own INTERNALDATE): one entry, at the newer date, on every page and filter.
     */
    @Test
    void showsAMessageWhoseCopiesDisagreeOnTheDateOnceAtTheNewerDate() {
        SyncedMessage early = message(key(2), INBOX, 2, dateOf(2), CLIENT);
        SyncedMessage late = message(key(2), INBOX, 7, dateOf(4), CLIENT);
        commit(ACCOUNT, INBOX, List.of(message(key(1), INBOX, 1, dateOf(1), CLIENT), early,
                message(key(3), INBOX, 3, dateOf(3), CLIENT)), ANN, ParticipantRole.TO);
        commit(OTHER_ACCOUNT, INBOX, List.of(late), ANN, ParticipantRole.CC);
        TimelineQuery all = TimelineQuery.forContact(ANN.id());

        List<TimelineEntry> entries = store.timeline(all).entries();
        assertThat(entries).extracting(e -> e.messageKey().value()).containsExactly(key(2), key(3), key(1));
        assertThat(entries.get(0).date()).isEqualTo(dateOf(4));
        assertThat(entries.get(0).roles()).containsExactlyInAnyOrder(ParticipantRole.TO, ParticipantRole.CC);
        assertThat(entries.get(0).locations()).containsExactly(new Location(ACCOUNT, INBOX, 2, 7),
                new Location(OTHER_ACCOUNT, INBOX, 7, 7));
        List<String> paged = new ArrayList<>();
        TimelineQuery query = all.pageSize(1);
        while (true) {
            TimelinePage page = store.timeline(query);
            page.entries().forEach(e -> paged.add(e.messageKey().value()));
            if (page.next().isEmpty()) {
                break;
            }
            query = query.after(page.next().get());
        }
        assertThat(paged).containsExactly(key(2), key(3), key(1));
        assertThat(store.timeline(all.between(dateOf(1), dateOf(3))).entries()).extracting(e -> e.messageKey().value())
                .containsExactly(key(1));
        assertThat(store.summary(ANN.id())).isEqualTo(new ContactSummary(ANN.id(), 3, Optional.of(dateOf(4)),
                Optional.empty()));
    }

    @Test
    void rejectsAnOwnAddressLongerThanItsColumnBeforeWritingAnything() {
        String tooLong = "a".repeat(310) + "@acme.example";

        assertThatThrownBy(() -> store.commit(ACCOUNT, batch(INBOX, numbered(1, 1), List.of(), Set.of(tooLong))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 323 characters; the JDBC store keeps own addresses of 1 to 320");
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
    }

    @Test
    void recordsEachOwnAddressOnceHoweverManyBatchesCarryIt() throws SQLException {
        Set<String> own = Set.of(SAM.normalized(), "sales@acme.example");
        for (int n = 1; n <= 3; n++) {
            store.commit(ACCOUNT, batch(INBOX, numbered(n, n), List.of(), own));
        }
        store.commit(OTHER_ACCOUNT, batch(INBOX, numbered(1, 1), List.of(), Set.of("sales@acme.example")));

        assertThat(count("SELECT COUNT(*) FROM imapsync_own_address")).isEqualTo(3);
    }

    private int count(String sql) throws SQLException {
        try (Connection c = databases.get(0).dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<Integer> versionsFrom(int first) {
        return IntStream.rangeClosed(first, JdbcSchema.latestVersion()).boxed().toList();
    }

    private static void commit(JdbcSyncStore target, SyncedMessage m) {
        target.commit(ACCOUNT, batch(INBOX, List.of(m), List.of(activity(m, ANN, ParticipantRole.FROM)), Set.of()));
    }

    private static SyncedMessage numberedFrom(EmailAddress sender) {
        return message(key(100), INBOX, 100, dateOf(100), sender);
    }

    /** A message and the activity of {@link #ANN} (TO) in it, as a version 2 store wrote them. */
    private static void insertV2Message(DataSource ds, SqlDialect dialect, String account, String key, String folder,
                                        long uid, Instant date, String from) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement message = c.prepareStatement("INSERT INTO imapsync_message (account_id, message_key,"
                     + " folder, uid, msg_date, from_addr, subject, size, direction, thread_id)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, 10, 'INBOUND', NULL)");
             PreparedStatement activity = c.prepareStatement("INSERT INTO imapsync_activity (account_id, message_key,"
                     + " contact_id, role, direction, msg_date, subject, from_addr, folder, thread_id)"
                     + " VALUES (?, ?, ?, 'TO', 'INBOUND', ?, ?, ?, ?, NULL)")) {
            message.setString(1, account);
            message.setString(2, key);
            message.setString(3, folder);
            message.setLong(4, uid);
            dialect.setInstant(message, 5, date);
            message.setString(6, from);
            message.setString(7, "Subject of " + key);
            message.executeUpdate();
            activity.setString(1, account);
            activity.setString(2, key);
            activity.setString(3, ANN.id());
            dialect.setInstant(activity, 4, date);
            activity.setString(5, "Subject of " + key);
            activity.setString(6, from);
            activity.setString(7, folder);
            activity.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
