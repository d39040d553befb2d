package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with IDLE on, against GreenMail (in-process, IMAPS), on the real clock with an
 * interval of an hour: a message delivered after the first sync is in the contact's history
 * within seconds, found through IDLE, not by polling.
 */
class SyncSchedulerIdleGreenMailTest {
    private static final String OWNER = "alice@acme.example";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryAccountRepository repository = new InMemoryAccountRepository();
    private GreenMailTls server;
    private GreenMailUser user;
    private SyncScheduler scheduler;

    @BeforeEach
    void startServer() {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, "pw-alice");
        server.append(user, "INBOX", message("first"));
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        server.close();
    }

    @Test
    void aMessageDeliveredAfterTheFirstSyncIsInHistoryWithinSeconds() throws Exception {
        repository.put(account());
        CountDownLatch firstSync = new CountDownLatch(1);
        scheduler = scheduler(true, firstSync);
        scheduler.start();

        assertThat(scheduler.syncNow("alice")).isTrue();
        assertThat(firstSync.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first sync ends").isTrue();
        assertThat(subjects()).containsExactly("hello first");
        assertThat(scheduler.idleWatching("alice")).as("watched after the first sync").isTrue();

        long delivered = System.nanoTime();
        server.append(user, "INBOX", message("second"));

        await(() -> subjects().contains("hello second"), "the new message is in history");
        System.out.println("SyncSchedulerIdleGreenMailTest: delivery to history "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - delivered) + " ms");
        assertThat(store.status("alice").orElseThrow().nextRunAt()).isPresent();
    }

    @Test
    void aRemovedAccountIsNoLongerWatchedAndCloseEndsTheWatch() throws Exception {
        repository.put(account());
        CountDownLatch firstSync = new CountDownLatch(1);
        scheduler = scheduler(true, firstSync);
        scheduler.tick();
        scheduler.syncNow("alice");
        scheduler.tick();
        assertThat(firstSync.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await(() -> scheduler.runningCount() == 0, "the sync ends");
        assertThat(scheduler.idleWatching("alice")).isTrue();
        assertThat(scheduler.idleConnections()).as("one IDLE connection, alice's").isEqualTo(1);

        repository.remove("alice");
        scheduler.tick();

        assertThat(scheduler.idleWatching("alice")).isFalse();
        assertThat(scheduler.idleConnections()).isZero();
        long started = System.nanoTime();
        scheduler.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("imap-sync-idle-")), "the IDLE threads end");
    }

    @Test
    void aSyncRequestedWhileTheAccountSyncsIsNotLost() throws Exception {
        // new mail announced while a sync runs may come after the sync read the folder: it must not
        // wait for the next interval (an hour here)
        repository.put(account());
        AccountLeases leases = AccountLeases.inMemory();
        BlockingMatcher matcher = new BlockingMatcher();
        scheduler = SyncScheduler.builder().accounts(repository).leases(leases).nodeId("idle-node")
                .engine(SyncEngine.builder().store(store).contactMatcher(matcher).build())
                .defaultInterval(Duration.ofHours(1)).shutdownTimeout(Duration.ofSeconds(3)).build();
        scheduler.tick();
        scheduler.syncNow("alice");
        assertThat(scheduler.tick()).isEqualTo(1);
        matcher.awaitInside(1, WAIT);

        assertThat(scheduler.syncNow("alice")).isTrue();
        matcher.open();
        await(() -> scheduler.runningCount() == 0, "the sync ends");

        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.OK);
        assertThat(leases.state("alice").orElseThrow().nextRunAt()).as("due again at once, not in an hour")
                .isBefore(java.time.Instant.now().plusSeconds(1));
        assertThat(scheduler.tick()).as("synced once more").isEqualTo(1);
    }

    @Test
    void anAccountStoppedAfterAFailedLoginIsNoLongerWatched() throws Exception {
        repository.put(account());
        CountDownLatch firstSync = new CountDownLatch(1);
        scheduler = scheduler(true, firstSync);
        scheduler.tick();
        scheduler.syncNow("alice");
        scheduler.tick();
        assertThat(firstSync.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await(() -> scheduler.runningCount() == 0, "the sync ends");
        assertThat(scheduler.idleWatching("alice")).isTrue();

        repository.put(ManagedAccount.of(account().account().toBuilder().password(OWNER, "changed-wrongly").build())
                .withFolders(FolderChoice.named(List.of("INBOX"))));
        scheduler.syncNow("alice");
        assertThat(scheduler.tick()).isEqualTo(1);
        await(() -> scheduler.runningCount() == 0, "the failed sync ends");

        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(scheduler.idleWatching("alice")).isFalse();
    }

    @Test
    void idleIsOffByDefault() throws Exception {
        repository.put(account());
        CountDownLatch firstSync = new CountDownLatch(1);
        scheduler = scheduler(false, firstSync);
        scheduler.start();
        scheduler.syncNow("alice");

        assertThat(firstSync.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(store.status("alice").orElseThrow().status()).isEqualTo(SyncStatus.OK);
        assertThat(scheduler.idleWatching("alice")).isFalse();
        assertThat(scheduler.idleConnections()).isZero();
    }

    @Test
    void watcherSettingsWithoutIdleAreRefused() {
        assertThatThrownBy(() -> SyncScheduler.builder().accounts(repository).engine(engine())
                .idleWatcher(IdleWatcher.builder()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("idleWatcher(...) was given but IDLE is off: call idle(true) as well,"
                        + " or leave out idleWatcher(...)");
    }

    // ------------------------------------------------------------------ helpers

    private SyncScheduler scheduler(boolean idle, CountDownLatch firstSync) {
        SyncScheduler.Builder b = SyncScheduler.builder()
                .accounts(repository)
                .engine(engine())
                .nodeId("idle-node")
                .defaultInterval(Duration.ofHours(1))
                .shutdownTimeout(Duration.ofSeconds(3))
                .listener(new SchedulerListener() {
                    @Override
                    public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                        firstSync.countDown();
                    }
                });
        if (idle) {
            b.idle(true).idleWatcher(IdleWatcher.builder().closeTimeout(Duration.ofSeconds(1)));
        }
        return b.build();
    }

    private SyncEngine engine() {
        return SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-1", "maria@partner.example").build())
                .build();
    }

    private ManagedAccount account() {
        return ManagedAccount.of(ImapAccount.builder().id("alice").emailAddress(OWNER)
                        .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                        .password(OWNER, "pw-alice")
                        .trustCertificatePem(TestCertificates.localhost().pem())
                        .build())
                .withFolders(FolderChoice.named(List.of("INBOX")));
    }

    private List<String> subjects() {
        return store.history("c-1", 100).stream().map(ContactActivity::subject).sorted().toList();
    }

    private static String message(String id) {
        return "From: Maria <maria@partner.example>\nTo: " + OWNER + "\nSubject: hello " + id + "\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusMinutes(1)) + "\n"
                + "Message-ID: <" + id + "@partner.example>\n\nHi\n";
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(what, WAIT, condition);
    }
}
