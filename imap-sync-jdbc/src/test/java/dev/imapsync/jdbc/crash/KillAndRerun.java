package dev.imapsync.jdbc.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.crash.ExpectedHistory.Activity;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Contact;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Mail;
import dev.imapsync.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * One crash test against one database: fills an in-process IMAP server with generated mail,
 * runs {@link SyncChild} in a child JVM and kills it with SIGKILL at a random point, again and
 * again, each time checking that what the store held when the next child started is exactly
 * what its checkpoints promise; then runs a child to completion and compares the whole history
 * with the one worked out from the generated mail.
 *
 * <p>Kill points: one run in five is killed after a random delay from its start (JVM start,
 * schema migration, login); the others after a random number of committed batches (chosen so
 * the kills spread over the whole sync) plus a random part of the next batch's time, so kills
 * land while fetching and while committing.
 */
final class KillAndRerun {
    static final long DEFAULT_SEED = 20_260_404L;
    static final int DEFAULT_KILLS = 20;
    private static final int INBOX_MESSAGES = 2000;
    private static final int SENT_MESSAGES = 1000;
    private static final int IN_BOTH = 4;
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FINAL_RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final int LOG_TAIL = 40;

    /** What happened: kills performed, and how many of them left the store between empty and complete. */
    record Result(int kills, int midSyncKills) {
    }

    private final ScratchDatabase database;
    private final Path dir;
    private final Path log;
    private final long seed = Long.getLong("imapsync.crash.seed", DEFAULT_SEED);
    private final int rounds = Integer.getInteger("imapsync.crash.kills", DEFAULT_KILLS);
    private final List<State> states = new ArrayList<>();
    private final long started = System.nanoTime();
    private ExpectedHistory expected;

    KillAndRerun(ScratchDatabase database, Path dir) {
        this.database = database;
        this.dir = dir;
        this.log = dir.resolve("children.log");
    }

    Result run() throws Exception {
        System.out.printf("crash test on %s: seed %d (repeat with -Dimapsync.crash.seed=%d), %d kills%n",
                database, seed, seed, rounds);
        GeneratedMailbox mailbox = GeneratedMailbox.generate(seed, INBOX_MESSAGES, SENT_MESSAGES, IN_BOTH);
        try (PlainImapServer server = new PlainImapServer(GeneratedMailbox.OWNER, SyncChild.PASSWORD)) {
            expected = new ExpectedHistory(mailbox.contacts());
            fill(server, mailbox.mails());
            Path contacts = dir.resolve("contacts.csv");
            Files.writeString(contacts, mailbox.contactsCsv(), StandardCharsets.UTF_8);
            List<String> args = List.of(String.valueOf(server.port()), database.url(), contacts.toString());
            long filled = System.nanoTime();

            Random random = new Random(seed * 31 + 7);
            int kills = 0;
            for (int round = 1; round <= rounds; round++) {
                logHeader("run " + round + " of " + rounds + ", to be killed");
                try (ChildJvm child = ChildJvm.builder(SyncChild.class).args(args).log(log).start()) {
                    KillPoint point = killSomewhere(child, random, rounds - round + 1);
                    kills += point.killed() ? 1 : 0;
                    drainStates(child);
                    logHeader((point.killed() ? "killed " : "not killed: ") + point.description());
                    if (!point.killed()) {
                        assertThat(child.exitCode()).as("exit code of run %d, which ended before its kill point"
                                + " (seed %d); child log:%n%s", round, seed, ChildJvm.tail(log, LOG_TAIL)).isZero();
                    }
                }
            }
            long killed = System.nanoTime();
            logHeader("final run, to completion");
            runToCompletion(args);
            // one connection held open across the checks: an embedded H2 database closes with its last
            // connection, and opening and closing it dozens of times in a row has corrupted the file under
            // load ("Double mark", H2 issue 2752), which is not what this test is about
            try (Connection connection = database.dataSource().getConnection()) {
                assertComplete(connection);
                assertContactHistories(mailbox.contacts());
            }

            long total = expected.activities().size();
            int midSync = (int) states.stream().filter(s -> s.activities() > 0 && s.activities() < total).count();
            System.out.printf("crash test on %s: %d kills; last UIDs (INBOX/Sent) at each start %s; filling the"
                            + " server %d ms, killed runs %d ms, final run and checks %d ms%n", database, kills,
                    states.stream().map(s -> s.inboxUid() + "/" + s.sentUid()).toList(), millis(started, filled),
                    millis(filled, killed), millis(killed, System.nanoTime()));
            assertThat(midSync).as("runs that started with some but not all of the history stored, after %d kills"
                    + " (seed %d); states: %s", kills, seed, states).isGreaterThanOrEqualTo(kills / 2);
            return new Result(kills, midSync);
        }
    }

    private static long millis(long from, long to) {
        return Duration.ofNanos(to - from).toMillis();
    }

    /**
     * Stores the mail in the server, the folders in parallel (GreenMail appends take a few
     * milliseconds each), and tells the expected history where each message went.
     */
    private void fill(PlainImapServer server, List<Mail> mails) {
        long[] uids = new long[mails.size()];
        List<CompletableFuture<Void>> folders = Stream.of(GeneratedMailbox.INBOX, GeneratedMailbox.SENT)
                .map(folder -> CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < mails.size(); i++) {
                        if (mails.get(i).folder().equals(folder)) {
                            uids[i] = server.store(mails.get(i));
                        }
                    }
                })).toList();
        folders.forEach(CompletableFuture::join);
        for (int i = 0; i < mails.size(); i++) {
            expected.stored(mails.get(i), uids[i]);
        }
    }

    /** Where a run was killed, for the log and the report; {@code killed} is false when it finished first. */
    private record KillPoint(boolean killed, String description) {
    }

    /**
     * Lets the child run to a random point and kills it there: one run in five a random time
     * after its start, the others after a random number of committed batches and a random part
     * of the time the last one took.
     */
    private KillPoint killSomewhere(ChildJvm child, Random random, int roundsLeft) throws InterruptedException {
        long start = System.nanoTime();
        if (random.nextInt(5) == 0) {
            child.awaitExit(Duration.ofMillis(random.nextInt(1500)));
            return new KillPoint(child.kill(), "at " + millis(start, System.nanoTime()) + " ms from the start");
        }
        State state = awaitState(child);
        long stateAt = System.nanoTime();
        Map<String, Long> highest = expected.highestUids();
        long remaining = batches(highest.get(GeneratedMailbox.INBOX) - state.inboxUid())
                + batches(highest.get(GeneratedMailbox.SENT) - state.sentUid());
        long perRound = Math.max(1, remaining / (roundsLeft + 1));
        long batches = 1 + random.nextInt((int) (2 * perRound - 1));
        long lastBatchAt = stateAt;
        long batchNanos = 0;
        for (long b = 0; b < batches; b++) {
            if (awaitLine(child, "BATCH ").isEmpty()) {
                return new KillPoint(false, "finished before " + batches + " batches");
            }
            long now = System.nanoTime();
            batchNanos = now - lastBatchAt;
            lastBatchAt = now;
        }
        long delay = (long) (random.nextDouble() * batchNanos);
        child.awaitExit(Duration.ofNanos(delay));
        return new KillPoint(child.kill(), String.format("%d ms from the start: %d batches and %d ms after STATE,"
                + " which came at %d ms", millis(start, System.nanoTime()), batches, Duration.ofNanos(delay).toMillis(),
                millis(start, stateAt)));
    }

    private void runToCompletion(List<String> args) throws Exception {
        try (ChildJvm child = ChildJvm.builder(SyncChild.class).args(args).log(log).start()) {
            awaitState(child);
            if (!child.awaitExit(FINAL_RUN_TIMEOUT)) {
                fail("The final run did not finish within %s (seed %d). Child log:%n%s", FINAL_RUN_TIMEOUT, seed,
                        ChildJvm.tail(log, LOG_TAIL));
            }
            int exit = child.exitCode();
            drainStates(child);
            assertThat(exit).as("exit code of the final run (seed %d); child log:%n%s", seed,
                    ChildJvm.tail(log, LOG_TAIL)).isZero();
        }
    }

    /** Reads the child's output up to its STATE line, and checks that state. */
    private State awaitState(ChildJvm child) throws InterruptedException {
        Optional<String> line = awaitLine(child, "STATE ");
        if (line.isEmpty()) {
            fail("A child ended or went silent before reporting the store's state (seed %d); the database must"
                    + " open after any kill. Child log:%n%s", seed, ChildJvm.tail(log, LOG_TAIL));
        }
        return states.get(states.size() - 1);
    }

    /** The next line starting with {@code prefix}; empty when the output ended first. STATE lines are checked. */
    private Optional<String> awaitLine(ChildJvm child, String prefix) throws InterruptedException {
        while (true) {
            Optional<String> line = child.nextLine(LINE_TIMEOUT);
            if (line.isEmpty()) {
                return line;
            }
            if (State.isLine(line.get())) {
                check(State.parse(line.get()));
            }
            if (line.get().startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Reads what is left of a killed or finished child's output, checking a STATE line if it comes now. */
    private void drainStates(ChildJvm child) throws InterruptedException {
        while (awaitLine(child, "\u0000").isPresent()) {
            // awaitLine checked any STATE line
        }
    }

    /**
     * A run started: its store holds exactly the messages and activities of the UIDs up to its
     * checkpoints, each once. Anything else means a batch was torn apart or written twice.
     */
    private void check(State found) {
        State promised = State.expected(expected, found.checkpoints());
        assertThat(found).as("the store when run %d started (seed %d): checkpoints INBOX %d, Sent %d promise %d"
                        + " messages and %d activities. Child log:%n%s", states.size() + 1, seed, found.inboxUid(),
                found.sentUid(), promised.messages(), promised.activities(), ChildJvm.tail(log, LOG_TAIL))
                .isEqualTo(promised);
        states.add(found);
    }

    private void assertComplete(Connection connection) throws Exception {
        StoredHistory stored = StoredHistory.read(connection, SyncChild.ACCOUNT_ID);
        String context = "seed " + seed + ", after " + states.size() + " runs";
        HistoryCheck.assertSameRows("imapsync_message rows", stored.messages(), expected.messages(), context);
        HistoryCheck.assertSameRows("imapsync_activity rows", stored.activities(), expected.activities(), context);
        assertThat(stored.checkpoints()).as("last UID of each folder's checkpoint = the folder's highest UID (%s)",
                context).isEqualTo(expected.highestUids());
    }

    /** The public read path agrees: each contact's history is its expected activities. */
    private void assertContactHistories(List<Contact> contacts) {
        JdbcSyncStore store = JdbcSyncStore.create(database.dataSource());
        Map<String, Set<Activity>> byContact = new HashMap<>();
        for (Activity a : expected.activities()) {
            byContact.computeIfAbsent(a.contactId(), c -> new HashSet<>()).add(a);
        }
        for (Contact contact : contacts) {
            List<Activity> history = store.history(contact.id(), 100_000).stream().map(KillAndRerun::activity).toList();
            HistoryCheck.assertSameRows("history of contact " + contact.id(), history,
                    byContact.getOrDefault(contact.id(), Set.of()), "seed " + seed);
        }
    }

    private static Activity activity(ContactActivity a) {
        return new Activity(a.messageKey().value(), a.contact().id(), a.role().name(), a.direction().name());
    }

    private static long batches(long messages) {
        return (messages + SyncChild.BATCH_SIZE - 1) / SyncChild.BATCH_SIZE;
    }

    private void logHeader(String text) throws IOException {
        Files.writeString(log, "===== " + text + " (" + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms) =====\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
