package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import jakarta.mail.Flags;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IDLE watcher against GreenMail (in-process, IMAPS), which announces IDLE: a message
 * delivered while the watcher idles calls back within seconds, and flags stay untouched.
 */
class IdleWatcherGreenMailTest {
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final long WAIT_MILLIS = 10_000;

    private GreenMailTls server;
    private GreenMailUser user;
    private IdleWatcher watcher;
    private final BlockingQueue<Long> calls = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, PASSWORD);
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
        server.close();
    }

    private ImapAccount account(Duration readTimeout) {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .readTimeout(readTimeout)
                .build();
    }

    private IdleWatcher.Builder builder() {
        return IdleWatcher.builder().onNewMail(id -> {
            assertThat(id).isEqualTo("acct-1");
            calls.add(System.nanoTime());
        });
    }

    private static String message(String id) {
        return "From: Bob <bob@partner.example>\n"
                + "To: " + OWNER + "\n"
                + "Subject: hello " + id + "\n"
                + "Date: Mon, 2 Nov 2026 10:00:00 +0000\n"
                + "Message-ID: <" + id + "@partner.example>\n"
                + "\n"
                + "body\n";
    }

    private List<StoredMessage> inbox() throws Exception {
        return server.greenMail().getManagers().getImapHostManager().getInbox(user).getMessages();
    }

    @Test
    void aMessageDeliveredDuringIdleCallsBackWithinSecondsAndStaysUnseen() throws Exception {
        server.append(user, "INBOX", message("before"));
        watcher = builder().build();

        assertThat(watcher.watch(account(ImapAccount.DEFAULT_READ_TIMEOUT))).isTrue();
        assertThat(watcher.isWatching("acct-1")).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("imap-sync-idle-acct-1"));

        long delivered = System.nanoTime();
        server.append(user, "INBOX", message("during"));
        Long called = calls.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);

        assertThat(called).as("callback after delivery").isNotNull();
        long latencyMillis = TimeUnit.NANOSECONDS.toMillis(called - delivered);
        System.out.println("IdleWatcherGreenMailTest: delivery to callback " + latencyMillis + " ms");
        assertThat(latencyMillis).isLessThan(5_000L);

        long second = System.nanoTime();
        server.append(user, "INBOX", message("second"));
        Long calledAgain = calls.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(calledAgain).as("callback after the second delivery").isNotNull();
        System.out.println("IdleWatcherGreenMailTest: second delivery to callback "
                + TimeUnit.NANOSECONDS.toMillis(calledAgain - second) + " ms");

        assertThat(watcher.unwatch("acct-1")).isTrue();
        assertThat(watcher.isWatching("acct-1")).isFalse();
        assertThat(inbox()).hasSize(3).allSatisfy(m -> {
            assertThat(m.getFlags().contains(Flags.Flag.SEEN)).as("\\Seen of " + m.getUid()).isFalse();
            assertThat(m.getFlags().contains(Flags.Flag.DELETED)).isFalse();
        });
        assertThat(calls).isEmpty();
    }

    @Test
    void messagesInOtherFoldersDoNotCallBack() throws Exception {
        watcher = builder().build();
        assertThat(watcher.watch(account(ImapAccount.DEFAULT_READ_TIMEOUT))).isTrue();

        server.append(user, "Sent", message("sent"));
        server.append(user, "INBOX", message("inbox"));

        assertThat(calls.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isNotNull();
        watcher.close();
        assertThat(calls).isEmpty(); // only the INBOX message called back
    }

    @Test
    void idleIsReissuedAndSurvivesReadTimeoutsThenStillSeesNewMail() throws Exception {
        watcher = builder().reissueAfter(Duration.ofMillis(700)).build();
        assertThat(watcher.watch(account(Duration.ofMillis(400)))).isTrue();

        // quiet for several read timeouts and re-issues: nothing may call back (a reconnect would)
        assertThat(calls.poll(2_500, TimeUnit.MILLISECONDS)).isNull();

        long delivered = System.nanoTime();
        server.append(user, "INBOX", message("late"));
        Long called = calls.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(called).isNotNull();
        System.out.println("IdleWatcherGreenMailTest: after re-issues, delivery to callback "
                + TimeUnit.NANOSECONDS.toMillis(called - delivered) + " ms");
        assertThat(watcher.isWatching("acct-1")).isTrue();
    }

    @Test
    void aWrongPasswordIsNotWatched() {
        watcher = builder().build();
        ImapAccount wrong = account(ImapAccount.DEFAULT_READ_TIMEOUT).toBuilder().password(OWNER, "wrong").build();

        assertThat(watcher.watch(wrong)).isFalse();
        assertThat(watcher.isWatching("acct-1")).isFalse();
    }
}
