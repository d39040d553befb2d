package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.SettableClock;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The IDLE watcher against a scripted server over implicit TLS: the exact commands it sends
 * (EXAMINE only, IDLE, DONE, IDLE again), and what it does when the server has no IDLE, drops
 * the connection, says BYE, never answers DONE or refuses the credentials on a reconnect.
 */
class IdleWatcherScriptedTest {
    private static final String ACCOUNT = "idle-1";
    private static final String OWNER = "owner@acme.example";
    private static final String TAG = "[A-Z]{1,3}\\d+";
    private static final String IDLE = "(?i)" + TAG + " IDLE";
    private static final String CAPABILITIES = "IMAP4rev1 IDLE";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ScriptedImapServer server;
    private IdleWatcher watcher;
    private final AtomicInteger callbacks = new AtomicInteger();
    private final CountDownLatch newMail = new CountDownLatch(1);
    private final List<String> stops = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private IdleWatcher.Builder watcherBuilder() {
        return IdleWatcher.builder()
                .onNewMail(id -> {
                    assertThat(id).isEqualTo(ACCOUNT);
                    callbacks.incrementAndGet();
                    newMail.countDown();
                })
                .onStopped((id, reason) -> {
                    stops.add(id + ": " + reason);
                    stopped.countDown();
                })
                .reconnectBackoff(Duration.ofMillis(50))
                .threadNamePrefix("test-idle-");
    }

    private void start(IntFunction<Script> scripts) {
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), scripts);
    }

    private ImapAccount account(Duration readTimeout) {
        return account(ACCOUNT, readTimeout);
    }

    private ImapAccount account(String id) {
        return account(id, Duration.ofSeconds(5));
    }

    private ImapAccount account(String id, Duration readTimeout) {
        return ImapAccount.builder()
                .id(id)
                .emailAddress(OWNER)
                .endpoint(server.host(), server.port(), Security.SSL_TLS)
                .password(OWNER, "owner-password")
                .trustCertificatePem(TestCertificates.localhost().pem())
                .readTimeout(readTimeout)
                .build();
    }

    private ImapAccount account() {
        return account(Duration.ofSeconds(5));
    }

    /** Answers for a whole session; IDLE is answered with a continuation, then OK after DONE. */
    private static Map<String, List<String>> answers(String capabilities, String... listLines) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + capabilities, "{tag} OK CAPABILITY completed"));
        answers.put("(?is)" + TAG + " LOGIN .*", List.of("{tag} OK [CAPABILITY " + capabilities + "] Logged in"));
        List<String> list = new java.util.ArrayList<>(List.of(listLines.length == 0
                ? new String[] {"* LIST () \".\" INBOX", "* LIST () \".\" Sent"} : listLines));
        list.add("{tag} OK LIST completed");
        answers.put("(?i)" + TAG + " LIST .*", list);
        answers.put("(?i)" + TAG + " EXAMINE .*", List.of("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* 3 EXISTS", "* 0 RECENT", "* OK [UIDVALIDITY 7] UIDs valid", "* OK [UIDNEXT 4] Predicted next UID",
                "{tag} OK [READ-ONLY] EXAMINE completed"));
        answers.put(IDLE, List.of("+ idling", "{tag} OK IDLE terminated"));
        answers.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
        return answers;
    }

    private static Script greeting(String capabilities) {
        return new Script().send("* OK [CAPABILITY " + capabilities + "] scripted server ready");
    }

    /** A whole, well-behaved session. */
    private static Script session() {
        return greeting(CAPABILITIES).answerCommands(answers(CAPABILITIES));
    }

    /** Logs in and examines, then lets {@code idle} play from the client's IDLE on (it must send the continuation). */
    private static Script untilIdle() {
        Map<String, List<String>> answers = answers(CAPABILITIES);
        answers.put(IDLE, List.of());
        return greeting(CAPABILITIES).answerCommandsUntil(IDLE, answers);
    }

    private List<String> commands() {
        return server.receivedLines().stream().map(ReceivedLine::text).toList();
    }

    @Test
    void aServerWithoutIdleIsNotWatchedAndNothingMoreIsOpened() {
        start(i -> greeting("IMAP4rev1").answerCommands(answers("IMAP4rev1")));
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isFalse();

        assertThat(watcher.isWatching(ACCOUNT)).isFalse();
        watcher.close();
        server.close();
        assertThat(server.connectionCount()).isEqualTo(1);
        assertThat(commands()).noneMatch(c -> c.matches("(?i)" + TAG + " (LIST|EXAMINE|SELECT|IDLE).*"));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-idle-" + ACCOUNT));
    }

    @Test
    void idleIsEndedWithDoneAndIssuedAgainOnTheSameConnection() throws Exception {
        start(i -> session());
        watcher = watcherBuilder().reissueAfter(Duration.ofMillis(300)).build();

        assertThat(watcher.watch(account())).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("test-idle-" + ACCOUNT));
        Await.until("IDLE was issued three times", WAIT, () -> server.commandsMatching(IDLE) >= 3);

        watcher.unwatch(ACCOUNT);
        assertThat(watcher.isWatching(ACCOUNT)).isFalse();
        server.close();
        server.assertNoFailures();
        assertThat(server.connectionCount()).isEqualTo(1);
        List<String> sent = commands().stream().filter(c -> c.equals("DONE") || c.matches(IDLE)).toList();
        assertThat(sent.size()).isGreaterThanOrEqualTo(6);
        for (int i = 0; i < sent.size(); i++) {
            // strictly alternating: IDLE, DONE, IDLE, DONE, ... (unwatch ends the last IDLE with DONE)
            assertThat(sent.get(i)).as("command %d of %s", i, sent).matches(i % 2 == 0 ? IDLE : "DONE");
        }
        assertThat(commands()).last().asString().matches("(?i)" + TAG + " LOGOUT");
        assertThat(callbacks).hasValue(0);
    }

    @Test
    void existsDuringIdleCallsBackOnceAndTheFolderIsOnlyExamined() throws Exception {
        start(i -> untilIdle()
                .send("+ idling")
                .send("* 4 EXISTS")
                .send("* 1 RECENT")
                .send("* 2 FETCH (FLAGS (\\Seen))")
                .expect("DONE")
                .send("{tag} OK IDLE terminated")
                .answerCommands(answers(CAPABILITIES)));
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isTrue();
        assertThat(newMail.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        watcher.unwatch(ACCOUNT);
        server.close();
        server.assertNoFailures();
        assertThat(callbacks).hasValue(1);
        assertThat(server.connectionCount()).isEqualTo(1);
        List<String> commands = commands();
        assertThat(commands).anyMatch(c -> c.matches("(?i)" + TAG + " EXAMINE INBOX"));
        assertThat(commands).noneMatch(c -> c.matches("(?i)" + TAG + " (SELECT|STORE|UID STORE|EXPUNGE|APPEND|COPY|MOVE).*"));
    }

    @Test
    void onGmailTheAllMailFolderIsWatched() throws Exception {
        String gmail = "IMAP4rev1 IDLE X-GM-EXT-1";
        start(i -> greeting(gmail).answerCommands(answers(gmail,
                "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
                "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"",
                "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"",
                "* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"")));
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isTrue();

        watcher.unwatch(ACCOUNT);
        server.close();
        assertThat(commands()).anyMatch(c -> c.matches("(?i)" + TAG + " EXAMINE \"\\[Gmail]/All Mail\""));
        assertThat(commands()).noneMatch(c -> c.matches("(?i)" + TAG + " (SELECT|EXAMINE) \"?INBOX\"?"));
    }

    @Test
    void aDroppedConnectionIsReplacedAndTheCallbackFires() throws Exception {
        start(i -> i == 0 ? untilIdle().send("+ idling").hangUp() : session());
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isTrue();
        assertThat(newMail.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Await.until("the second connection idles", WAIT, () -> server.commandsMatching(IDLE) >= 2);

        assertThat(watcher.isWatching(ACCOUNT)).isTrue();
        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(callbacks).hasValue(1);
    }

    @Test
    void theWaitBeforeAReconnectIsMeasuredOnTheWatchersClock() throws Exception {
        start(i -> i == 0 ? untilIdle().send("+ idling").hangUp() : session());
        SettableClock clock = SettableClock.at(Instant.parse("2026-01-05T09:00:00Z"));
        watcher = watcherBuilder().reconnectBackoff(Duration.ofMinutes(1)).clock(clock).build();

        assertThat(watcher.watch(account())).isTrue();
        // the connection is dropped at once; on a clock that stands still the watcher keeps waiting
        assertThat(newMail.await(1_500, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(server.connectionCount()).isEqualTo(1);
        assertThat(watcher.isWatching(ACCOUNT)).isTrue();

        clock.advance(Duration.ofMinutes(1));
        assertThat(newMail.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Await.until("the second connection idles", WAIT, () -> server.commandsMatching(IDLE) >= 2);
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void byeDuringIdleIsAReconnect() throws Exception {
        start(i -> i == 0 ? untilIdle().send("+ idling").send("* BYE server shutting down").hangUp() : session());
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isTrue();
        assertThat(newMail.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Await.until("the second connection idles", WAIT, () -> server.commandsMatching(IDLE) >= 2);

        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(watcher.isWatching(ACCOUNT)).isTrue();
    }

    @Test
    void aDoneWithoutAnswerMeansADeadConnectionWhichIsReplaced() throws Exception {
        start(i -> i == 0 ? untilIdle().send("+ idling").silence() : session());
        watcher = watcherBuilder().reissueAfter(Duration.ofMillis(200)).build();
        long started = System.nanoTime();

        assertThat(watcher.watch(account(Duration.ofSeconds(1)))).isTrue();
        assertThat(newMail.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(server.connectionCount()).isEqualTo(2);
        // DONE after 200 ms, then at most one read timeout (1 s) for its answer, then the reconnect
        assertThat(millis).isBetween(1_000L, 5_000L);
        assertThat(commands()).contains("DONE");
    }

    @Test
    void quietIdleOutlastsTheReadTimeout() throws Exception {
        start(i -> untilIdle()
                .send("+ idling")
                .expect("DONE")
                .send("{tag} OK IDLE terminated")
                .answerCommands(answers(CAPABILITIES)));
        watcher = watcherBuilder().reissueAfter(Duration.ofMillis(2_500)).build();

        assertThat(watcher.watch(account(Duration.ofMillis(500)))).isTrue();
        // several read timeouts pass in IDLE: none may count as a failure, and none calls back
        Await.until("IDLE was re-issued after DONE", WAIT, () -> server.commandsMatching(IDLE) >= 2);

        assertThat(server.connectionCount()).isEqualTo(1);
        assertThat(callbacks).hasValue(0);
    }

    @Test
    void anAuthenticationFailureOnReconnectStopsWatchingWithoutRetries() throws Exception {
        start(i -> {
            if (i == 0) {
                return untilIdle().send("+ idling").hangUp();
            }
            Map<String, List<String>> answers = answers(CAPABILITIES);
            answers.put("(?is)" + TAG + " LOGIN .*", List.of("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials"));
            return greeting(CAPABILITIES).answerCommands(answers);
        });
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isTrue();
        assertThat(stopped.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Await.until("the account's thread ended", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("test-idle-" + ACCOUNT)));

        assertThat(stops).singleElement().asString().startsWith(ACCOUNT + ": AUTH_FAILED");
        assertThat(watcher.isWatching(ACCOUNT)).isFalse();
        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(callbacks).hasValue(0);
        assertThat(commands()).noneMatch(c -> c.contains("owner-password") && !c.matches("(?is)" + TAG + " LOGIN .*"));
    }

    @Test
    void aServerThatRefusesTheIdleItAnnouncedIsNotRetried() throws Exception {
        start(i -> {
            Map<String, List<String>> answers = answers(CAPABILITIES);
            answers.put(IDLE, List.of("{tag} BAD IDLE not allowed now"));
            return greeting(CAPABILITIES).answerCommands(answers);
        });
        watcher = watcherBuilder().build();

        assertThat(watcher.watch(account())).isFalse();
        assertThat(stopped.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThat(stops).singleElement().asString().startsWith(ACCOUNT + ": the server refused IDLE");
        assertThat(watcher.isWatching(ACCOUNT)).isFalse();
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    /**
     * close() ends every watch at once, whatever it is doing: nothing is sent or waited for, each
     * connection is closed (the server sees its client go), no thread is left, no callback is
     * made, and nothing can be watched afterwards. No timed assertion: the waits below are
     * generous bounds that only catch a hang (close() itself returns within its close timeout).
     */
    @Test
    void closeEndsEveryWatchAndClosesItsConnection() throws Exception {
        start(i -> session());
        watcher = watcherBuilder().build();
        List<String> ids = List.of("idle-1", "idle-2", "idle-3");
        for (String id : ids) {
            assertThat(watcher.watch(account(id))).as(id).isTrue();
        }
        Await.until("every account idles", WAIT, () -> server.commandsMatching(IDLE) >= ids.size());

        watcher.close();

        assertThat(watcher.watchedAccounts()).isEmpty();
        assertThat(ids).noneMatch(watcher::isWatching);
        assertThat(watcher.watch(account())).isFalse();
        Await.until("every watch thread ended", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("test-idle-")));
        Await.until("the server saw every connection closed by its client", WAIT, () -> Thread.getAllStackTraces()
                .keySet().stream().noneMatch(t -> t.getName().startsWith(ScriptedImapServer.ACCEPTOR_THREAD + "-")));
        assertThat(server.connectionCount()).isEqualTo(ids.size());
        assertThat(callbacks).hasValue(0);
        assertThat(stops).isEmpty();
        server.close();
        // the sockets were closed without TLS's closing alert: all the server may complain of is a read cut short
        assertThat(server.failures()).allSatisfy(f -> assertThat(f).isInstanceOf(java.io.IOException.class));
    }
}
