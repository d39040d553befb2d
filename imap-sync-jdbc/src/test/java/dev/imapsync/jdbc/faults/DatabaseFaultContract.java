package dev.imapsync.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.TestDatabase;
import dev.imapsync.jdbc.crash.ExpectedHistory;
import dev.imapsync.jdbc.crash.GeneratedMailbox;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Mail;
import dev.imapsync.jdbc.crash.HistoryCheck;
import dev.imapsync.jdbc.crash.PlainImapServer;
import dev.imapsync.jdbc.crash.StoredHistory;
import dev.imapsync.jdbc.faults.FaultyDataSource.Fault;
import dev.imapsync.jdbc.faults.FaultyDataSource.Kind;
import dev.imapsync.jdbc.faults.FaultyDataSource.Step;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 7's database faults, for each dialect: one multi-batch sync of INBOX and Sent (a few
 * messages in both) from an in-process IMAP server into a {@link JdbcSyncStore} behind a
 * {@link FaultyDataSource}, with the Nth step (statement execution or commit) failing, for every
 * N of the sync: instead of running, after running (the acknowledgement lost), and with a
 * retryable SQLState (serialization failure), before or after the step ran, that the store must
 * absorb by running the batch again. After each fault the checkpoints never run ahead of what was stored (no stored UID above
 * its folder's checkpoint; every message at or below it stored), nothing is stored twice, and a
 * retry completes the whole expected history exactly once. Each trial syncs as an account of its
 * own, so its step N is the same point of the sync.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseFaultContract {
    static final long SEED = 20_261_127L;
    private static final int INBOX = 40;
    private static final int SENT = 20;
    private static final int IN_BOTH = 3;
    private static final int BATCH = 15;
    private static final String PASSWORD = "fault-password";
    /** A connection failure: not retryable, so the sync stops with the store's failure. */
    static final String CONNECTION_FAILURE = "08006";
    /** A serialization failure: the store runs the batch again. */
    static final String SERIALIZATION_FAILURE = "40001";

    private PlainImapServer server;
    private ExpectedHistory expected;
    private InMemoryContactMatcher contacts;
    private TestDatabase database;
    protected FaultyDataSource faulty;
    private SyncEngine engine;
    private List<Step> cleanSteps;
    protected final HistoryCheck check = new HistoryCheck();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    /** A new empty database of the dialect under test. */
    abstract TestDatabase newDatabase();

    /** The dialect's name for the report. */
    abstract String dialect();

    @BeforeAll
    void fillServerAndMeasureACleanSync() throws Exception {
        GeneratedMailbox mailbox = GeneratedMailbox.generate(SEED, INBOX, SENT, IN_BOTH);
        server = new PlainImapServer(GeneratedMailbox.OWNER, PASSWORD);
        expected = new ExpectedHistory(mailbox.contacts());
        for (Mail mail : mailbox.mails()) {
            expected.stored(mail, server.store(mail));
        }
        contacts = InMemoryContactMatcher.fromCsv(new StringReader(mailbox.contactsCsv()));
        database = newDatabase();
        JdbcSchema.migrate(database.dataSource());
        faulty = new FaultyDataSource(database.dataSource());
        engine = SyncEngine.builder()
                .store(JdbcSyncStore.create(faulty.dataSource()))
                .contactMatcher(contacts)
                .options(SyncOptions.builder().batchSize(BATCH, BATCH, BATCH).initialWindow(Duration.ofDays(3650))
                        .build())
                .build();

        faulty.arm(Fault.none());
        SyncReport clean = engine.sync(account("clean"), selection());
        cleanSteps = faulty.steps();
        assertThat(clean.status()).as("%s", clean).isEqualTo(SyncStatus.OK);
        assertStoreMatchesCheckpoints("clean", "a clean sync");
        assertThat(StoredHistory.read(database.dataSource(), "clean").checkpoints())
                .isEqualTo(expected.highestUids());
        assertThat(cleanSteps.stream().filter(s -> s.kind() == Kind.COMMIT).count())
                .as("batches committed by a clean sync: %s", cleanSteps).isGreaterThanOrEqualTo(5);
    }

    @AfterAll
    void close() throws Exception {
        System.out.printf("database faults on %s: %d steps in a sync of %d + %d messages in batches of %d; %d faults"
                        + " injected; faulted syncs ended %s; %s%n", dialect(), cleanSteps == null ? 0 : cleanSteps.size(),
                INBOX, SENT, BATCH, faulty == null ? 0 : faulty.faultsInjected(), outcomes, check.summary());
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void everyStepFailingInsteadOfRunningLeavesTheCheckpointTrueAndTheRetryCompletes() throws SQLException {
        everyStep("fails", n -> Fault.failBefore(n, CONNECTION_FAILURE));
    }

    @Test
    void everyStepFailingAfterItRanLeavesTheCheckpointTrueAndTheRetryCompletes() throws SQLException {
        everyStep("fails after running", n -> Fault.failAfter(n, CONNECTION_FAILURE));
    }

    @Test
    void aRetryableFailureAtAnyStepOfACommitIsAbsorbedByRunningTheBatchAgain() throws SQLException {
        Map<Integer, String> endings = everyStep("serialization failure",
                n -> Fault.failBefore(n, SERIALIZATION_FAILURE));
        for (Step step : cleanSteps) {
            if (insideABatchCommit(step)) {
                assertThat(endings.get(step.number())).as("a serialization failure at %s", step).isEqualTo("OK");
            }
        }
    }

    /**
     * The worst case of a retry: the step ran (a commit included: the batch is stored) but the
     * driver reported a serialization failure, so the store runs the batch again over rows it
     * already holds. The sync still completes in the same run, with each row once.
     */
    @Test
    void aRetryableFailureReportedAfterAStepRanIsRetriedWithoutDoubling() throws SQLException {
        Map<Integer, String> endings = everyStep("serialization failure after running",
                n -> Fault.failAfter(n, SERIALIZATION_FAILURE));
        for (Step step : cleanSteps) {
            if (insideABatchCommit(step)) {
                assertThat(endings.get(step.number())).as("a serialization failure after %s", step).isEqualTo("OK");
            }
        }
    }

    /** Runs one trial per step of a clean sync with the fault {@code faultAt} makes; returns how each sync ended. */
    protected Map<Integer, String> everyStep(String name, IntFunction<Fault> faultAt) throws SQLException {
        Map<Integer, String> endings = new HashMap<>();
        int before = faulty.faultsInjected();
        for (Step step : cleanSteps) {
            String accountId = name.replace(' ', '-') + "-" + step.number();
            String ending = trial(accountId, faultAt.apply(step.number()), step.toString());
            endings.put(step.number(), ending);
            outcomes.merge(name + ": " + ending, 1, Integer::sum);
        }
        assertThat(faulty.faultsInjected() - before).as("faults that fired").isEqualTo(cleanSteps.size());
        return endings;
    }

    /**
     * Syncs as {@code accountId} with {@code fault} armed, checks the store against its
     * checkpoints, then retries without it and checks the whole history; returns how the faulted
     * sync ended (its status, or {@code threw} when the store's failure came out as an exception).
     */
    protected String trial(String accountId, Fault fault, String where) throws SQLException {
        faulty.arm(fault);
        String ending;
        try {
            ending = engine.sync(account(accountId), selection()).status().name();
        } catch (ImapSyncException e) {
            ending = "threw";
        }
        faulty.arm(Fault.none());
        String context = dialect() + ", " + fault + " at " + where + ", the sync " + ending;
        assertStoreMatchesCheckpoints(accountId, context);

        SyncReport retry = engine.sync(account(accountId), selection());
        assertThat(retry.status()).as("the retry after %s: %s", context, retry).isEqualTo(SyncStatus.OK);
        StoredHistory done = StoredHistory.read(database.dataSource(), accountId);
        check.assertHolds(done, expected.upTo(expected.highestUids()), "after the retry (" + context + ")");
        assertThat(done.checkpoints()).as("checkpoints after the retry (%s)", context).isEqualTo(expected.highestUids());
        return ending;
    }

    /**
     * The store holds exactly the history its checkpoints promise: no message stored with a UID
     * above its folder's checkpoint, every message at or below it stored, nothing twice.
     */
    private void assertStoreMatchesCheckpoints(String accountId, String context) throws SQLException {
        StoredHistory stored = StoredHistory.read(database.dataSource(), accountId);
        Map<String, Long> highestStored = highestStoredUids(database.dataSource(), accountId);
        for (Map.Entry<String, Long> e : highestStored.entrySet()) {
            assertThat(e.getValue()).as("highest UID stored in %s vs its checkpoint (%s)", e.getKey(), context)
                    .isLessThanOrEqualTo(stored.checkpoints().getOrDefault(e.getKey(), 0L));
        }
        check.assertHolds(stored, expected.upTo(stored.checkpoints()), "up to the checkpoints " + stored.checkpoints()
                + " (" + context + ")");
    }

    private static Map<String, Long> highestStoredUids(DataSource dataSource, String accountId) throws SQLException {
        Map<String, Long> highest = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT folder, MAX(uid) FROM imapsync_message"
                     + " WHERE account_id = ? GROUP BY folder")) {
            select.setString(1, accountId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    highest.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return highest;
    }

    /** Whether a step is part of a batch's transaction (not the checkpoint read before a folder, not the status). */
    static boolean insideABatchCommit(Step step) {
        if (step.kind() == Kind.COMMIT) {
            return true;
        }
        String sql = step.sql() == null ? "" : step.sql();
        boolean checkpointRead = sql.contains("FROM imapsync_checkpoint") && !sql.contains("FOR UPDATE");
        return !checkpointRead && !sql.contains("imapsync_account_status");
    }

    protected List<Step> cleanSteps() {
        return cleanSteps;
    }

    protected TestDatabase database() {
        return database;
    }

    private ImapAccount account(String id) {
        return ImapAccount.builder()
                .id(id)
                .emailAddress(GeneratedMailbox.OWNER)
                .endpoint("127.0.0.1", server.port(), Security.NONE)
                .allowInsecure(true)
                .password(GeneratedMailbox.OWNER, PASSWORD)
                .privacy(GeneratedMailbox.RECORD_ALL)
                .build();
    }

    static FolderSelection selection() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(
                MailFolder.fromList(GeneratedMailbox.INBOX, ".", List.of()),
                MailFolder.fromList(GeneratedMailbox.SENT, ".", List.of("\\Sent")))));
    }
}
