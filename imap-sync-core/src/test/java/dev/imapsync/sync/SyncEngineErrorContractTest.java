package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.ParticipantRole;
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
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link SyncEngine#sync} reports and what it throws when the host application's parts (the
 * contact matcher, the store) fail or are slow, against a real IMAP server (GreenMail).
 */
class SyncEngineErrorContractTest {
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final Duration MAX = Duration.ofSeconds(3);
    /** What a sync may take beyond its maximum duration: closing, logging out, recording the status. */
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final String BATCH_THREAD = HostCalls.THREAD_PREFIX + "acct-1";

    private GreenMailTls server;
    private GreenMailUser user;
    private final MailboxGenerator generator = new MailboxGenerator(7);
    private final InMemorySyncStore store = new InMemorySyncStore();

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ a matcher or store that fails

    @Test
    void aFailingMatcherStopsTheSyncKeepsWhatWasCommittedRecordsAnErrorStatusAndThrowsNamingAccountAndFolder() {
        receive(30);
        IllegalStateException down = new IllegalStateException("CRM database unreachable");
        AtomicInteger calls = new AtomicInteger();
        ContactMatcher failsSecond = new ContactMatcher() {
            @Override
            public List<ContactRef> match(String normalizedAddress) {
                return List.of();
            }

            @Override
            public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
                if (calls.incrementAndGet() == 2) {
                    throw down;
                }
                return Map.of();
            }
        };

        assertThatThrownBy(() -> engine(failsSecond, store).sync(account(), inbox()))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageStartingWith("Account acct-1, folder INBOX: the contact matcher failed, so this batch was"
                        + " not recorded and the sync stopped; the next sync retries it. Fix the matcher:")
                .hasMessageContaining("CRM database unreachable")
                .hasCause(down);

        assertThat(store.messageCount("acct-1")).as("the first batch stays").isEqualTo(10);
        assertThat(store.checkpoint("acct-1", "INBOX")).get().extracting(FolderCheckpoint::lastUid).isEqualTo(10L);
        AccountStatus status = store.status("acct-1").orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(status.message()).contains("Account acct-1, folder INBOX: the contact matcher failed");
        assertThat(status.hint()).contains("ContactMatcher").startsWith("Not a mail server problem");
        assertThat(status.fetched()).as("two batches read, the second not recorded").isEqualTo(20);
        awaitGone(BATCH_THREAD);

        SyncReport rerun = engine(nobody(), store).sync(account(), inbox());
        assertThat(rerun.status()).as(String.valueOf(rerun)).isEqualTo(SyncStatus.OK);
        assertThat(store.messageCount("acct-1")).isEqualTo(30);
    }

    @Test
    void aMatcherThatAnswersNullFailsAsAMatcherThatThrows() {
        receive(3);
        ContactMatcher answersNull = new ContactMatcher() {
            @Override
            public List<ContactRef> match(String normalizedAddress) {
                return List.of();
            }

            @Override
            public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
                return null;
            }
        };

        assertThatThrownBy(() -> engine(answersNull, store).sync(account(), inbox()))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("Account acct-1, folder INBOX: the contact matcher failed")
                .hasMessageContaining("matchAll returned null; return an empty map when nothing matches")
                .hasCauseInstanceOf(NullPointerException.class);
        assertThat(store.messageCount("acct-1")).isZero();
        assertThat(store.status("acct-1")).get().extracting(AccountStatus::status).isEqualTo(SyncStatus.ERROR);
    }

    @Test
    void aStoreThatCannotReadACheckpointThrowsAnImapSyncExceptionNamingAccountAndFolder() {
        receive(3);
        IllegalStateException locked = new IllegalStateException("table locked");
        HostStore failing = new HostStore(store) {
            @Override
            public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
                throw locked;
            }
        };

        assertThatThrownBy(() -> engine(nobody(), failing).sync(account(), inbox()))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageStartingWith("Account acct-1, folder INBOX: reading its checkpoint failed, so the folder"
                        + " was not synced. Check the store:")
                .hasCause(locked);
        assertThat(store.status("acct-1")).get().extracting(AccountStatus::status).isEqualTo(SyncStatus.ERROR);
    }

    // ------------------------------------------------------------------ a matcher or store that is slow

    @Test
    void aSlowMatcherEndsTheSyncAtItsMaximumDurationAsATimeoutThatNamesTheMatcher() throws Exception {
        receive(30);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch interrupted = new CountDownLatch(1);
        ContactMatcher slowSecond = new ContactMatcher() {
            @Override
            public List<ContactRef> match(String normalizedAddress) {
                return List.of();
            }

            @Override
            public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
                if (calls.incrementAndGet() == 2) {
                    try {
                        Thread.sleep(MAX.multipliedBy(20).toMillis());
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                return Map.of();
            }
        };

        long started = System.nanoTime();
        SyncReport report = engine(slowSecond, store).sync(account(), inbox());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("returns at the deadline, not when the matcher does").isLessThan(MAX.plus(MARGIN));
        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.ERROR);
        Failure failure = report.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(failure.message()).startsWith("Account acct-1 at 127.0.0.1:")
                .contains("while syncing folder INBOX: the sync reached its maximum duration of 3 s"
                        + " (SyncOptions.maxDuration) while the contact matcher was matching the")
                .contains("without recording that batch");
        assertThat(failure.hint()).startsWith("The host application's ContactMatcher is too slow, not the mail server")
                .doesNotContain("never speaks");
        assertThat(report.folders()).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(SyncStatus.ERROR);
            assertThat(f.lastUid()).isEqualTo(10);
        });
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the matcher's call was interrupted").isTrue();
        assertThat(store.messageCount("acct-1")).isEqualTo(10);
        AccountStatus status = store.status("acct-1").orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(status.hint()).isEqualTo(failure.hint());
        awaitGone(BATCH_THREAD);
    }

    @Test
    void aMatcherThatIgnoresInterruptsKeepsItsThreadButNothingIsCommittedAfterTheDeadline() throws Exception {
        receive(30);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        ContactMatcher stubborn = new ContactMatcher() {
            @Override
            public List<ContactRef> match(String normalizedAddress) {
                return List.of();
            }

            @Override
            public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
                if (calls.incrementAndGet() == 2) {
                    while (true) {
                        try {
                            if (release.await(30, TimeUnit.SECONDS)) {
                                break;
                            }
                        } catch (InterruptedException e) {
                            interrupts.incrementAndGet(); // ignored, as a badly written matcher would
                        }
                    }
                }
                return Map.of();
            }
        };

        long started = System.nanoTime();
        try {
            SyncReport report = engine(stubborn, store).sync(account(), inbox());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(MAX.plus(MARGIN));
            assertThat(report.failure()).get().extracting(Failure::kind).isEqualTo(FailureKind.TIMEOUT);
            assertThat(report.failure().orElseThrow().hint()).contains("ContactMatcher")
                    .contains("keeps its thread (" + BATCH_THREAD + ")");
            assertThat(interrupts.get()).as("interrupted, and ignored it").isPositive();
            assertThat(threadAlive(BATCH_THREAD)).as("the matcher still holds its thread").isTrue();
        } finally {
            release.countDown(); // the matcher answers at last
        }
        awaitGone(BATCH_THREAD);
        assertThat(calls.get()).as("no batch after the deadline").isEqualTo(2);
        assertThat(store.messageCount("acct-1")).as("its answer was dropped: nothing committed").isEqualTo(10);
        assertThat(store.checkpoint("acct-1", "INBOX")).get().extracting(FolderCheckpoint::lastUid).isEqualTo(10L);
    }

    @Test
    void aSlowStoreEndsTheSyncAtItsMaximumDurationAsATimeoutThatNamesTheStore() {
        receive(30);
        AtomicInteger commits = new AtomicInteger();
        HostStore slow = new HostStore(store) {
            @Override
            public CommitResult commit(String accountId, SyncBatch batch) {
                if (commits.incrementAndGet() == 2) {
                    try {
                        Thread.sleep(MAX.multipliedBy(20).toMillis());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                return super.commit(accountId, batch);
            }
        };

        long started = System.nanoTime();
        SyncReport report = engine(nobody(), slow).sync(account(), inbox());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(MAX.plus(MARGIN));
        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.ERROR);
        Failure failure = report.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(failure.message()).contains("while the store was committing a batch of 10 messages");
        assertThat(failure.hint()).startsWith("The host application's SyncStore is too slow, not the mail server");
        assertThat(store.messageCount("acct-1")).isEqualTo(10);
        awaitGone(BATCH_THREAD);
    }

    @Test
    void aDeadlineThatPassesBetweenBatchesCommitsNothingMore() {
        // a listener that holds the sync between batches until the deadline has closed the connection
        receive(30);
        SyncListener slowAfterFirst = new SyncListener() {
            @Override
            public void batchCommitted(String accountId, String folder, BatchProgress progress) {
                if (progress.done() == 10) {
                    sleep(MAX.plusMillis(500));
                }
            }
        };
        SyncEngine engine = SyncEngine.builder().store(store).contactMatcher(nobody()).listener(slowAfterFirst)
                .options(SyncOptions.builder().batchSize(10, 10, 10).maxDuration(MAX).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        SyncReport report = engine.sync(account(), inbox());

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.CONNECTION_FAILED);
        Failure failure = report.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(failure.message()).contains("while syncing folder INBOX: the sync reached its maximum duration"
                + " of 3 s (SyncOptions.maxDuration) before matching the");
        assertThat(failure.hint()).startsWith("The sync could not finish within 3 s.").contains("SyncListener");
        assertThat(store.messageCount("acct-1")).as("nothing after the deadline").isEqualTo(10);
    }

    @Test
    void anInterruptWhileTheMatcherRunsInterruptsItAndThrowsNamingAccountAndFolder() throws Exception {
        receive(3);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ContactMatcher blocks = new ContactMatcher() {
            @Override
            public List<ContactRef> match(String normalizedAddress) {
                return List.of();
            }

            @Override
            public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
                inside.countDown();
                try {
                    Thread.sleep(MAX.multipliedBy(20).toMillis());
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    Thread.currentThread().interrupt();
                }
                return Map.of();
            }
        };
        SyncEngine engine = SyncEngine.builder().store(store).contactMatcher(blocks)
                .options(SyncOptions.builder().maxDuration(Duration.ofMinutes(1)).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagSet = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                engine.sync(account(), inbox());
            } catch (Throwable t) {
                thrown.set(t);
                flagSet.set(Thread.currentThread().isInterrupted());
            }
        }, "test-caller");
        caller.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        caller.join(10_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(ImapSyncException.class)
                .hasMessageStartingWith("Account acct-1, folder INBOX: the sync was interrupted while the contact"
                        + " matcher was matching the")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(flagSet.get()).as("the caller's interrupt flag is set again").isTrue();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the matcher was interrupted too").isTrue();
        assertThat(store.messageCount("acct-1")).isZero();
        assertThat(store.status("acct-1")).get().extracting(AccountStatus::status).isEqualTo(SyncStatus.ERROR);
        awaitGone(BATCH_THREAD);
    }

    // ------------------------------------------------------------------ a matcher's answers

    @Test
    void aContactNamedTwiceOrForTwoAddressesOfOneMessageIsRecordedOncePerRole() {
        server.append(user, "INBOX", "From: a@crm.example\nTo: " + OWNER + ", b@crm.example\n"
                + "Cc: c@crm.example, d@crm.example\nSubject: twice\nDate: Sat, 31 Oct 2026 10:00:00 +0000\n"
                + "Message-ID: <twice@crm.example>\n\nbody\n");
        ContactRef same = ContactRef.of("c-9");
        Map<String, List<ContactRef>> answer = Map.of(
                "a@crm.example", List.of(same, same),
                "b@crm.example", List.of(same),
                "c@crm.example", List.of(same, ContactRef.of("c-10"), same),
                "d@crm.example", List.of(same),
                "not-asked@crm.example", List.of(ContactRef.of("c-11")));
        ContactMatcher repeats = new ContactMatcher() {
            @Override
            public List<ContactRef> match(String normalizedAddress) {
                return answer.getOrDefault(normalizedAddress, List.of());
            }

            @Override
            public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
                return answer;
            }
        };

        SyncReport report = engine(repeats, store).sync(account(), inbox());

        assertThat(report.status()).isEqualTo(SyncStatus.OK);
        assertThat(store.activities("acct-1")).extracting(a -> a.contact().id() + " " + a.role())
                .containsExactlyInAnyOrder("c-9 " + ParticipantRole.FROM, "c-9 " + ParticipantRole.TO,
                        "c-9 " + ParticipantRole.CC, "c-10 " + ParticipantRole.CC);
        assertThat(report.matched()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }

    private SyncEngine engine(ContactMatcher matcher, SyncStore syncStore) {
        return SyncEngine.builder()
                .store(syncStore)
                .statusStore(store)
                .contactMatcher(matcher)
                .options(SyncOptions.builder().batchSize(10, 10, 10).maxDuration(MAX).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private static ContactMatcher nobody() {
        return address -> List.of();
    }

    private static FolderSelection inbox() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(MailFolder.fromList("INBOX", ".", List.of()))));
    }

    /** {@code count} messages in INBOX from generated people, one hour apart, the last a day ago. */
    private void receive(int count) {
        Instant last = NOW.minus(Duration.ofDays(1));
        for (int i = 0; i < count; i++) {
            Instant date = last.minus(Duration.ofHours(count - 1 - i));
            server.append(user, "INBOX", generator.message(MailboxGenerator.person(i % 10), OWNER, date,
                    "m" + i + "@gen.example"), date);
        }
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static void awaitGone(String threadName) {
        await(() -> !threadAlive(threadName), "thread " + threadName + " ended");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Passes everything to the in-memory store; tests override what fails or is slow. */
    private static class HostStore implements SyncStore, StatusStore {
        private final InMemorySyncStore delegate;

        HostStore(InMemorySyncStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
            return delegate.checkpoint(accountId, folder);
        }

        @Override
        public CommitResult commit(String accountId, SyncBatch batch) {
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
}
