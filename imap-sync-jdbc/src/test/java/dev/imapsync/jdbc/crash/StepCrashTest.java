package dev.imapsync.jdbc.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Mail;
import dev.imapsync.jdbc.faults.FaultyDataSource;
import dev.imapsync.jdbc.faults.FaultyDataSource.Fault;
import dev.imapsync.jdbc.faults.FaultyDataSource.Kind;
import dev.imapsync.jdbc.faults.FaultyDataSource.Step;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ChildJvm;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash at every step, in the manner of mbsync's test suite: a small sync (INBOX and Sent, a few
 * messages in both, several batches each) is run in a child JVM that halts itself
 * ({@link Runtime#halt}, no shutdown hooks, no rollback, like a power cut) just before step N of
 * its store's connections, for every N of the sync: before each statement inside a batch's
 * transaction, before each commit, just after each commit, before the checkpoint reads and the
 * status. The steps are those of a clean sync, counted in-process first. Each halted run syncs
 * an account of its own into one H2 file; then a fresh child resumes every account: what each
 * held when resumed is exactly the history up to its checkpoints, and after the resume each holds
 * the whole expected history, exactly once, like an account synced from nothing.
 */
class StepCrashTest {
    private static final long SEED = 20_261_128L;
    private static final int INBOX = 16;
    private static final int SENT = 12;
    private static final int IN_BOTH = 2;
    private static final int BATCH = 8;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_TAIL = 40;

    @Test
    void aSyncHaltedAtEveryStepAndResumedEndsWithTheHistoryOfACleanSync(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        GeneratedMailbox mailbox = GeneratedMailbox.generate(SEED, INBOX, SENT, IN_BOTH);
        Path log = dir.resolve("children.log");
        try (PlainImapServer server = new PlainImapServer(GeneratedMailbox.OWNER, SyncChild.PASSWORD)) {
            ExpectedHistory expected = new ExpectedHistory(mailbox.contacts());
            for (Mail mail : mailbox.mails()) {
                expected.stored(mail, server.store(mail));
            }
            Path contacts = dir.resolve("contacts.csv");
            Files.writeString(contacts, mailbox.contactsCsv(), StandardCharsets.UTF_8);
            List<Step> steps = stepsOfACleanSync(server.port(), mailbox.contactsCsv());
            assertThat(steps.stream().filter(s -> s.kind() == Kind.COMMIT).count()).as("batches: %s", steps)
                    .isGreaterThanOrEqualTo(4);

            ScratchDatabase database = ScratchDatabase.h2File(dir.resolve("history"));
            JdbcSchema.migrate(database.dataSource());
            List<String> common = List.of(String.valueOf(server.port()), database.url(), contacts.toString(),
                    String.valueOf(BATCH));

            Map<String, Step> halted = new LinkedHashMap<>();
            for (Step step : steps) {
                halt(common, "before-" + step.number(), step, false, log);
                halted.put("before-" + step.number(), step);
                if (step.kind() == Kind.COMMIT) {
                    halt(common, "after-" + step.number(), step, true, log);
                    halted.put("after-" + step.number(), step);
                }
            }
            long haltsDone = System.nanoTime();

            List<String> accounts = new ArrayList<>(halted.keySet());
            accounts.add("from-nothing");
            Map<String, State> resumedFrom = resume(common, accounts, expected, log);

            HistoryCheck check = new HistoryCheck();
            try (Connection connection = database.dataSource().getConnection()) {
                for (String account : accounts) {
                    StoredHistory stored = StoredHistory.read(connection, account);
                    check.assertHolds(stored, expected.upTo(expected.highestUids()), "account " + account
                            + " resumed from " + resumedFrom.get(account) + " (seed " + SEED + ")");
                    assertThat(stored.checkpoints()).as("checkpoints of %s", account).isEqualTo(expected.highestUids());
                }
            }
            long total = expected.activities().size();
            long midSync = resumedFrom.values().stream().filter(s -> s.activities() > 0 && s.activities() < total)
                    .count();
            System.out.printf("step crash test: %d steps, %d halts (before each step, after each of %d commits),"
                            + " %d of them mid-sync; every account resumed to the whole history; %s;"
                            + " halts %d ms, resume and checks %d ms (seed %d)%n", steps.size(), halted.size(),
                    halted.size() - steps.size(), midSync, check.summary(), millis(started, haltsDone),
                    millis(haltsDone, System.nanoTime()), SEED);
            assertThat(midSync).as("halts that left some but not all of the history").isGreaterThan(halted.size() / 2);
        }
    }

    /** The steps a clean sync of a fresh account takes, counted in-process on an in-memory H2. */
    private static List<Step> stepsOfACleanSync(int port, String contactsCsv) throws Exception {
        JdbcDataSource memory = new JdbcDataSource();
        memory.setURL("jdbc:h2:mem:steps_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        JdbcSchema.migrate(memory);
        FaultyDataSource counting = new FaultyDataSource(memory);
        counting.arm(Fault.none());
        SyncReport clean = SyncChild.engine(counting.dataSource(),
                        InMemoryContactMatcher.fromCsv(new StringReader(contactsCsv)), BATCH, SyncListener.NONE)
                .sync(SyncChild.account(port, "counting"), SyncChild.selection());
        assertThat(clean.status()).as("%s", clean).isEqualTo(SyncStatus.OK);
        List<Step> steps = counting.steps();
        try (Connection c = memory.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        }
        return steps;
    }

    /** Runs a child that syncs {@code account} and halts at {@code step}; checks it halted there. */
    private static void halt(List<String> common, String account, Step step, boolean after, Path log)
            throws Exception {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("halt", account, String.valueOf(step.number()), after ? "after" : "before"));
        header(log, account + ": halt " + (after ? "after " : "before ") + step);
        try (ChildJvm child = ChildJvm.builder(StepCrashChild.class).args(args).log(log).start()) {
            Optional<String> halt = awaitLine(child, "HALT ");
            if (!child.awaitExit(CHILD_TIMEOUT)) {
                fail("The child for %s did not end within %s. Child log:%n%s", account, CHILD_TIMEOUT,
                        ChildJvm.tail(log, LOG_TAIL));
            }
            assertThat(halt).as("the child for %s halted at %s (seed %d). Child log:%n%s", account, step, SEED,
                    ChildJvm.tail(log, LOG_TAIL)).hasValueSatisfying(l -> assertThat(l)
                    .startsWith("HALT " + step.number() + (after ? " after " : " before ")));
            assertThat(child.exitCode()).isEqualTo(FaultyDataSource.HALT_EXIT_CODE);
        }
    }

    /**
     * Resumes every account in one fresh child; checks that each held exactly the history up to
     * its checkpoints when resumed, and that each resumed sync ended OK. Returns what each held.
     */
    private static Map<String, State> resume(List<String> common, List<String> accounts, ExpectedHistory expected,
                                             Path log) throws Exception {
        List<String> args = new ArrayList<>(common);
        args.add("resume");
        args.addAll(accounts);
        header(log, "resume " + accounts.size() + " accounts");
        Map<String, State> states = new LinkedHashMap<>();
        try (ChildJvm child = ChildJvm.builder(StepCrashChild.class).args(args).log(log).start()) {
            for (String account : accounts) {
                Optional<String> resumed = awaitLine(child, "RESUME " + account + " ");
                if (resumed.isEmpty()) {
                    fail("The resuming child did not report account %s. Child log:%n%s", account,
                            ChildJvm.tail(log, LOG_TAIL));
                }
                State found = State.parse(resumed.get().substring(("RESUME " + account + " ").length()));
                assertThat(found).as("what account %s held when resumed: the history up to its checkpoints"
                                + " INBOX %d, Sent %d (seed %d)", account, found.inboxUid(), found.sentUid(), SEED)
                        .isEqualTo(State.expected(expected, found.checkpoints()));
                states.put(account, found);
                Optional<String> done = awaitLine(child, "DONE " + account + " ");
                assertThat(done).as("the resumed sync of %s. Child log:%n%s", account, ChildJvm.tail(log, LOG_TAIL))
                        .hasValue("DONE " + account + " OK");
            }
            if (!child.awaitExit(CHILD_TIMEOUT)) {
                fail("The resuming child did not end within %s", CHILD_TIMEOUT);
            }
            assertThat(child.exitCode()).isZero();
        }
        return states;
    }

    private static Optional<String> awaitLine(ChildJvm child, String prefix) throws InterruptedException {
        while (true) {
            Optional<String> line = child.nextLine(CHILD_TIMEOUT);
            if (line.isEmpty() || line.get().startsWith(prefix)) {
                return line;
            }
        }
    }

    private static void header(Path log, String text) throws IOException {
        Files.writeString(log, "===== " + text + " =====\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static long millis(long from, long to) {
        return Duration.ofNanos(to - from).toMillis();
    }
}
