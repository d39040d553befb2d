package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.RemovalCounts;
import dev.imapsync.policy.Verdict;
import dev.imapsync.policy.Visibility;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.PlainMail;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's end-to-end test: a Dovecot folder that mixes a client's mail, colleague-only
 * threads, a newsletter, an auto-reply and mail from a clinic, synced by the engine into the JDBC
 * store (H2; PostgreSQL and MariaDB too when their variables are set). Exactly the expected
 * entries are recorded; blocking purges and unblocking brings the mail back; an erased person
 * stays out after a sync, a window backfill and a UIDVALIDITY change (the folder deleted and made
 * again); a metadata-only account's database, dumped, holds no subject.
 */
class PrivacyDovecotEndToEndTest {
    private static final String ACCOUNT = "privacy-alice";
    private static final String OWNER = Dovecot.PLAIN_USER;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final InMemoryContactMatcher CONTACTS = InMemoryContactMatcher.builder()
            .add("c-anna", "anna@client.example").add("c-tom", "tom@client.example")
            .add("c-bob", "bob@example.test").add("c-news", "news@vendor.example")
            .add("c-dr", "dr@clinic.example").add("c-zoe", "zoe@other.example").build();
    private static final List<String> CONTACT_IDS = List.of("c-anna", "c-tom", "c-bob", "c-news", "c-dr", "c-zoe");

    /** The mailbox: every message's id (its Message-ID's local part), what it is, and its subject. */
    private static final List<Mail> MAILBOX = List.of(
            // outside the 90-day window: only a backfill reads it
            new Mail("zoe-old", "Zoe <zoe@other.example>", OWNER, "", "An old note from Zoe", 200),
            new Mail("client-1", "Anna <anna@client.example>", OWNER, "", "Quote for 200 units", 6),
            new Mail("client-2", "Alice <" + OWNER + ">", "anna@client.example", "bob@example.test",
                    "Re: Quote for 200 units", 5),
            new Mail("team-1", "Bob <bob@example.test>", OWNER, "", "Team lunch on Friday", 5),
            new Mail("team-2", "Alice <" + OWNER + ">", "bob@example.test", "carol@example.test",
                    "Re: Team lunch on Friday", 4),
            new Mail("news-1", "Vendor News <news@vendor.example>", OWNER, "", "Spring catalogue", 4,
                    "List-Id: <news.vendor.example>", "List-Unsubscribe: <https://vendor.example/u?id=1>",
                    "Precedence: bulk"),
            new Mail("oof-1", "Tom <tom@client.example>", OWNER, "", "Automatic reply: Contract renewal", 3,
                    "Auto-Submitted: auto-replied"),
            new Mail("clinic-1", "Dr. Who <dr@clinic.example>", OWNER, "", "Your test results", 3),
            new Mail("client-3", "Tom <tom@client.example>", OWNER, "anna@client.example", "Re: Contract renewal", 2),
            new Mail("zoe-1", "Zoe <zoe@other.example>", OWNER, "", "Hello from Zoe", 1));

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private Store admin;
    private String folderName;
    private final List<TestDatabase> databases = new ArrayList<>();
    private JdbcSyncStore store;

    static Stream<String> databases() {
        List<String> all = new ArrayList<>(List.of("h2"));
        if (System.getenv("IMAPSYNC_TEST_POSTGRES_URL") != null) {
            all.add("postgresql");
        }
        if (System.getenv("IMAPSYNC_TEST_MYSQL_URL") != null) {
            all.add("mariadb");
        }
        return all.stream();
    }

    @BeforeEach
    void fillFolder() throws MessagingException {
        admin = DOVECOT.admin();
        folderName = "privacy-" + UUID.randomUUID().toString().substring(0, 8);
        createAndFill();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (TestDatabase db : databases) {
            db.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void recordsExactlyTheClientsMailAndCountsWhatEachRuleKeptOut(String database) {
        open(database);
        BlockResult blocked = store.block(BlockEntry.domain("clinic.example"));
        assertThat(blocked.added()).isTrue();
        assertThat(blocked.purged()).isEmpty();

        SyncReport report = sync(PrivacySettings.defaults(), 90);

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.excluded()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Verdict.INTERNAL, 2L, Verdict.BULK, 2L, Verdict.BLOCKED, 1L));
        assertThat(report.fetched()).isEqualTo(9);
        assertThat(report.leftOut()).isEqualTo(1);
        assertThat(storedMessages()).containsExactlyInAnyOrder("client-1", "client-2", "client-3", "zoe-1");
        assertThat(history()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "c-anna", List.of("client-3 CC", "client-2 TO", "client-1 FROM"),
                "c-tom", List.of("client-3 FROM"),
                "c-bob", List.of("client-2 CC"),
                "c-news", List.of(),
                "c-dr", List.of(),
                "c-zoe", List.of("zoe-1 FROM")));
        assertThat(timeline("c-anna")).allSatisfy(e -> assertThat(e.preview()).isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void bulkMailIsRecordedWithAFlagWhenTheAccountSaysSo(String database) {
        open(database);

        SyncReport report = sync(PrivacySettings.defaults().withBulkMail(dev.imapsync.policy.BulkMail.FLAG)
                .withRecordInternal(true), 90);

        assertThat(report.excluded()).isEmpty();
        assertThat(history().get("c-news")).containsExactly("news-1 FROM");
        assertThat(timeline("c-news")).singleElement().satisfies(e -> assertThat(e.bulk()).isTrue());
        assertThat(timeline("c-tom")).extracting(e -> id(e.messageKey().value()) + (e.bulk() ? " bulk" : ""))
                .containsExactly("client-3", "oof-1 bulk");
        assertThat(history().get("c-bob")).containsExactlyInAnyOrder("client-2 CC", "team-1 FROM", "team-2 TO");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void blockingPurgesWhatWasRecordedAndUnblockingBringsItBackAtTheNextSync(String database) {
        open(database);
        sync(PrivacySettings.defaults(), 90);
        assertThat(history().get("c-dr")).containsExactly("clinic-1 FROM");
        Map<String, List<String>> before = history();

        BlockResult blocked = store.block(BlockEntry.domain("Clinic.Example"));

        assertThat(blocked.purged()).containsExactly(Map.entry(ACCOUNT, new RemovalCounts(1, 1, 0)));
        assertThat(history().get("c-dr")).isEmpty();
        assertThat(storedMessages()).doesNotContain("clinic-1");
        SyncReport quiet = sync(PrivacySettings.defaults(), 90);
        assertThat(quiet.fetched()).isZero();
        assertThat(history().get("c-dr")).isEmpty();

        assertThat(store.unblock(BlockEntry.domain("clinic.example"))).isTrue();
        assertThat(store.revisits(ACCOUNT)).containsExactly(BlockEntry.domain("clinic.example"));
        SyncReport back = sync(PrivacySettings.defaults(), 90);

        assertThat(back.status()).as(String.valueOf(back)).isEqualTo(SyncStatus.OK);
        assertThat(back.fetched()).as("only the unblocked domain's mail is read again").isEqualTo(1);
        assertThat(history()).isEqualTo(before);
        assertThat(store.revisits(ACCOUNT)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anErasedAddressNeverComesBackNotAfterABackfillNorAfterAUidValidityChange(String database) throws Exception {
        open(database);
        sync(PrivacySettings.defaults(), 90);
        assertThat(history().get("c-zoe")).containsExactly("zoe-1 FROM");
        Map<String, List<String>> others = history();
        others.put("c-zoe", List.of());

        ErasureResult erased = store.erase("  Zoe@Other.Example ");

        assertThat(erased.address()).isEqualTo("zoe@other.example");
        assertThat(erased.accounts()).containsExactly(Map.entry(ACCOUNT, new RemovalCounts(1, 1, 0)));
        assertThat(history()).isEqualTo(others);
        assertThat(storedMessages()).doesNotContain("zoe-1");

        SyncReport again = sync(PrivacySettings.defaults(), 90);
        assertThat(again.fetched()).isZero();

        SyncReport backfill = sync(PrivacySettings.defaults(), 365);
        assertThat(backfill.status()).as(String.valueOf(backfill)).isEqualTo(SyncStatus.OK);
        assertThat(backfill.excluded()).containsEntry(Verdict.ERASED, 1L);
        assertThat(history()).isEqualTo(others);

        long before = uidValidity();
        admin.getFolder(folderName).delete(true);
        createAndFill();
        assertThat(uidValidity()).as("Dovecot gave the folder made again a new UIDVALIDITY").isNotEqualTo(before);
        SyncReport afresh = sync(PrivacySettings.defaults(), 365);

        assertThat(afresh.status()).as(String.valueOf(afresh)).isEqualTo(SyncStatus.OK);
        assertThat(afresh.warnings()).anyMatch(w -> w.contains("UIDVALIDITY"));
        assertThat(afresh.excluded()).containsEntry(Verdict.ERASED, 2L);
        assertThat(history()).isEqualTo(others);
        assertThat(storedMessages()).noneMatch(id -> id.startsWith("zoe"));
    }

    @Test
    void aMetadataOnlyAccountsDatabaseHoldsNoSubject(@TempDir Path dir) throws Exception {
        open("h2");

        SyncReport report = sync(PrivacySettings.defaults().withVisibility(Visibility.METADATA)
                .withRecordInternal(true).withBulkMail(dev.imapsync.policy.BulkMail.RECORD), 90);

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(storedMessages()).hasSize(9);
        assertThat(timeline("c-anna")).hasSize(3).allSatisfy(e -> {
            assertThat(e.subject()).isEmpty();
            assertThat(e.preview()).isEmpty();
        });
        assertThat(store.history("c-anna", 10)).extracting(ContactActivity::subject).containsOnly("");
        Path dump = dir.resolve("dump.sql");
        try (Connection c = databases.get(0).dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SCRIPT TO '" + dump + "'");
        }
        String sql = Files.readString(dump, StandardCharsets.UTF_8);
        assertThat(sql).contains("client-1@privacy.test"); // the dump holds the messages
        for (Mail m : MAILBOX) {
            assertThat(sql).as("the dump holds no subject").doesNotContain(m.subject());
            assertThat(sql).as("the dump holds no body").doesNotContain("The body of " + m.id());
        }
    }

    // helpers

    private void open(String database) {
        TestDatabase db = switch (database) {
            case "postgresql" -> TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
            case "mariadb" -> TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
            default -> TestDatabase.h2();
        };
        databases.add(db);
        JdbcSchema.migrate(db.dataSource());
        store = JdbcSyncStore.create(db.dataSource());
    }

    private SyncReport sync(PrivacySettings privacy, int windowDays) {
        ImapAccount account = DOVECOT.account(OWNER).id(ACCOUNT).privacy(privacy).build();
        return SyncEngine.builder().store(store).contactMatcher(CONTACTS)
                .options(SyncOptions.builder().initialWindow(Duration.ofDays(windowDays)).build()).build()
                .sync(account, FolderSelection.of(FolderSelector.assignRoles(List.of(
                        MailFolder.fromList(folderName, ".", List.of())))));
    }

    /** Every contact's history as "id ROLE", newest first. */
    private Map<String, List<String>> history() {
        Map<String, List<String>> all = new java.util.TreeMap<>();
        for (String contact : CONTACT_IDS) {
            all.put(contact, store.history(contact, 100).stream()
                    .map(a -> id(a.messageKey().value()) + " " + a.role()).toList());
        }
        return all;
    }

    private List<TimelineEntry> timeline(String contact) {
        return store.timeline(TimelineQuery.forContact(contact).pageSize(100)).entries();
    }

    /** The ids of the messages stored for the account. */
    private Set<String> storedMessages() {
        Set<String> ids = new TreeSet<>();
        try (Connection c = databases.get(databases.size() - 1).dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT message_key FROM imapsync_message WHERE account_id = ?")) {
            s.setString(1, ACCOUNT);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(id(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** {@code mid:client-1@privacy.test} → {@code client-1}. */
    private static String id(String messageKey) {
        return messageKey.substring(messageKey.indexOf(':') + 1, messageKey.indexOf('@'));
    }

    private long uidValidity() throws MessagingException {
        IMAPFolder folder = (IMAPFolder) admin.getFolder(folderName);
        folder.open(Folder.READ_ONLY);
        try {
            return folder.getUIDValidity();
        } finally {
            folder.close(false);
        }
    }

    /** Makes the folder and APPENDs the mailbox, each message with its date as INTERNALDATE. */
    private void createAndFill() throws MessagingException {
        DOVECOT.createFolder(folderName); // deleted after the test
        Folder folder = admin.getFolder(folderName);
        Session session = Session.getInstance(new Properties());
        List<Message> messages = new ArrayList<>();
        for (Mail mail : MAILBOX) {
            Instant date = NOW.minus(Duration.ofDays(mail.daysAgo()));
            messages.add(new MimeMessage(session, new ByteArrayInputStream(mail.rfc822(date)
                    .getBytes(StandardCharsets.UTF_8))) {
                @Override
                public Date getReceivedDate() {
                    return Date.from(date);
                }
            });
        }
        ((IMAPFolder) folder).appendUIDMessages(messages.toArray(new Message[0]));
    }

    /** One message of the mailbox. */
    private record Mail(String id, String from, String to, String cc, String subject, int daysAgo,
                        String... headers) {
        String rfc822(Instant date) {
            return PlainMail.of(id + "@privacy.test", from, to, cc, subject, date,
                    "The body of " + id + ", which is private text.", headers);
        }
    }
}
