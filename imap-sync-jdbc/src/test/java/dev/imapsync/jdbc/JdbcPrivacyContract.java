package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.jdbc.faults.FaultyDataSource;
import dev.imapsync.jdbc.faults.FaultyDataSource.Fault;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.RemovalCounts;
import dev.imapsync.policy.Retention;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store's privacy side does to stored rows, on each database: the matched address
 * and the bulk flag kept with every commit, erasure and block purges that leave no trace of the
 * address in any table (a dump of every text column says so), pages smaller than the data so that
 * every page boundary is crossed, LIKE patterns escaped, and a purge or an erasure cut short at
 * every step of its run that a rerun completes with each removal counted once.
 */
abstract class JdbcPrivacyContract {
    static final String A1 = "acct-1";
    static final String A2 = "acct-2";
    static final String ANN = "ann@client.example";
    static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");
    /** A page smaller than the data, so that each walk crosses pages (and a page cuts a message's rows). */
    static final int SMALL_PAGE = 2;

    private final List<TestDatabase> databases = new ArrayList<>();

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    private DataSource dataSource;
    private JdbcSyncStore store;

    @BeforeEach
    void createStore() {
        dataSource = migrated();
        store = JdbcSyncStore.create(dataSource);
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        for (TestDatabase db : databases) {
            db.close();
        }
    }

    private DataSource migrated() {
        TestDatabase db = newDatabase();
        databases.add(db);
        JdbcSchema.migrate(db.dataSource());
        return db.dataSource();
    }

    private static JdbcPrivacy privacy(DataSource ds, int page) {
        JdbcSyncStore s = JdbcSyncStore.create(ds);
        return new JdbcPrivacy(ds, s.dialect(), new Transactions(ds, s.dialect()), page);
    }

    // ------------------------------------------------------------------------------------------ what commits keep

    @Test
    void aCommitKeepsTheMatchedAddressAndTheBulkFlag() throws SQLException {
        SyncedMessage news = message(A1, "news", 1, "Letter <news@list.example>", "Our news", Optional.empty(), true);
        store.commit(A1, batch(List.of(news), List.of(activity(news, "c-news", ParticipantRole.FROM, "news@list.example"))));

        assertThat(store.history("c-news", 10)).singleElement()
                .satisfies(a -> assertThat(a.address()).isEqualTo("news@list.example"));
        assertThat(store.timeline(TimelineQuery.forContact("c-news")).entries()).singleElement()
                .satisfies(e -> assertThat(e.bulk()).isTrue());
        assertThat(count(dataSource, "SELECT COUNT(*) FROM imapsync_message WHERE is_bulk = TRUE")).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ erasure

    @Test
    void erasingRemovesEveryTraceOfTheAddressAndCountsPerAccount() throws SQLException {
        record(store);

        ErasureResult result = store.erase("  Ann@Client.Example ");

        assertErasedAsExpected(dataSource, result);
        assertThat(store.erase(ANN).total()).isEqualTo(RemovalCounts.NONE);
        assertThat(store.rules(A1).isErased(ANN)).isTrue();
        assertThat(store.rules(A2).erasedHashes()).containsExactly(PrivacyRules.addressHash(ANN));
    }

    @Test
    void erasingInSmallPagesCrossesEveryPageBoundary() throws SQLException {
        record(store);

        assertErasedAsExpected(dataSource, privacy(dataSource, SMALL_PAGE).erase(ANN));
    }

    /**
     * Every statement of an erasure fails in turn (before it runs), and every commit (before it
     * runs, and after it ran with its acknowledgement lost): the rerun answers the whole erasure,
     * each removal counted once, except when only the acknowledgement of the last commit was lost:
     * the erasure had finished, and the rerun finds nothing more.
     */
    @Test
    void anErasureCutShortAtAnyStepIsCompletedByARerunAndCountedOnce() throws SQLException {
        FaultyDataSource probe = new FaultyDataSource(dataSource);
        record(store);
        privacy(probe.dataSource(), SMALL_PAGE).erase(ANN);
        List<FaultyDataSource.Step> steps = probe.steps();
        assertThat(steps.size()).isGreaterThan(10);

        DataSource ds = migrated();
        for (FaultyDataSource.Step step : steps) {
            for (boolean after : List.of(false, true)) {
                if (after && step.kind() != FaultyDataSource.Kind.COMMIT) {
                    continue;
                }
                recordAfresh(ds);
                FaultyDataSource faulty = new FaultyDataSource(ds);
                faulty.arm(after ? Fault.failAfter(step.number(), "08006") : Fault.failBefore(step.number(), "08006"));
                assertThatThrownBy(() -> privacy(faulty.dataSource(), SMALL_PAGE).erase(ANN))
                        .as("%s of %d", step, steps.size()).isInstanceOf(ImapSyncException.class);

                ErasureResult rerun = privacy(ds, SMALL_PAGE).erase(ANN);

                if (after && step.number() == steps.size()) {
                    assertThat(rerun.total()).isEqualTo(RemovalCounts.NONE);
                    assertThat(keysIn(ds)).containsExactlyInAnyOrder("mid:m1", "mid:m2", "mid:m4", "mid:m5");
                } else {
                    assertErasedAsExpected(ds, rerun);
                }
            }
        }
    }

    @Test
    void likePatternsAreEscaped() throws SQLException {
        SyncedMessage m = message(A1, "pct", 1, "Bob <bob@x.example>", "Hi", preview("mail a_b%c@d.example or"
                + " axbyc@d.example"), false);
        SyncedMessage other = message(A1, "other", 2, "Bob <bob@x.example>", "Hi", preview("mail axbyc@d.example"), false);
        store.commit(A1, batch(List.of(m, other), List.of(activity(m, "c-bob", ParticipantRole.FROM, "bob@x.example"),
                activity(other, "c-bob", ParticipantRole.FROM, "bob@x.example"))));

        ErasureResult result = store.erase("a_b%c@d.example");

        assertThat(result.accounts()).containsExactly(Map.entry(A1, new RemovalCounts(0, 0, 1)));
        assertThat(previewOf("c-bob", "other")).isPresent();
        assertThat(previewOf("c-bob", "pct")).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ block

    @Test
    void blockingADomainPurgesItsMailAndItsSubdomainsButNotLookAlikes() throws SQLException {
        SyncedMessage fromDomain = message(A1, "d1", 1, "Eve <eve@blocked.example>", "x", Optional.empty(), false);
        SyncedMessage toSub = message(A1, "d2", 2, "Bob <bob@x.example>", "x", Optional.empty(), false);
        SyncedMessage lookAlike = message(A1, "d3", 3, "Nia <nia@notblocked.example>", "x", Optional.empty(), false);
        SyncedMessage otherAccount = message(A2, "d4", 1, "Eve <eve@blocked.example>", "x", Optional.empty(), false);
        store.commit(A1, batch(List.of(fromDomain, toSub, lookAlike), List.of(
                activity(fromDomain, "c-bob", ParticipantRole.TO, "bob@x.example"),
                activity(toSub, "c-sub", ParticipantRole.TO, "sam@eu.blocked.example"),
                activity(toSub, "c-bob", ParticipantRole.FROM, "bob@x.example"),
                activity(lookAlike, "c-nia", ParticipantRole.FROM, "nia@notblocked.example"))));
        store.commit(A2, batch(List.of(otherAccount), List.of(activity(otherAccount, "c-bob", ParticipantRole.TO,
                "bob@x.example"))));

        BlockResult result = privacy(dataSource, SMALL_PAGE).block(BlockEntry.domain("Blocked.Example").forAccount(A1));

        assertThat(result.added()).isTrue();
        assertThat(result.purged()).containsExactly(Map.entry(A1, new RemovalCounts(3, 2, 0)));
        assertThat(keys()).containsExactlyInAnyOrder("d3", "d4");
        assertThat(store.blockEntries()).containsExactly(BlockEntry.domain("blocked.example").forAccount(A1));
        assertThat(store.rules(A1).isBlocked("x@eu.blocked.example")).isTrue();
        assertThat(store.rules(A2).blocked()).isEmpty();

        BlockResult again = store.block(BlockEntry.domain("blocked.example").forAccount(A1));
        assertThat(again.added()).isFalse();
        assertThat(again.total()).isEqualTo(RemovalCounts.NONE);
    }

    @Test
    void aPurgeCutShortAtAnyStepIsFinishedByARerun() throws SQLException {
        FaultyDataSource probe = new FaultyDataSource(dataSource);
        record(store);
        privacy(probe.dataSource(), SMALL_PAGE).block(BlockEntry.address(ANN));
        int steps = probe.steps().size();
        List<String> expected = keysIn(dataSource);

        DataSource ds = migrated();
        for (int step = 1; step <= steps; step++) {
            recordAfresh(ds);
            FaultyDataSource faulty = new FaultyDataSource(ds);
            faulty.arm(Fault.failBefore(step, "08006"));
            try {
                privacy(faulty.dataSource(), SMALL_PAGE).block(BlockEntry.address(ANN));
            } catch (ImapSyncException expectedFailure) {
                // cut short: the rerun finishes it
            }

            privacy(ds, SMALL_PAGE).block(BlockEntry.address(ANN));

            assertThat(keysIn(ds)).as("step %d", step).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(JdbcSyncStore.create(ds).blockEntries()).containsExactly(BlockEntry.address(ANN));
        }
    }

    @Test
    void unblockingRecordsARevisitForEveryAccountItAppliedTo() {
        record(store);
        store.block(BlockEntry.domain("client.example"));

        assertThat(store.unblock(BlockEntry.domain("client.example"))).isTrue();
        assertThat(store.unblock(BlockEntry.domain("client.example"))).isFalse();

        assertThat(store.revisits(A1)).containsExactly(BlockEntry.domain("client.example"));
        assertThat(store.revisits(A2)).containsExactly(BlockEntry.domain("client.example"));
        store.revisited(A1, List.of(BlockEntry.domain("client.example")));
        assertThat(store.revisits(A1)).isEmpty();
        assertThat(store.revisits(A2)).hasSize(1);
        store.block(BlockEntry.domain("client.example"));
        assertThat(store.revisits(A2)).as("blocked again: nothing to read again").isEmpty();
    }

    // ------------------------------------------------------------------------------------------ retention

    @Test
    void retentionDropsOldPreviewsThenOldEntriesInPages() throws SQLException {
        record(store);
        JdbcPrivacy pages = privacy(dataSource, SMALL_PAGE);
        Instant now = T0.plus(Duration.ofDays(10));

        // messages are dated T0 + (UID - 1) days: m1 day 0, m2 day 1, m3 day 2, m4 day 3, m5 day 4 (no preview)
        Retention.Result previews = pages.applyRetention(new Retention(Duration.ofDays(7), Optional.empty()), now);
        assertThat(previews).isEqualTo(new Retention.Result(3, 0, 0)); // m1, m2, m3: before day 3
        assertThat(count(dataSource, "SELECT COUNT(*) FROM imapsync_message WHERE preview_text IS NOT NULL")).isEqualTo(1);
        assertThat(pages.applyRetention(new Retention(Duration.ofDays(7), Optional.empty()), now))
                .isEqualTo(new Retention.Result(0, 0, 0));

        Retention.Result entries = pages.applyRetention(new Retention(Duration.ofDays(7),
                Optional.of(Duration.ofHours(8 * 24 + 12))), now);
        assertThat(entries).isEqualTo(new Retention.Result(0, 4, 2)); // m1 and m2 (before day 1.5), two entries each
        assertThat(keysIn(dataSource)).containsExactly("mid:m3", "mid:m4", "mid:m5");
        assertThat(store.history("c-ann", 10)).extracting(a -> a.messageKey().value()).containsExactly("mid:m3");
    }

    // ------------------------------------------------------------------------------------------ data

    /**
     * Five messages: in acct-1 m1 from Ann to Bob (preview, attachment), m2 from Bob to Ann naming
     * her in its preview, m5 from Ann without a preview where only Bob matched; in acct-2 m3 from Ann
     * (only her entry) and m4 from Carol.
     */
    static void record(JdbcSyncStore target) {
        SyncedMessage m1 = message(A1, "m1", 1, "Ann Smith <Ann@Client.example>", "Offer", preview("Dear Bob"), false);
        SyncedMessage m2 = message(A1, "m2", 2, "Bob <bob@x.example>", "Re: Offer", preview("> ann@client.example wrote:"),
                false);
        SyncedMessage m5 = message(A1, "m5", 5, "Ann Smith <ann@client.example>", "Later", Optional.empty(), false);
        target.commit(A1, batch(List.of(m1, m2, m5), List.of(
                activity(m1, "c-ann", ParticipantRole.FROM, ANN), activity(m1, "c-bob", ParticipantRole.TO, "bob@x.example"),
                activity(m2, "c-bob", ParticipantRole.FROM, "bob@x.example"), activity(m2, "c-ann", ParticipantRole.TO, ANN),
                activity(m5, "c-bob", ParticipantRole.TO, "bob@x.example"))));
        SyncedMessage m3 = message(A2, "m3", 3, "Ann <ann@client.example>", "Hello", preview("Hello"), false);
        SyncedMessage m4 = message(A2, "m4", 4, "Carol <carol@y.example>", "Hi", preview("Hi"), false);
        target.commit(A2, batch(List.of(m3, m4), List.of(activity(m3, "c-ann", ParticipantRole.FROM, ANN),
                activity(m4, "c-carol", ParticipantRole.FROM, "carol@y.example"))));
    }

    /** The data of {@link #record} in a database that may hold a trial's leftovers. */
    private static void recordAfresh(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("imapsync_activity", "imapsync_message", "imapsync_checkpoint", "imapsync_own_address",
                    "imapsync_block", "imapsync_revisit", "imapsync_suppression", "imapsync_erasure")) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
        record(JdbcSyncStore.create(ds));
    }

    private void assertErasedAsExpected(DataSource ds, ErasureResult result) throws SQLException {
        assertThat(result.address()).isEqualTo(ANN);
        assertThat(result.accounts()).containsExactly(Map.entry(A1, new RemovalCounts(2, 0, 2)),
                Map.entry(A2, new RemovalCounts(1, 1, 0)));
        JdbcSyncStore s = JdbcSyncStore.create(ds);
        assertThat(s.history("c-ann", 10)).isEmpty();
        List<TimelineEntry> bob = s.timeline(TimelineQuery.forContact("c-bob")).entries();
        assertThat(bob).extracting(e -> e.messageKey().value()).containsExactlyInAnyOrder("mid:m1", "mid:m2", "mid:m5");
        for (TimelineEntry e : bob) {
            if (!e.messageKey().value().equals("mid:m2")) {
                assertThat(e.sender()).isEqualTo(new EmailAddress("", "", ""));
            }
            assertThat(e.preview()).isEmpty();
        }
        assertThat(s.history("c-carol", 10)).hasSize(1);
        assertThat(keysIn(ds)).containsExactlyInAnyOrder("mid:m1", "mid:m2", "mid:m4", "mid:m5");
        assertThat(dump(ds)).doesNotContainIgnoringCase(ANN).doesNotContain("Ann Smith");
    }

    private Optional<MessagePreview> previewOf(String contact, String key) {
        return store.timeline(TimelineQuery.forContact(contact)).entries().stream()
                .filter(e -> e.messageKey().value().equals("mid:" + key)).findFirst().orElseThrow().preview();
    }

    private List<String> keys() throws SQLException {
        List<String> keys = new ArrayList<>();
        for (String k : keysIn(dataSource)) {
            keys.add(k.substring("mid:".length()));
        }
        return keys;
    }

    static List<String> keysIn(DataSource ds) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT message_key FROM imapsync_message ORDER BY message_key")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** Every value of every column of the history tables, as text. */
    static String dump(DataSource ds) throws SQLException {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("imapsync_message", "imapsync_activity", "imapsync_suppression", "imapsync_erasure",
                "imapsync_block", "imapsync_revisit")) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        out.append(rs.getString(i)).append('|');
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    static int count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static Optional<MessagePreview> preview(String text) {
        return Optional.of(new MessagePreview(text, false, List.of(new Attachment("2", "offer.pdf", "application/pdf",
                1000, false, Optional.empty())), false, false, Optional.empty()));
    }

    /** A message dated T0 plus its UID in days. */
    static SyncedMessage message(String account, String id, long uid, String from, String subject,
                                 Optional<MessagePreview> preview, boolean bulk) {
        int lt = from.indexOf('<');
        EmailAddress sender = EmailAddress.of(from.substring(0, lt).strip(), from.substring(lt + 1, from.length() - 1));
        return new SyncedMessage(new MessageKey("mid:" + id), "INBOX", uid, T0.plus(Duration.ofDays(uid - 1)), sender,
                subject, 100, Direction.INBOUND, Optional.empty(), preview, bulk);
    }

    static ContactActivity activity(SyncedMessage m, String contact, ParticipantRole role, String address) {
        return new ContactActivity(m.key(), new ContactRef(contact), role, m.direction(), m.date(), m.subject(), m.from(),
                m.folder(), m.threadId(), address);
    }

    static SyncBatch batch(List<SyncedMessage> messages, List<ContactActivity> activities) {
        long last = messages.stream().mapToLong(SyncedMessage::uid).max().orElse(1);
        return new SyncBatch("INBOX", messages, activities, new FolderCheckpoint("INBOX", 7, last, OptionalLong.empty()),
                Set.of());
    }

    private int count(String sql) throws SQLException {
        return count(dataSource, sql);
    }
}
