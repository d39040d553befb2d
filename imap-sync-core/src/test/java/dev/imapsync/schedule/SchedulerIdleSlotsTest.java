package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IDLE slots of {@link SchedulerIdle} against GreenMail (in-process, IMAPS), with a cap of
 * one: an account whose watch could not start gives its slot back at once, a watched account
 * keeps its slot across syncs, and an account past the cap is polled until a slot is freed.
 */
class SchedulerIdleSlotsTest {
    private GreenMailTls server;
    private SchedulerIdle idle;

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        for (String id : List.of("ann", "bob")) {
            server.addUser(id + "@acme.example", "pw-" + id);
        }
        idle = SchedulerIdle.on(IdleWatcher.builder().closeTimeout(Duration.ofSeconds(1)), id -> { },
                Clock.systemUTC(), "slots-node", 1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        idle.closeInBackground().join(5_000);
        server.close();
    }

    @Test
    void aFailedWatchGivesItsSlotBackAndAFreedSlotIsTaken() {
        synced(account("eve", "bob@acme.example", "wrong"));
        assertThat(idle.watching("eve")).as("the first login failed: polled").isFalse();
        assertThat(idle.watchedCount()).isZero();
        assertThat(idle.cappedCount()).as("declined, not capped").isZero();

        synced(account("ann", "ann@acme.example", "pw-ann"));
        assertThat(idle.watching("ann")).as("the slot the failed watch gave back").isTrue();
        synced(account("ann", "ann@acme.example", "pw-ann"));
        assertThat(idle.watching("ann")).as("a further sync keeps the watch").isTrue();
        assertThat(idle.watchedCount()).isEqualTo(1);

        synced(account("bob", "bob@acme.example", "pw-bob"));
        assertThat(idle.watching("bob")).as("past the cap: polled").isFalse();
        assertThat(idle.cappedCount()).isEqualTo(1);
        assertThat(idle.watchedCount()).isEqualTo(1);

        idle.forget(List.of("ann"));
        assertThat(idle.watchedCount()).isZero();
        synced(account("bob", "bob@acme.example", "pw-bob"));
        assertThat(idle.watching("bob")).as("the freed slot").isTrue();
        assertThat(idle.cappedCount()).isZero();
    }

    private void synced(ImapAccount account) {
        idle.synced(new AccountSummary(account.id(), account.emailAddress(), account.emailAddress(), account.endpoint(),
                false, FolderChoice.named(List.of("INBOX")), Optional.empty(), 1), Optional.of(account));
    }

    private ImapAccount account(String id, String login, String password) {
        return ImapAccount.builder().id(id).emailAddress(login)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(login, password)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }
}
