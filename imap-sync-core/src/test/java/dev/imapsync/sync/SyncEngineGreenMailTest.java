package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncListener.BatchProgress;
import dev.imapsync.sync.SyncReport.FolderReport;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import jakarta.mail.Flags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync engine against a real IMAP server (GreenMail, in-process) with generated mailboxes. */
class SyncEngineGreenMailTest {
    private static final String OWNER = "owner@acme.example";
    private static final String ALIAS = "sales@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    private GreenMailTls server;
    private GreenMailUser user;
    private final MailboxGenerator generator = new MailboxGenerator(42);
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryContactMatcher contacts = InMemoryContactMatcher.builder()
            .add("c-1", MailboxGenerator.person(1))
            .add("c-2", MailboxGenerator.person(2), "second.address@elsewhere.example")
            .add("c-3", MailboxGenerator.person(3))
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

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(OWNER)
                .alias(ALIAS)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }

    private SyncEngine engine(SyncListener listener, int batchSize) {
        return SyncEngine.builder()
                .store(store)
                .contactMatcher(contacts)
                .listener(listener)
                .options(SyncOptions.builder().batchSize(batchSize, Math.min(10, batchSize), batchSize).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private static FolderSelection select(String... names) {
        List<MailFolder> folders = new ArrayList<>();
        for (String name : names) {
            folders.add(MailFolder.fromList(name, ".", name.equals("Sent") ? List.of("\\Sent") : List.of()));
        }
        return FolderSelection.of(FolderSelector.assignRoles(folders));
    }

    /** Appends {@code count} messages from generated people to the owner, one hour apart, ending at {@code last}. */
    private void receive(String folder, int count, Instant last, String idPrefix) {
        for (int i = 0; i < count; i++) {
            Instant date = last.minus(Duration.ofHours(count - 1 - i));
            server.append(user, folder, generator.message(MailboxGenerator.person(i % 10), OWNER, date,
                    idPrefix + i + "@gen.example"), date);
        }
    }

    @Test
    void aProbeThatFailedIsRecordedAsTheAttemptsOutcomeWithoutConnectingAgain() {
        receive("INBOX", 2, NOW.minus(Duration.ofDays(1)), "r");
        SyncEngine engine = engine(SyncListener.NONE, 100);
        assertThat(engine.sync(account(), FolderChoice.recommended()).status()).isEqualTo(SyncStatus.OK);
        ImapAccount wrongPassword = account().toBuilder().password(OWNER, "not-the-password").build();
        ProbeResult probe = ConnectionProber.standard().probe(wrongPassword);
        assertThat(probe.ok()).isFalse();

        SyncReport report = engine.sync(probe, FolderChoice.recommended());

        assertThat(report.status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(report.failure()).hasValue(probe.failure().orElseThrow());
        assertThat(report.folders()).isEmpty();
        AccountStatus status = store.status("acct-1").orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(status.message()).isEqualTo(probe.failure().orElseThrow().message());
        assertThat(status.hint()).isEqualTo(probe.failure().orElseThrow().hint());
        assertThat(status.lastSyncedAt()).as("the earlier sync that worked").hasValue(NOW);
    }

    @Test
    void aProbeThatWorkedSyncsTheAccountAsItWasFoundWorking() {
        receive("INBOX", 3, NOW.minus(Duration.ofDays(1)), "r");
        ImapAccount starttlsAsked = account().toBuilder()
                .endpoint("127.0.0.1", server.imapsPort(), Security.STARTTLS).build();
        ProbeResult probe = ConnectionProber.standard().probe(starttlsAsked);
        assertThat(probe.ok()).as(String.valueOf(probe)).isTrue();

        SyncReport report = engine(SyncListener.NONE, 100).sync(probe, FolderChoice.named(List.of("INBOX")));

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.fetched()).isEqualTo(3);
    }

    @Test
    void aStoredChoiceIsResolvedOnTheSyncsOwnConnection() {
        receive("INBOX", 5, NOW.minus(Duration.ofDays(1)), "r");
        receive("Sent", 3, NOW.minus(Duration.ofDays(1)), "s");

        SyncReport recommended = engine(SyncListener.NONE, 100).sync(account(), FolderChoice.recommended());

        assertThat(recommended.status()).as(String.valueOf(recommended)).isEqualTo(SyncStatus.OK);
        assertThat(recommended.folders()).extracting(FolderReport::folder).containsExactly("INBOX", "Sent");
        assertThat(recommended.fetched()).isEqualTo(8);
    }

    @Test
    void aNamedFolderThatIsGoneIsReportedAndTheOthersAreSynced() {
        receive("INBOX", 4, NOW.minus(Duration.ofDays(1)), "g");

        SyncReport report = engine(SyncListener.NONE, 100)
                .sync(account(), FolderChoice.named(List.of("inbox", "Old Projects")));

        assertThat(report.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(report.fetched()).isEqualTo(4);
        FolderReport gone = report.folders().stream().filter(f -> f.folder().equals("Old Projects")).findFirst()
                .orElseThrow();
        assertThat(gone.status()).isEqualTo(SyncStatus.FOLDER_MISSING);
        assertThat(gone.failure().orElseThrow().message())
                .contains("Account acct-1").contains("folder Old Projects cannot be synced").contains("Old Projects");
        assertThat(store.status("acct-1").orElseThrow().status()).isEqualTo(SyncStatus.PARTIAL);

        SyncReport allGone = engine(SyncListener.NONE, 100).sync(account(), FolderChoice.named(List.of("Nope")));
        assertThat(allGone.status()).isEqualTo(SyncStatus.FOLDER_MISSING);
    }

    @Test
    void firstSyncRecordsTheWindowThenOnlyNewMessagesAreRead() {
        receive("INBOX", 1200, NOW.minus(Duration.ofDays(1)), "a");
        CountingListener listener = new CountingListener();

        SyncReport first = engine(listener, 100).sync(account(), select("INBOX"));

        assertThat(first.status()).as(String.valueOf(first)).isEqualTo(SyncStatus.OK);
        assertThat(first.fetched()).isEqualTo(1200);
        assertThat(store.messageCount("acct-1")).isEqualTo(1200);
        assertThat(listener.batches.get()).isEqualTo(12); // 1,200 dense UIDs in batches of at most 100
        FolderReport inbox = first.folders().get(0);
        assertThat(inbox.lastUid()).isEqualTo(1200);
        // person1..3 are contacts; person(i % 10) sends, so 3 in 10 messages match by From at least
        assertThat(first.matched()).isGreaterThanOrEqualTo(360);

        receive("INBOX", 7, NOW, "b");
        SyncReport second = engine(SyncListener.NONE, 100).sync(account(), select("INBOX"));

        assertThat(second.fetched()).isEqualTo(7);
        assertThat(store.messageCount("acct-1")).isEqualTo(1207);
        assertThat(second.folders().get(0).lastUid()).isEqualTo(1207);
    }

    @Test
    void aSyncWithNothingNewFetchesNothing() {
        receive("INBOX", 30, NOW, "a");
        engine(SyncListener.NONE, 500).sync(account(), select("INBOX"));
        CountingListener listener = new CountingListener();

        SyncReport again = engine(listener, 500).sync(account(), select("INBOX"));

        assertThat(again.status()).isEqualTo(SyncStatus.OK);
        assertThat(again.folders().get(0).upToDate()).isTrue();
        assertThat(again.fetched()).isZero();
        assertThat(listener.batches.get()).isZero();
        assertThat(listener.estimates).containsExactly(0L);
    }

    @Test
    void flagsAreExactlyAsBeforeAfterASync() {
        receive("INBOX", 20, NOW, "a");
        Set<String> before = flags("INBOX");

        engine(SyncListener.NONE, 7).sync(account(), select("INBOX"));

        assertThat(flags("INBOX")).isEqualTo(before);
        assertThat(before).allMatch(f -> !f.contains("Seen"));
    }

    @Test
    void theFirstSyncReadsOnlyTheInitialWindow() {
        receive("INBOX", 10, NOW.minus(Duration.ofDays(200)), "old");
        receive("INBOX", 5, NOW.minus(Duration.ofDays(3)), "new");

        SyncReport report = engine(SyncListener.NONE, 500).sync(account(), select("INBOX"));

        assertThat(store.messages("acct-1")).extracting(m -> m.key().value())
                .allMatch(k -> k.startsWith("mid:new"))
                .hasSize(5);
        assertThat(report.folders().get(0).lastUid()).isEqualTo(15);

        // and a later sync does not go back for them
        receive("INBOX", 1, NOW, "later");
        assertThat(engine(SyncListener.NONE, 500).sync(account(), select("INBOX")).fetched()).isEqualTo(1);
    }

    @Test
    void aChangedUidValidityRereadsTheWindowWithoutDuplicatingHistory() {
        receive("INBOX", 40, NOW, "a");
        engine(SyncListener.NONE, 500).sync(account(), select("INBOX"));
        int activities = store.activities("acct-1").size();
        // the store remembers another UIDVALIDITY, as after the folder was recreated on the server
        store.commit("acct-1", new SyncBatch("INBOX", List.of(), List.of(),
                new FolderCheckpoint("INBOX", 1, 40, OptionalLong.empty())));

        SyncReport report = engine(SyncListener.NONE, 500).sync(account(), select("INBOX"));

        assertThat(report.fetched()).isEqualTo(40);
        assertThat(report.activities()).isZero();
        assertThat(report.warnings()).singleElement().asString().contains("UIDVALIDITY changed from 1 to");
        assertThat(store.activities("acct-1")).hasSize(activities);
        assertThat(store.messageCount("acct-1")).isEqualTo(40);
    }

    @Test
    void directionAndRolesFollowTheHeadersTheAliasesAndTheSentFolder() {
        Instant date = NOW.minus(Duration.ofDays(1));
        server.append(user, "INBOX", "From: Person One <" + MailboxGenerator.person(1) + ">\nTo: " + OWNER
                + "\nCc: " + MailboxGenerator.person(2) + "\nSubject: question\nDate: "
                + MailboxGenerator.RFC_5322.format(date) + "\nMessage-ID: <in-1@x.example>\n\nbody\n", date);
        server.append(user, "INBOX", "From: Sales <" + ALIAS + ">\nTo: " + MailboxGenerator.person(3)
                + "\nSubject: offer\nDate: " + MailboxGenerator.RFC_5322.format(date)
                + "\nMessage-ID: <alias-1@acme.example>\n\nbody\n", date);
        server.append(user, "Sent", "From: someone-else@acme.example\nTo: " + MailboxGenerator.person(1)
                + "\nBcc: second.address@elsewhere.example\nSubject: answer\nDate: "
                + MailboxGenerator.RFC_5322.format(date) + "\nMessage-ID: <sent-1@acme.example>\n\nbody\n", date);

        SyncReport report = engine(SyncListener.NONE, 500).sync(account(), select("INBOX", "Sent"));

        assertThat(report.status()).isEqualTo(SyncStatus.OK);
        assertThat(activities()).containsExactlyInAnyOrder(
                "mid:in-1@x.example c-1 FROM INBOUND",
                "mid:in-1@x.example c-2 CC INBOUND",
                "mid:alias-1@acme.example c-3 TO OUTBOUND",
                "mid:sent-1@acme.example c-1 TO OUTBOUND",
                "mid:sent-1@acme.example c-2 BCC OUTBOUND");
    }

    @Test
    void theSameMessageInTwoFoldersIsOneMessageInHistory() {
        Instant date = NOW.minus(Duration.ofDays(2));
        String message = generator.message(MailboxGenerator.person(1), OWNER, date, "twice@gen.example");
        server.append(user, "INBOX", message, date);
        server.append(user, "Archive", message, date);

        SyncReport report = engine(SyncListener.NONE, 500).sync(account(), select("INBOX", "Archive"));

        assertThat(report.fetched()).isEqualTo(2);
        assertThat(store.messageCount("acct-1")).isEqualTo(1);
        assertThat(store.activities("acct-1")).extracting(ContactActivity::role).containsOnlyOnce(ParticipantRole.FROM);
    }

    @Test
    void aMissingFolderIsReportedAndTheOthersAreStillSynced() {
        receive("INBOX", 3, NOW, "a");

        SyncReport report = engine(SyncListener.NONE, 500).sync(account(), select("Gone", "INBOX"));

        assertThat(report.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(report.folders().get(0).status()).isEqualTo(SyncStatus.FOLDER_MISSING);
        assertThat(report.folders().get(0).failure().orElseThrow().message())
                .isEqualTo("Account acct-1 at 127.0.0.1:" + server.imapsPort() + " (ssl): folder Gone does not exist"
                        + " (any more).");
        assertThat(report.folders().get(1).fetched()).isEqualTo(3);
    }

    @Test
    void aWrongPasswordIsAnAuthFailureWithNothingRecorded() {
        ImapAccount wrong = account().toBuilder().password(OWNER, "nope").build();

        SyncReport report = engine(SyncListener.NONE, 500).sync(wrong, select("INBOX"));

        assertThat(report.status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(report.failure().orElseThrow().message()).contains("the server rejected the credentials");
        assertThat(report.folders()).isEmpty();
    }

    @Test
    void everyAttemptLeavesAStatusAPersonCanReadAndALastSyncedTimeThatSurvivesFailures() {
        receive("INBOX", 2, NOW, "a");
        engine(SyncListener.NONE, 500).sync(account(), select("INBOX"));
        var ok = store.status("acct-1").orElseThrow();
        assertThat(ok.status()).isEqualTo(SyncStatus.OK);
        assertThat(ok.lastSyncedAt()).contains(NOW);
        assertThat(ok.message()).isEmpty();

        engine(SyncListener.NONE, 500).sync(account().toBuilder().password(OWNER, "nope").build(), select("INBOX"));

        var failed = store.status("acct-1").orElseThrow();
        assertThat(failed.status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(failed.lastAttemptAt()).isEqualTo(NOW);
        assertThat(failed.lastSyncedAt()).contains(NOW);
        assertThat(failed.message()).contains("Account acct-1 at 127.0.0.1:").contains("rejected the credentials");
        assertThat(failed.hint()).isNotBlank();
    }

    @Test
    void aStoreThatFailsMidFolderStopsTheReadAheadKeepsTheCommittedBatchesAndARerunRecordsEachMessageOnce() {
        receive("INBOX", 60, NOW.minus(Duration.ofDays(1)), "p");
        FailingStore failing = new FailingStore(store, 3);
        List<String> listenerThreads = new ArrayList<>();
        SyncListener onCaller = new SyncListener() {
            @Override
            public void batchCommitted(String accountId, String folder, BatchProgress progress) {
                listenerThreads.add(Thread.currentThread().getName());
            }
        };
        SyncEngine engine = SyncEngine.builder()
                .store(failing)
                .contactMatcher(contacts)
                .listener(onCaller)
                .options(SyncOptions.builder().batchSize(10, 10, 10).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();

        assertThatThrownBy(() -> engine.sync(account(), select("INBOX")))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("Account acct-1, folder INBOX: storing a batch failed")
                .hasMessageContaining("the next sync retries it");

        // two batches of ten committed, then nothing: the batch read ahead was dropped, and no reader is left
        assertThat(store.messageCount("acct-1")).isEqualTo(20);
        assertThat(store.checkpoint("acct-1", "INBOX")).get().extracting(FolderCheckpoint::lastUid).isEqualTo(20L);
        assertThat(listenerThreads).hasSize(2).allMatch(name -> name.equals(Thread.currentThread().getName()));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("imap-sync-fetch-"));

        SyncReport rerun = engine(SyncListener.NONE, 10).sync(account(), select("INBOX"));
        assertThat(rerun.status()).as(String.valueOf(rerun)).isEqualTo(SyncStatus.OK);
        assertThat(rerun.fetched()).isEqualTo(40);
        assertThat(store.messageCount("acct-1")).isEqualTo(60);
        assertThat(store.messages("acct-1")).extracting(m -> m.key().value()).doesNotHaveDuplicates();
    }

    /** Passes commits to a store, failing the {@code failAt}-th one (counting from 1). */
    private static final class FailingStore implements dev.imapsync.store.SyncStore, dev.imapsync.store.StatusStore {
        private final InMemorySyncStore delegate;
        private final int failAt;
        private int commits;

        FailingStore(InMemorySyncStore delegate, int failAt) {
            this.delegate = delegate;
            this.failAt = failAt;
        }

        @Override
        public java.util.Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
            return delegate.checkpoint(accountId, folder);
        }

        @Override
        public dev.imapsync.store.SyncStore.CommitResult commit(String accountId, SyncBatch batch) {
            if (++commits == failAt) {
                throw new IllegalStateException("disk full");
            }
            return delegate.commit(accountId, batch);
        }

        @Override
        public List<ContactActivity> history(String contactId, int limit) {
            return delegate.history(contactId, limit);
        }

        @Override
        public void saveStatus(dev.imapsync.store.AccountStatus status) {
            delegate.saveStatus(status);
        }

        @Override
        public java.util.Optional<dev.imapsync.store.AccountStatus> status(String accountId) {
            return delegate.status(accountId);
        }

        @Override
        public List<dev.imapsync.store.AccountStatus> statuses() {
            return delegate.statuses();
        }
    }

    private List<String> activities() {
        return store.activities("acct-1").stream()
                .map(a -> a.messageKey().value() + " " + a.contact().id() + " " + a.role() + " " + a.direction())
                .collect(Collectors.toList());
    }

    private Set<String> flags(String folder) {
        Set<String> all = new HashSet<>();
        try {
            var mailbox = folder.equals("INBOX") ? server.greenMail().getManagers().getImapHostManager().getInbox(user)
                    : server.greenMail().getManagers().getImapHostManager().getFolder(user, folder);
            for (StoredMessage m : mailbox.getMessages()) {
                Flags f = m.getFlags();
                all.add(m.getUid() + ":" + f.toString());
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read GreenMail's flags", e);
        }
        return all;
    }

    private static final class CountingListener implements SyncListener {
        final AtomicInteger batches = new AtomicInteger();
        final List<Long> estimates = new ArrayList<>();

        @Override
        public void folderStarted(String accountId, String folder, long estimatedTotal) {
            estimates.add(estimatedTotal);
        }

        @Override
        public void batchCommitted(String accountId, String folder, BatchProgress progress) {
            batches.incrementAndGet();
        }
    }
}
