package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history window against a real IMAP server (GreenMail): a first sync imports the window and
 * says what it left out; a wider window later imports exactly the older messages in it, once,
 * newest first, going on after a failure where it stopped; a narrower one deletes nothing.
 */
class SyncEngineHistoryWindowGreenMailTest {
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    private GreenMailTls server;
    private GreenMailUser user;
    private final MailboxGenerator generator = new MailboxGenerator(7);
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryContactMatcher contacts = InMemoryContactMatcher.builder()
            .add("c-1", MailboxGenerator.person(1))
            .add("c-2", MailboxGenerator.person(2))
            .build();

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aWiderWindowImportsExactlyTheOlderMessagesInItOnce() {
        receive(4, NOW.minus(Duration.ofDays(500)), "ancient");
        receive(20, NOW.minus(Duration.ofDays(200)), "old");
        receive(10, NOW.minus(Duration.ofDays(60)), "mid");
        receive(5, NOW.minus(Duration.ofDays(3)), "new");
        // an old message filed after the recent ones: a UID above the window's first, dated before it
        receive(1, NOW.minus(Duration.ofDays(100)), "filed");

        SyncReport first = sync(30, 500, store);

        assertThat(first.status()).as(String.valueOf(first)).isEqualTo(SyncStatus.OK);
        assertThat(keys()).allMatch(k -> k.startsWith("mid:new")).hasSize(5);
        assertThat(first.folders().get(0).leftOut()).isEqualTo(35);
        assertThat(store.status("acct-1")).get().extracting(AccountStatus::message)
                .isEqualTo("35 older messages were not imported; widen the window to import them");
        assertThat(store.status("acct-1").orElseThrow().hint()).contains("--initial-days");
        assertThat(store.checkpoint("acct-1", "INBOX").orElseThrow().windowStart())
                .contains(Instant.parse("2026-10-02T00:00:00Z"));

        SyncReport wider = sync(365, 500, store);

        assertThat(wider.status()).as(String.valueOf(wider)).isEqualTo(SyncStatus.OK);
        assertThat(wider.fetched()).as("only the older messages in the new window are read").isEqualTo(31);
        assertThat(wider.folders().get(0).leftOut()).isEqualTo(4);
        assertThat(keys()).hasSize(36).doesNotHaveDuplicates().noneMatch(k -> k.startsWith("mid:ancient"));
        assertThat(keys().stream().filter(k -> k.startsWith("mid:old"))).hasSize(20);
        assertThat(keys()).contains("mid:filed0@gen.example");
        assertThat(store.status("acct-1").orElseThrow().message()).startsWith("4 older messages were not imported");
        FolderCheckpoint widened = store.checkpoint("acct-1", "INBOX").orElseThrow();
        assertThat(widened.windowStart()).contains(Instant.parse("2025-11-01T00:00:00Z"));
        assertThat(widened.lowestUid()).isEqualTo(1);
        assertThat(widened.lastUid()).isEqualTo(40);

        CountingListener again = new CountingListener();
        SyncReport same = engine(365, 500, store, again).sync(account(), inbox());
        assertThat(same.folders().get(0).upToDate()).isTrue();
        assertThat(same.fetched()).isZero();
        assertThat(again.estimates).containsExactly(0L);
        assertThat(store.status("acct-1").orElseThrow().message()).isEmpty();

        SyncReport narrower = sync(30, 500, store);
        assertThat(narrower.folders().get(0).upToDate()).isTrue();
        assertThat(narrower.fetched()).isZero();
        assertThat(keys()).hasSize(36);
    }

    @Test
    void newMailAndAWiderWindowInOneSyncAreEachReadOnce() {
        receive(6, NOW.minus(Duration.ofDays(120)), "old");
        receive(3, NOW.minus(Duration.ofDays(2)), "new");
        sync(30, 500, store);
        receive(2, NOW, "later");

        SyncReport report = sync(180, 500, store);

        assertThat(report.fetched()).isEqualTo(8);
        assertThat(report.folders().get(0).leftOut()).isZero();
        assertThat(keys()).hasSize(11).doesNotHaveDuplicates();
        assertThat(store.status("acct-1").orElseThrow().message()).isEmpty();
    }

    @Test
    void aWideningStoppedByAFailureGoesOnBelowItsLastBatchNewestFirst() {
        receive(35, NOW.minus(Duration.ofDays(200)), "old");
        receive(5, NOW.minus(Duration.ofDays(3)), "new");
        sync(30, 10, store);
        assertThat(keys()).hasSize(5);
        // the second backfill batch fails: the first (the ten newest of the older messages) stays
        RecordingStore failing = new RecordingStore(store, 2);

        assertThatThrownBy(() -> engine(365, 10, failing, SyncListener.NONE).sync(account(), inbox()))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("storing a batch failed");

        assertThat(failing.batches).containsExactly(List.of(26L, 27L, 28L, 29L, 30L, 31L, 32L, 33L, 34L, 35L));
        FolderCheckpoint halfWay = store.checkpoint("acct-1", "INBOX").orElseThrow();
        assertThat(halfWay.windowStart()).contains(Instant.parse("2025-11-01T00:00:00Z"));
        assertThat(halfWay.lowestUid()).isEqualTo(26);
        assertThat(keys()).hasSize(15);

        RecordingStore rerun = new RecordingStore(store, 0);
        SyncReport resumed = engine(365, 10, rerun, SyncListener.NONE).sync(account(), inbox());

        assertThat(resumed.status()).as(String.valueOf(resumed)).isEqualTo(SyncStatus.OK);
        assertThat(resumed.fetched()).as("nothing recorded is fetched again").isEqualTo(25);
        assertThat(rerun.batches).as("newest first").containsExactly(
                List.of(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L),
                List.of(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L),
                List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(keys()).hasSize(40).doesNotHaveDuplicates();
        assertThat(store.checkpoint("acct-1", "INBOX").orElseThrow().lowestUid()).isEqualTo(1);
    }

    @Test
    void resetStartsTheAccountOverAndKeepsItsHistoryUnlessPurged() {
        receive(8, NOW.minus(Duration.ofDays(2)), "a");
        sync(30, 500, store);

        store.reset("acct-1", false);
        SyncReport again = sync(30, 500, store);
        assertThat(again.fetched()).isEqualTo(8);
        assertThat(again.activities()).isZero();
        assertThat(keys()).hasSize(8);

        store.reset("acct-1", true);
        assertThat(keys()).isEmpty();
        SyncReport purged = sync(30, 500, store);
        assertThat(purged.fetched()).isEqualTo(8);
        assertThat(keys()).hasSize(8);
    }

    private SyncReport sync(int days, int batchSize, SyncStore into) {
        return engine(days, batchSize, into, SyncListener.NONE).sync(account(), inbox());
    }

    private SyncEngine engine(int days, int batchSize, SyncStore into, SyncListener listener) {
        return SyncEngine.builder()
                .store(into)
                .contactMatcher(contacts)
                .listener(listener)
                .options(SyncOptions.builder().initialWindow(Duration.ofDays(days))
                        .batchSize(batchSize, Math.min(10, batchSize), batchSize).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }

    private static FolderSelection inbox() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(MailFolder.fromList("INBOX", ".", List.of()))));
    }

    /** Appends {@code count} messages to INBOX, one hour apart, ending at {@code last}. */
    private void receive(int count, Instant last, String idPrefix) {
        for (int i = 0; i < count; i++) {
            Instant date = last.minus(Duration.ofHours(count - 1 - i));
            server.append(user, "INBOX", generator.message(MailboxGenerator.person(i % 5), OWNER, date,
                    idPrefix + i + "@gen.example"), date);
        }
    }

    private List<String> keys() {
        return store.messages("acct-1").stream().map(m -> m.key().value()).collect(Collectors.toList());
    }

    /** Passes commits to a store, recording each batch's UIDs, failing the {@code failAt}-th (0: none). */
    private static final class RecordingStore implements SyncStore, StatusStore {
        private final InMemorySyncStore delegate;
        private final int failAt;
        private int commits;
        final List<List<Long>> batches = new ArrayList<>();

        RecordingStore(InMemorySyncStore delegate, int failAt) {
            this.delegate = delegate;
            this.failAt = failAt;
        }

        @Override
        public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
            return delegate.checkpoint(accountId, folder);
        }

        @Override
        public CommitResult commit(String accountId, SyncBatch batch) {
            List<Long> uids = batch.messages().stream().map(SyncedMessage::uid).sorted().toList();
            if (++commits == failAt) {
                throw new IllegalStateException("disk full");
            }
            batches.add(uids);
            return delegate.commit(accountId, batch);
        }

        @Override
        public List<ContactActivity> history(String contactId, int limit) {
            return delegate.history(contactId, limit);
        }

        @Override
        public void saveStatus(AccountStatus status) {
            delegate.saveStatus(status);
        }

        @Override
        public Optional<AccountStatus> status(String accountId) {
            return delegate.status(accountId);
        }

        @Override
        public List<AccountStatus> statuses() {
            return delegate.statuses();
        }
    }

    private static final class CountingListener implements SyncListener {
        final List<Long> estimates = new ArrayList<>();

        @Override
        public void folderStarted(String accountId, String folder, long estimatedTotal) {
            estimates.add(estimatedTotal);
        }
    }
}
