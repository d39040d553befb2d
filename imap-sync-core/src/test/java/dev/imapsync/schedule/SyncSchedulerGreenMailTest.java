package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.SettableClock;
import dev.imapsync.testing.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against a real IMAP server (GreenMail, in-process, over TLS), driven step by step
 * with a clock that only moves when the test moves it.
 */
class SyncSchedulerGreenMailTest {
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SettableClock clock = SettableClock.at(NOW);
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final AccountLeases leases = AccountLeases.inMemory();
    private final InMemoryAccountRepository repository = new InMemoryAccountRepository();
    private final List<SyncScheduler> schedulers = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private GreenMailTls server;

    @BeforeEach
    void startServer() {
        server = GreenMailTls.start(TestCertificates.localhost());
    }

    @AfterEach
    void stop() {
        schedulers.forEach(SyncScheduler::close);
        executors.forEach(ExecutorService::shutdownNow);
        server.close();
    }

    // ------------------------------------------------------------------ scheduling at the interval

    @Test
    void manyAccountsFirstRunsAreSpreadOverAMinuteNotAllAtOnce() throws IOException {
        int port = closedPort();
        for (int i = 0; i < 200; i++) {
            repository.put(ManagedAccount.of(ImapAccount.builder().id("a" + i)
                    .endpoint("127.0.0.1", port, Security.SSL_TLS).password("a" + i, "pw").build()));
        }
        SyncScheduler scheduler = scheduler(b -> b);

        clock.set(NOW.minusSeconds(60));
        scheduler.tick();

        Set<Instant> firstRuns = new HashSet<>();
        for (String id : leases.accountIds()) {
            Instant first = leases.state(id).orElseThrow().nextRunAt();
            assertThat(first).isBetween(NOW.minusSeconds(60), NOW);
            firstRuns.add(first);
        }
        assertThat(leases.accountIds()).hasSize(200);
        assertThat(firstRuns).as("spread over the minute, not equal").hasSizeGreaterThan(190);
    }

    @Test
    void aSyncedAccountRunsAgainAtItsIntervalWithJitter() {
        user("alice");
        repository.put(managed("alice", "127.0.0.1").withInterval(Duration.ofMinutes(10)));
        user("bob");
        repository.put(managed("bob", "127.0.0.1"));
        SyncScheduler scheduler = scheduler(b -> b.defaultInterval(Duration.ofMinutes(5)));
        registerAll(scheduler);

        PassReport pass = scheduler.runPass();

        assertThat(pass.synced()).as(String.valueOf(pass.outcomes())).isEqualTo(2);
        Instant aliceNext = leases.state("alice").orElseThrow().nextRunAt();
        Instant bobNext = leases.state("bob").orElseThrow().nextRunAt();
        assertThat(aliceNext).as("its own interval wins").isBetween(NOW.plusSeconds(540), NOW.plusSeconds(660));
        assertThat(bobNext).as("the default").isBetween(NOW.plusSeconds(270), NOW.plusSeconds(330));
        assertThat(leases.state("alice").orElseThrow().failures()).isZero();

        clock.set(NOW.plusSeconds(269));
        assertThat(scheduler.tick()).as("not due before its interval less 10%").isZero();
        clock.set(NOW.plusSeconds(331));
        assertThat(scheduler.runPass().synced()).as("only bob is due").isEqualTo(1);
    }

    @Test
    void statusesCarryTheNextRun() {
        user("alice");
        user("bob");
        repository.put(managed("alice", "127.0.0.1"));
        repository.put(managed("bob", "127.0.0.1").withFolders(FolderChoice.named(List.of("Gone"))));
        SyncScheduler scheduler = scheduler(b -> b);
        registerAll(scheduler);

        scheduler.runPass();

        List<AccountStatus> statuses = scheduler.statuses();
        assertThat(statuses).extracting(AccountStatus::accountId).containsExactly("alice", "bob");
        for (AccountStatus status : statuses) {
            assertThat(status.nextRunAt()).as(status.toString())
                    .contains(leases.state(status.accountId()).orElseThrow().nextRunAt());
        }
        AccountStatus alice = statuses.get(0);
        assertThat(alice.status()).isEqualTo(SyncStatus.OK);
        assertThat(alice.lastSyncedAt()).contains(NOW);
        assertThat(alice.lastAttemptAt()).isEqualTo(NOW);
        assertThat(alice.fetched()).as("the one message in alice's INBOX").isEqualTo(1);
        AccountStatus bob = statuses.get(1);
        assertThat(bob.status()).isEqualTo(SyncStatus.FOLDER_MISSING);
        assertThat(bob.message()).contains("Gone");
        assertThat(bob.nextRunAt().orElseThrow()).as("backoff, about a minute").isBetween(NOW.plusSeconds(48),
                NOW.plusSeconds(72));
    }

    @Test
    void theAccountsOwnInitialWindowIsUsed() {
        GreenMailUser alice = server.addUser(login("alice"), "pw-alice");
        for (int daysAgo : new int[] {30, 20, 6, 1}) {
            Instant date = NOW.minus(Duration.ofDays(daysAgo));
            server.append(alice, "INBOX", message(daysAgo + "@x.example", date), date);
        }
        repository.put(managed("alice", "127.0.0.1").withInitialWindow(Duration.ofDays(7)));
        SyncScheduler scheduler = scheduler(b -> b);
        registerAll(scheduler);

        PassReport pass = scheduler.runPass();

        assertThat(pass.synced()).isEqualTo(1);
        assertThat(store.messageCount("alice")).as("the last 7 days, not the engine's 90").isEqualTo(2);
    }

    // ------------------------------------------------------------------ failures and backoff

    @Test
    void connectionFailuresBackOffExponentiallyUpToTheCap() throws IOException {
        repository.put(ManagedAccount.of(ImapAccount.builder().id("down")
                .endpoint("127.0.0.1", closedPort(), Security.SSL_TLS).password("down", "pw").build()));
        SyncScheduler scheduler = scheduler(b -> b.backoff(Backoff.exponential(Duration.ofMinutes(1),
                Duration.ofMinutes(4)).withJitter(0)));
        registerAll(scheduler);

        List<Duration> waits = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            PassReport pass = scheduler.runPass();
            assertThat(pass.failed()).as("attempt " + attempt).isEqualTo(1);
            ScheduleState state = leases.state("down").orElseThrow();
            assertThat(state.failures()).isEqualTo(attempt);
            waits.add(Duration.between(clock.instant(), state.nextRunAt()));
            AccountStatus status = store.status("down").orElseThrow();
            assertThat(status.status()).isEqualTo(SyncStatus.CONNECTION_FAILED);
            assertThat(status.nextRunAt()).contains(state.nextRunAt());
            assertThat(scheduler.tick()).as("not due before the backoff ends").isZero();
            clock.set(state.nextRunAt());
        }
        assertThat(waits).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
                Duration.ofMinutes(4), Duration.ofMinutes(4));

        // once it works again, the count starts over
        repository.put(managed("down", "127.0.0.1"));
        user("down");
        assertThat(scheduler.runPass().synced()).isEqualTo(1);
        assertThat(leases.state("down").orElseThrow().failures()).isZero();
    }

    @Test
    void anAccountThatCannotBeReadIsAnErrorWithAHintAndBacksOff() {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        repository.makeUnavailable("alice");
        SyncScheduler scheduler = scheduler(b -> b);
        registerAll(scheduler);

        PassReport pass = scheduler.runPass();

        assertThat(pass.failed()).isEqualTo(1);
        AccountStatus status = store.status("alice").orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(status.message()).isEqualTo("Account alice: its secret cannot be decrypted with the keys configured.");
        assertThat(status.hint()).contains("encryption keys");
        assertThat(status.nextRunAt().orElseThrow()).isBetween(NOW.plusSeconds(48), NOW.plusSeconds(72));
        assertThat(leases.state("alice").orElseThrow().failures()).isEqualTo(1);
    }

    @Test
    void aFailingStoreIsAnErrorAndBacksOff() {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        InMemorySyncStore kept = new InMemorySyncStore();
        FailingStore failing = new FailingStore() {
            @Override
            public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
                return kept.checkpoint(accountId, folder);
            }

            @Override
            public CommitResult commit(String accountId, SyncBatch batch) {
                throw new ImapSyncException("Account " + accountId + ": the database is down");
            }

            @Override
            public List<ContactActivity> history(String contactId, int limit) {
                return kept.history(contactId, limit);
            }

            @Override
            public void saveStatus(AccountStatus status) {
                kept.saveStatus(status);
            }

            @Override
            public Optional<AccountStatus> status(String accountId) {
                return kept.status(accountId);
            }

            @Override
            public List<AccountStatus> statuses() {
                return kept.statuses();
            }
        };
        SyncEngine engine = SyncEngine.builder().store(failing).contactMatcher(contacts()).clock(clock).build();
        SyncScheduler scheduler = scheduler(b -> b.engine(engine));
        registerAll(scheduler);

        PassReport pass = scheduler.runPass();

        assertThat(pass.failed()).isEqualTo(1);
        AccountStatus status = failing.status("alice").orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(status.message()).contains("the database is down");
        assertThat(status.hint()).contains("store");
        assertThat(status.nextRunAt().orElseThrow()).isAfter(NOW.plusSeconds(47));
    }

    // ------------------------------------------------------------------ failed logins

    @Test
    void aWrongPasswordStopsRetriesUntilTheAccountChanges() {
        user("alice");
        repository.put(managed("alice", "127.0.0.1", "wrong-password"));
        SyncScheduler scheduler = scheduler(b -> b.listener(listener));
        registerAll(scheduler);

        PassReport first = scheduler.runPass();

        assertThat(first.failed()).isEqualTo(1);
        ScheduleState stopped = leases.state("alice").orElseThrow();
        assertThat(stopped.stoppedRevision()).hasValue(repository.revision("alice"));
        AccountStatus status = store.status("alice").orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(status.hint()).contains("Retries are stopped until the account's credentials or settings change");
        assertThat(status.nextRunAt()).contains(stopped.nextRunAt());
        assertThat(stopped.nextRunAt()).isAfter(NOW.plus(Duration.ofHours(12)));

        // days later, nothing changed: looked at, not synced
        clock.set(NOW.plus(Duration.ofDays(3)));
        PassReport later = scheduler.runPass();
        assertThat(later.skipped()).isEqualTo(1);
        assertThat(later.outcomes().get(0).status()).contains(SyncStatus.AUTH_FAILED);
        assertThat(listener.started).containsExactly("alice");
        assertThat(leases.state("alice").orElseThrow().nextRunAt()).isAfter(clock.instant().plus(Duration.ofHours(12)));
        assertThat(store.status("alice").orElseThrow().nextRunAt())
                .contains(leases.state("alice").orElseThrow().nextRunAt());

        // the password is fixed: the revision changes and the account syncs at once
        repository.put(managed("alice", "127.0.0.1"));
        assertThat(scheduler.tick()).isEqualTo(1);
        awaitIdle(scheduler);
        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.OK);
        ScheduleState resumed = leases.state("alice").orElseThrow();
        assertThat(resumed.stoppedRevision()).isEmpty();
        assertThat(resumed.failures()).isZero();
    }

    @Test
    void syncNowEndsAStopAfterAFailedLogin() {
        user("alice");
        repository.put(managed("alice", "127.0.0.1", "wrong-password"));
        SyncScheduler scheduler = scheduler(b -> b.listener(listener));
        registerAll(scheduler);
        scheduler.runPass();
        assertThat(leases.state("alice").orElseThrow().stoppedRevision()).isPresent();

        assertThat(scheduler.syncNow("alice")).isTrue();
        PassReport again = scheduler.runPass();

        assertThat(again.failed()).as("tried once more, at the user's request").isEqualTo(1);
        assertThat(listener.started).containsExactly("alice", "alice");
    }

    @Test
    void anOAuth2TokenRefusedOnceIsFetchedAgainAndTheSyncGoesOn() {
        user("alice");
        AtomicInteger calls = new AtomicInteger();
        // the first token has expired; the supplier refreshes it when asked again
        repository.put(oauth2("alice", () -> Secret.of(calls.incrementAndGet() == 1 ? "expired" : "pw-alice")));
        SyncScheduler scheduler = scheduler(b -> b.listener(listener));
        registerAll(scheduler);

        PassReport pass = scheduler.runPass();

        assertThat(pass.synced()).as(String.valueOf(pass.outcomes())).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(listener.started).as("one attempt").containsExactly("alice");
        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.OK);
    }

    @Test
    void anOAuth2TokenRefusedTwiceStopsRetries() {
        user("alice");
        AtomicInteger calls = new AtomicInteger();
        repository.put(oauth2("alice", () -> {
            calls.incrementAndGet();
            return Secret.of("revoked");
        }));
        SyncScheduler scheduler = scheduler(b -> b);
        registerAll(scheduler);

        PassReport pass = scheduler.runPass();

        assertThat(pass.failed()).isEqualTo(1);
        assertThat(calls.get()).as("asked once more, then no more").isEqualTo(2);
        assertThat(leases.state("alice").orElseThrow().stoppedRevision()).isPresent();
        assertThat(store.status("alice").orElseThrow().hint()).contains("authorize the application again")
                .contains("Retries are stopped");
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void noMoreThanThePerHostLimitConnectToOneHostAtOnce() throws Exception {
        for (int i = 0; i < 10; i++) {
            user("u" + i);
            repository.put(managed("u" + i, i % 2 == 0 ? "localhost" : "LOCALHOST"));
        }
        BlockingMatcher matcher = new BlockingMatcher();
        SyncScheduler scheduler = scheduler(b -> b.engine(engine(matcher)).perHostLimit(2).maxConcurrentSyncs(10));
        registerAll(scheduler);

        assertThat(scheduler.tick()).isEqualTo(2);
        matcher.awaitInside(2, WAIT);
        for (String id : leases.accountIds()) {
            ScheduleState state = leases.state(id).orElseThrow();
            if (state.nextRunAt().isAfter(NOW)) {
                assertThat(state.nextRunAt()).as("put back a few seconds").isBetween(NOW.plusSeconds(1), NOW.plusSeconds(10));
                assertThat(state.failures()).as("not a failure").isZero();
                assertThat(store.status(id)).isEmpty();
            }
        }
        clock.advance(Duration.ofSeconds(10));
        assertThat(scheduler.tick()).as("the host is still at its cap").isZero();
        assertThat(scheduler.runningCount()).isEqualTo(2);

        matcher.open();
        awaitIdle(scheduler); // the two running syncs end and free the host
        clock.advance(Duration.ofSeconds(10)); // the eight put back are due again
        PassReport report = background(scheduler::runPass).get(60, TimeUnit.SECONDS);

        assertThat(report.synced()).isEqualTo(8);
        assertThat(store.statuses()).hasSize(10).allMatch(s -> s.status() == SyncStatus.OK);
        assertThat(matcher.mostInside()).isEqualTo(2);
    }

    @Test
    void noMoreThanTheGlobalLimitRunAtOnce() throws Exception {
        for (int i = 0; i < 6; i++) {
            user("u" + i);
            repository.put(managed("u" + i, i % 2 == 0 ? "localhost" : "127.0.0.1"));
        }
        BlockingMatcher matcher = new BlockingMatcher();
        SyncScheduler scheduler = scheduler(b -> b.engine(engine(matcher)).perHostLimit(10).maxConcurrentSyncs(3));
        registerAll(scheduler);

        Future<PassReport> pass = background(scheduler::runPass);
        matcher.awaitInside(3, WAIT);
        assertThat(scheduler.runningCount()).isEqualTo(3);
        assertThat(scheduler.tick()).as("no free capacity").isZero();
        matcher.open();
        PassReport report = pass.get(60, TimeUnit.SECONDS);

        assertThat(report.synced()).isEqualTo(6);
        assertThat(matcher.mostInside()).isEqualTo(3);
    }

    @Test
    void anAccountIsNeverSyncedTwiceAtOnceAndItsClaimIsExtendedWhileItRuns() throws Exception {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        BlockingMatcher matcher = new BlockingMatcher();
        SyncScheduler scheduler = scheduler(b -> b.engine(engine(matcher)).leaseDuration(Duration.ofMinutes(3)));
        registerAll(scheduler);

        assertThat(scheduler.tick()).isEqualTo(1);
        matcher.awaitInside(1, WAIT);
        assertThat(scheduler.syncNow("alice")).isTrue();
        assertThat(scheduler.tick()).as("held by its running sync").isZero();

        clock.advance(Duration.ofMinutes(2));
        assertThat(scheduler.heartbeat()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2)); // past the first lease, within the extended one
        assertThat(leases.claimDue("other-node", clock.instant(), clock.instant().plusSeconds(60), 10))
                .as("another node cannot take it").isEmpty();
        assertThat(scheduler.tick()).isZero();

        matcher.open();
        awaitIdle(scheduler);
        assertThat(matcher.mostInside()).isEqualTo(1);
        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.OK);
    }

    @Test
    void aLostClaimIsNotReleasedAndTheOtherNodesStateStands() throws Exception {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        BlockingMatcher matcher = new BlockingMatcher();
        SyncScheduler scheduler = scheduler(b -> b.engine(engine(matcher)).leaseDuration(Duration.ofMinutes(3)));
        registerAll(scheduler);
        assertThat(scheduler.tick()).isEqualTo(1);
        matcher.awaitInside(1, WAIT);

        clock.advance(Duration.ofMinutes(4)); // this node stalled: its lease ended
        List<LeaseClaim> taken = leases.claimDue("other-node", clock.instant(), clock.instant().plusSeconds(600), 10);
        assertThat(taken).hasSize(1);
        assertThat(scheduler.heartbeat()).as("lost, not extended").isZero();

        matcher.open();
        awaitIdle(scheduler);
        ScheduleState othersNext = ScheduleState.firstRunAt(NOW.plus(Duration.ofHours(7)));
        assertThat(leases.release(taken.get(0), othersNext)).as("the other node's claim still holds").isTrue();
        assertThat(leases.state("alice")).contains(othersNext);
    }

    // ------------------------------------------------------------------ syncNow, removal, shutdown

    @Test
    void syncNowMakesAnAccountDueAtOnce() {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        SyncScheduler scheduler = scheduler(b -> b);
        registerAll(scheduler);
        scheduler.runPass();
        assertThat(scheduler.tick()).isZero();

        assertThat(scheduler.syncNow("alice")).isTrue();
        assertThat(leases.state("alice").orElseThrow().nextRunAt()).isEqualTo(NOW);
        assertThat(scheduler.runPass().synced()).isEqualTo(1);

        assertThat(scheduler.syncNow("nobody")).isFalse();

        // a mailbox just connected: in the repository, not yet in the schedule
        user("bob");
        repository.put(managed("bob", "127.0.0.1"));
        assertThat(scheduler.syncNow("bob")).isTrue();
        PassReport pass = scheduler.runPass();
        assertThat(pass.outcomes()).extracting(AccountOutcome::accountId).containsExactly("bob");
    }

    @Test
    void theLoopWakesAtOnceOnSyncNow() throws Exception {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        CountDownLatch finished = new CountDownLatch(1);
        SyncScheduler scheduler = scheduler(b -> b.listener(new SchedulerListener() {
            @Override
            public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                finished.countDown();
            }
        }));
        scheduler.start();
        scheduler.start(); // twice is harmless

        assertThat(scheduler.syncNow("alice")).isTrue();

        assertThat(finished.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.OK);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .contains(SyncScheduler.LOOP_THREAD).anyMatch(n -> n.startsWith(SyncScheduler.SYNC_THREAD_PREFIX));
    }

    @Test
    void aRemovedAccountIsUnregistered() {
        user("alice");
        user("bob");
        user("carol");
        repository.put(managed("alice", "127.0.0.1"));
        repository.put(managed("bob", "127.0.0.1"));
        repository.put(managed("carol", "127.0.0.1"));
        SyncScheduler scheduler = scheduler(b -> b);
        registerAll(scheduler);
        assertThat(leases.accountIds()).containsExactly("alice", "bob", "carol");

        repository.remove("bob");
        repository.vanishOnFind("carol"); // removed between the list and the sync
        PassReport pass = scheduler.runPass();

        assertThat(leases.accountIds()).containsExactly("alice");
        assertThat(pass.synced()).isEqualTo(1);
        assertThat(pass.skipped()).isEqualTo(1);
        assertThat(pass.outcomes()).filteredOn(o -> o.accountId().equals("carol")).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("no longer in the repository"));
    }

    @Test
    void closeReturnsWithinItsTimeoutWhileASyncIsBlocked() throws Exception {
        user("alice");
        repository.put(managed("alice", "127.0.0.1"));
        BlockingMatcher matcher = new BlockingMatcher();
        SyncScheduler scheduler = scheduler(b -> b.engine(engine(matcher)).shutdownTimeout(Duration.ofMillis(300)));
        registerAll(scheduler);
        assertThat(scheduler.tick()).isEqualTo(1);
        matcher.awaitInside(1, WAIT);

        long started = System.nanoTime();
        scheduler.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(scheduler.tick()).as("closed: claims nothing").isZero();
        scheduler.close(); // twice is harmless
        awaitCondition(() -> matcher.interrupted() == 1, "the blocked sync was interrupted");
    }

    @Test
    void closeReleasesTheClaimsOfSyncsThatHadNotBegun() throws Exception {
        user("alice");
        user("bob");
        repository.put(managed("alice", "127.0.0.1"));
        repository.put(managed("bob", "localhost"));
        BlockingMatcher matcher = new BlockingMatcher();
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        executors.add(oneThread);
        SyncScheduler scheduler = scheduler(b -> b.engine(engine(matcher)).executor(oneThread)
                .maxConcurrentSyncs(2).shutdownTimeout(Duration.ofMillis(200)));
        registerAll(scheduler);
        assertThat(scheduler.tick()).isEqualTo(2);
        matcher.awaitInside(1, WAIT); // one runs, the other waits for the host's only thread

        scheduler.close();

        List<LeaseClaim> free = leases.claimDue("other-node", clock.instant(), clock.instant().plusSeconds(60), 10);
        assertThat(free).as("the one that never began is free for another node at once").hasSize(1);
        assertThat(oneThread.isShutdown()).as("the host's executor is the host's").isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private SyncScheduler scheduler(UnaryOperator<SyncScheduler.Builder> settings) {
        SyncScheduler scheduler = settings.apply(SyncScheduler.builder()
                .accounts(repository)
                .engine(engine(contacts()))
                .leases(leases)
                .nodeId("node-1")
                .clock(clock)
                .random(new SplittableRandom(42))
                .shutdownTimeout(Duration.ofSeconds(5))).build();
        schedulers.add(scheduler);
        return scheduler;
    }

    /** Registers the repository's accounts a minute before NOW, so that all are due at NOW. */
    private void registerAll(SyncScheduler scheduler) {
        clock.set(NOW.minusSeconds(60));
        scheduler.tick();
        awaitIdle(scheduler);
        clock.set(NOW);
    }

    private SyncEngine engine(ContactMatcher matcher) {
        return SyncEngine.builder().store(store).contactMatcher(matcher).clock(clock).build();
    }

    private static InMemoryContactMatcher contacts() {
        return InMemoryContactMatcher.builder().add("c-1", "maria@partner.example").build();
    }

    /** A GreenMail user {@code id@acme.example} with password {@code pw-id} and one message from a day ago. */
    private GreenMailUser user(String id) {
        GreenMailUser user = server.addUser(login(id), "pw-" + id);
        server.append(user, "INBOX", message(id + "-1@x.example", NOW.minus(Duration.ofDays(1))),
                NOW.minus(Duration.ofDays(1)));
        return user;
    }

    private static String login(String id) {
        return id + "@acme.example";
    }

    private static String message(String messageId, Instant date) {
        return "From: Maria <maria@partner.example>\nTo: someone@acme.example\nSubject: Hello\n"
                + "Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atZone(
                java.time.ZoneOffset.UTC)) + "\nMessage-ID: <" + messageId + ">\n\nHi\n";
    }

    private ManagedAccount managed(String id, String host) {
        return managed(id, host, "pw-" + id);
    }

    private ManagedAccount managed(String id, String host, String password) {
        return ManagedAccount.of(ImapAccount.builder().id(id).emailAddress(login(id))
                        .endpoint(host, server.imapsPort(), Security.SSL_TLS)
                        .password(login(id), password)
                        .trustCertificatePem(TestCertificates.localhost().pem())
                        .build())
                .withFolders(FolderChoice.named(List.of("INBOX")));
    }

    private ManagedAccount oauth2(String id, java.util.function.Supplier<Secret> tokens) {
        return ManagedAccount.of(ImapAccount.builder().id(id).emailAddress(login(id))
                        .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                        .credentials(Credentials.oauth2(login(id), tokens))
                        .trustCertificatePem(TestCertificates.localhost().pem())
                        .build())
                .withFolders(FolderChoice.named(List.of("INBOX")));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private <T> Future<T> background(java.util.concurrent.Callable<T> task) {
        ExecutorService one = Executors.newSingleThreadExecutor();
        executors.add(one);
        return one.submit(task);
    }

    /** Waits (bounded) until the scheduler has no sync running. */
    private static void awaitIdle(SyncScheduler scheduler) {
        awaitCondition(() -> scheduler.runningCount() == 0, "the scheduler's syncs end");
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
        Await.until(what, WAIT, condition);
    }

    /** Records the accounts whose syncs began. */
    private static final class RecordingListener implements SchedulerListener {
        final List<String> started = new CopyOnWriteArrayList<>();
        final Map<String, ScheduleState> lastNext = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void accountStarted(String accountId) {
            started.add(accountId);
        }

        @Override
        public void accountFinished(AccountOutcome outcome, ScheduleState next) {
            lastNext.put(outcome.accountId(), next);
        }
    }

    /** A store that keeps statuses; each test says how its commits fail. */
    private abstract static class FailingStore implements SyncStore, StatusStore {
    }
}
