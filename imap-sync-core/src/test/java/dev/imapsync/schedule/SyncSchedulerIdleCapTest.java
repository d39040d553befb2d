package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncScheduler.Builder#maxIdleConnections}: against GreenMail (in-process, IMAPS), three
 * accounts on a node capped at two IDLE connections. The third is polled, still synced; it
 * takes the slot a removed account frees, and new mail on it then reaches history through IDLE
 * although its interval is an hour.
 */
class SyncSchedulerIdleCapTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> IDS = List.of("ann", "bob", "cyd");

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryAccountRepository repository = new InMemoryAccountRepository();
    private final Map<String, GreenMailUser> users = new HashMap<>();
    private GreenMailTls server;
    private SyncScheduler scheduler;

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        for (String id : IDS) {
            GreenMailUser user = server.addUser(owner(id), "pw-" + id);
            users.put(id, user);
            server.append(user, "INBOX", message(id, "first"));
            repository.put(account(id));
        }
        scheduler = SyncScheduler.builder().accounts(repository).engine(engine()).nodeId("cap-node")
                .defaultInterval(Duration.ofHours(1)).shutdownTimeout(Duration.ofSeconds(3))
                .idle(true).maxIdleConnections(2)
                .idleWatcher(IdleWatcher.builder().closeTimeout(Duration.ofSeconds(1)))
                .build();
    }

    @AfterEach
    void stop() {
        scheduler.close();
        server.close();
    }

    @Test
    void theAccountsPastTheCapArePolledAndTakeAFreedSlot() {
        syncAll(IDS);
        assertThat(IDS).allSatisfy(id -> assertThat(store.status(id).orElseThrow().status()).isEqualTo(SyncStatus.OK));
        assertThat(subjects()).as("every account synced, the capped one too")
                .containsExactly("ann first", "bob first", "cyd first");
        assertThat(scheduler.idleConnections()).as("IDLE connections, at the cap").isEqualTo(2);
        assertThat(scheduler.idleCappedAccounts()).isEqualTo(1);
        List<String> watched = IDS.stream().filter(scheduler::idleWatching).toList();
        String polled = IDS.stream().filter(id -> !watched.contains(id)).findFirst().orElseThrow();
        assertThat(watched).hasSize(2);
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("imap-sync-idle-") && !t.getName().endsWith("timer")))
                .as("one IDLE thread per watched account, none for the polled one").hasSize(2);

        syncAll(List.of(polled));
        assertThat(scheduler.idleWatching(polled)).as("still polled while every slot is taken").isFalse();

        repository.remove(watched.get(0));
        scheduler.tick();
        await(() -> scheduler.idleConnections() == 1, "the removed account's slot is freed");
        syncAll(List.of(polled));

        assertThat(scheduler.idleWatching(polled)).as("watched in the freed slot").isTrue();
        assertThat(scheduler.idleConnections()).isEqualTo(2);
        assertThat(scheduler.idleCappedAccounts()).isZero();
        server.append(users.get(polled), "INBOX", message(polled, "second"));
        // no loop thread here: tick() syncs only what is due, and with an hour's interval only IDLE makes it due
        await(() -> scheduler.tick() >= 0 && subjects().contains(polled + " second"),
                "new mail on the formerly polled account is in history");
    }

    @Test
    void theCapIsARange() {
        SyncScheduler.Builder b = SyncScheduler.builder();
        assertThatThrownBy(() -> b.maxIdleConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxIdleConnections 0 is out of range: give 1 to 100000, e.g. 1000"
                        + " (each IDLE connection holds a thread and a socket)");
        assertThatThrownBy(() -> b.maxIdleConnections(100_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SyncScheduler.DEFAULT_MAX_IDLE_CONNECTIONS).isEqualTo(1_000);
    }

    // ------------------------------------------------------------------ helpers

    /** Makes the accounts due and runs them to their end. */
    private void syncAll(List<String> ids) {
        scheduler.tick();
        ids.forEach(scheduler::syncNow);
        scheduler.tick();
        await(() -> scheduler.runningCount() == 0
                && ids.stream().allMatch(id -> store.status(id).isPresent()), "the syncs end");
    }

    private SyncEngine engine() {
        InMemoryContactMatcher.Builder contacts = InMemoryContactMatcher.builder();
        IDS.forEach(id -> contacts.add("c-" + id, "maria-" + id + "@partner.example"));
        return SyncEngine.builder().store(store).contactMatcher(contacts.build()).build();
    }

    private ManagedAccount account(String id) {
        return ManagedAccount.of(ImapAccount.builder().id(id).emailAddress(owner(id))
                        .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                        .password(owner(id), "pw-" + id)
                        .trustCertificatePem(TestCertificates.localhost().pem())
                        .build())
                .withFolders(FolderChoice.named(List.of("INBOX")));
    }

    private List<String> subjects() {
        return IDS.stream().flatMap(id -> store.history("c-" + id, 100).stream())
                .map(ContactActivity::subject).map(s -> s.replace("hello ", "")).sorted().toList();
    }

    private static String owner(String id) {
        return id + "@acme.example";
    }

    private static String message(String id, String what) {
        return "From: Maria <maria-" + id + "@partner.example>\nTo: " + owner(id) + "\nSubject: hello " + id + " "
                + what + "\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusMinutes(1))
                + "\nMessage-ID: <" + id + "-" + what + "@partner.example>\n\nHi\n";
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(what, WAIT, condition);
    }
}
