package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.Retention;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.SettableClock;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncScheduler.Builder#retention}: once a day per node, on a thread of its own, never in
 * a sync's way, a failure logged and tried again; driven with a clock the test moves.
 */
class SyncSchedulerRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Retention THIRTY_DAYS = new Retention(Duration.ofDays(30), Optional.empty());

    private final SettableClock clock = SettableClock.at(NOW);
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryAccountRepository repository = new InMemoryAccountRepository();
    private final List<SyncScheduler> schedulers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        schedulers.forEach(SyncScheduler::close);
    }

    @Test
    void dropsOldPreviewsInTheEnginesStoreAtTheFirstStepAndThenOnceADay() {
        record(1, NOW.minus(Duration.ofDays(40)));
        SyncScheduler scheduler = scheduler(SyncScheduler.builder().retention(THIRTY_DAYS));

        scheduler.tick();
        awaitRetentionDone(scheduler);

        assertThat(scheduler.retentionRuns()).isEqualTo(1);
        assertThat(store.messages("acct-1")).singleElement().satisfies(m -> assertThat(m.preview()).isEmpty());

        record(2, NOW.minus(Duration.ofDays(40)));
        clock.advance(Duration.ofHours(23));
        scheduler.tick();
        assertThat(scheduler.retentionRuns()).as("not twice in a day").isEqualTo(1);
        assertThat(store.messages("acct-1")).filteredOn(m -> m.preview().isPresent()).hasSize(1);

        clock.advance(Duration.ofHours(1));
        scheduler.tick();
        awaitRetentionDone(scheduler);
        assertThat(scheduler.retentionRuns()).isEqualTo(2);
        assertThat(store.messages("acct-1")).allSatisfy(m -> assertThat(m.preview()).isEmpty());
    }

    @Test
    void runsOnAThreadOfItsOwnWithTheClocksNow() {
        RecordingStore recording = new RecordingStore(store);
        SyncScheduler scheduler = scheduler(SyncScheduler.builder().retention(THIRTY_DAYS, recording));

        scheduler.tick();
        awaitRetentionDone(scheduler);

        assertThat(recording.threads).containsExactly(RetentionTask.THREAD);
        assertThat(recording.nows).containsExactly(NOW);
    }

    @Test
    void aFailureIsNotFatalAndIsTriedAgainAnHourLater() {
        RecordingStore failing = new RecordingStore(store);
        failing.failures.set(1);
        SyncScheduler scheduler = scheduler(SyncScheduler.builder().retention(THIRTY_DAYS, failing));
        record(1, NOW.minus(Duration.ofDays(40)));

        scheduler.tick();
        awaitRetentionDone(scheduler);
        assertThat(failing.nows).hasSize(1);
        assertThat(store.messages("acct-1")).singleElement().satisfies(m -> assertThat(m.preview()).isPresent());

        clock.advance(Duration.ofMinutes(59));
        scheduler.tick();
        assertThat(scheduler.retentionRuns()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        scheduler.tick();
        awaitRetentionDone(scheduler);
        assertThat(scheduler.retentionRuns()).isEqualTo(2);
        assertThat(store.messages("acct-1")).singleElement().satisfies(m -> assertThat(m.preview()).isEmpty());
    }

    @Test
    void aSyncRunsWhileTheRetentionIsStillAtWork() throws InterruptedException {
        try (GreenMailTls server = GreenMailTls.start(TestCertificates.localhost())) {
            server.append(server.addUser("alice@acme.example", "pw-alice"), "INBOX",
                    "From: Maria <maria@partner.example>\nTo: alice@acme.example\nSubject: Hello\nDate: "
                            + DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minus(Duration.ofDays(1))
                            .atZone(ZoneOffset.UTC)) + "\nMessage-ID: <r1@x.example>\n\nHi\n",
                    NOW.minus(Duration.ofDays(1)));
            repository.put(ManagedAccount.of(ImapAccount.builder().id("alice").emailAddress("alice@acme.example")
                            .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                            .password("alice@acme.example", "pw-alice")
                            .trustCertificatePem(TestCertificates.localhost().pem()).build())
                    .withFolders(FolderChoice.named(List.of("INBOX"))));
            RecordingStore slow = new RecordingStore(store);
            slow.hold = new CountDownLatch(1);
            SyncScheduler scheduler = scheduler(SyncScheduler.builder().retention(THIRTY_DAYS, slow));
            clock.set(NOW.minusSeconds(60));
            scheduler.tick(); // registers alice, due within the minute; starts the retention, which waits
            clock.set(NOW);

            PassReport pass = scheduler.runPass();

            assertThat(pass.synced()).as(String.valueOf(pass.outcomes())).isEqualTo(1);
            assertThat(store.messageCount("alice")).isEqualTo(1);
            assertThat(scheduler.retentionRunning()).as("the retention is still held").isTrue();
            slow.hold.countDown();
            awaitRetentionDone(scheduler);
            assertThat(scheduler.retentionRuns()).isEqualTo(1);
        }
    }

    @Test
    void theEnginesStoreMustBeAPrivacyStoreUnlessAnotherIsGiven() {
        SyncStore plain = new SyncStore() {
            @Override
            public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
                return store.checkpoint(accountId, folder);
            }

            @Override
            public CommitResult commit(String accountId, SyncBatch batch) {
                return store.commit(accountId, batch);
            }

            @Override
            public List<ContactActivity> history(String contactId, int limit) {
                return store.history(contactId, limit);
            }
        };
        SyncEngine engine = SyncEngine.builder().store(plain).statusStore(store)
                .contactMatcher(InMemoryContactMatcher.builder().build()).clock(clock).build();

        assertThatThrownBy(() -> SyncScheduler.builder().accounts(repository).engine(engine).retention(THIRTY_DAYS)
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a PrivacyStore")
                .hasMessageContaining("retention(retention, privacyStore)");
        SyncScheduler.builder().accounts(repository).engine(engine).retention(THIRTY_DAYS, store).build().close();
    }

    private SyncScheduler scheduler(SyncScheduler.Builder builder) {
        SyncScheduler scheduler = builder.accounts(repository)
                .engine(SyncEngine.builder().store(store).contactMatcher(InMemoryContactMatcher.builder()
                        .add("c-maria", "maria@partner.example").build()).clock(clock).build())
                .nodeId("node-1").clock(clock).shutdownTimeout(Duration.ofSeconds(5)).build();
        schedulers.add(scheduler);
        return scheduler;
    }

    private static void awaitRetentionDone(SyncScheduler scheduler) {
        Await.until("the retention run to end", WAIT, () -> !scheduler.retentionRunning());
    }

    /** Records message n of acct-1, from a contact, with a preview. */
    private void record(int n, Instant date) {
        SyncedMessage m = new SyncedMessage(new MessageKey("mid:r" + n + "@x.example"), "INBOX", n, date,
                EmailAddress.of("Maria", "maria@partner.example"), "Hello " + n, 100, dev.imapsync.contact.Direction.INBOUND,
                Optional.empty()).withPreview(new MessagePreview("words " + n, false, List.of(), false, false,
                Optional.empty()));
        ContactActivity a = new ContactActivity(m.key(), ContactRef.of("c-maria"), ParticipantRole.FROM, m.direction(),
                m.date(), m.subject(), m.from(), m.folder(), m.threadId(), "maria@partner.example");
        store.commit("acct-1", new SyncBatch("INBOX", List.of(m), List.of(a),
                new FolderCheckpoint("INBOX", 1, n, OptionalLong.empty())));
    }

    /** A privacy store that records where and when retention runs, can fail, and can be held. */
    private static final class RecordingStore implements PrivacyStore {
        final PrivacyStore delegate;
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Instant> nows = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        volatile CountDownLatch hold;

        RecordingStore(PrivacyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Retention.Result applyRetention(Retention retention, Instant now) {
            threads.add(Thread.currentThread().getName());
            nows.add(now);
            if (hold != null) {
                try {
                    hold.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("the database is down");
            }
            return delegate.applyRetention(retention, now);
        }

        @Override
        public PrivacyRules rules(String accountId) {
            return delegate.rules(accountId);
        }

        @Override
        public BlockResult block(BlockEntry entry) {
            return delegate.block(entry);
        }

        @Override
        public boolean unblock(BlockEntry entry) {
            return delegate.unblock(entry);
        }

        @Override
        public List<BlockEntry> blockEntries() {
            return delegate.blockEntries();
        }

        @Override
        public List<BlockEntry> revisits(String accountId) {
            return delegate.revisits(accountId);
        }

        @Override
        public void revisited(String accountId, List<BlockEntry> entries) {
            delegate.revisited(accountId, entries);
        }

        @Override
        public ErasureResult erase(String address) {
            return delegate.erase(address);
        }
    }
}
