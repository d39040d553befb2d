package dev.imapsync.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.crash.ExpectedHistory;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Mail;
import dev.imapsync.jdbc.crash.GeneratedMailbox;
import dev.imapsync.jdbc.crash.HistoryCheck;
import dev.imapsync.jdbc.crash.StoredHistory;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import dev.imapsync.testing.FaultyProxy.Direction;
import dev.imapsync.testing.FaultyProxy.Fault;
import dev.imapsync.testing.FaultyProxy;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7's broken network: the engine syncs a Dovecot folder of a few hundred generated
 * messages over implicit TLS through a {@link FaultyProxy}, into an H2 store, while the proxy
 * cuts the connection at 100 random byte offsets (FIN or RST, either direction), freezes it, or
 * throttles it. After each fault the store holds exactly the history up to its checkpoint
 * (never a message beyond it, never one missing below it, none twice), the report never blames
 * the credentials, and a rerun without faults completes with the whole expected history,
 * exactly once.
 *
 * <p>The offsets are spread over the byte count of a clean sync measured first: the range of
 * each direction is split into equal strata and one offset is drawn in each, so every phase
 * (TLS handshake, login, EXAMINE, SEARCH, each batch's FETCH, LOGOUT) gets cuts. Each trial syncs
 * as an account of its own, so it starts from an empty history and its offsets mean the same
 * point of the sync. Seed: {@code -Dimapsync.faults.seed=...}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkFaultDovecotTest {
    private static final long SEED = Long.getLong("imapsync.faults.seed", 20_261_127L);
    private static final int MESSAGES = 240;
    private static final int BATCH = 40;
    private static final int CUTS_SERVER_TO_CLIENT = 75;
    private static final int CUTS_CLIENT_TO_SERVER = 25;
    private static final int FREEZES = 6;
    /** Short, so that a freeze ends in TIMEOUT quickly; clean reruns use the default. */
    private static final Duration SHORT_READ_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private Dovecot dovecot;
    private String folderName;
    private ExpectedHistory expected;
    private InMemoryContactMatcher contacts;
    private JdbcDataSource database;
    private SyncEngine engine;
    private FaultyProxy proxy;
    private long cleanDown;
    private long cleanUp;
    private final HistoryCheck check = new HistoryCheck();
    /** How each faulted sync failed, for the assertion messages. */
    private final List<String> failures = new ArrayList<>();

    @BeforeAll
    void fillFolderAndMeasureACleanSync() throws Exception {
        dovecot = DOVECOT.dovecot();
        folderName = "faults-" + UUID.randomUUID().toString().substring(0, 8);
        GeneratedMailbox mailbox = GeneratedMailbox.generate(SEED, MESSAGES, 0, 0);
        expected = new ExpectedHistory(mailbox.contacts());
        // an administrative connection only while filling: the test must not depend on it staying up
        try (Store admin = admin()) {
            admin.getFolder(folderName).create(Folder.HOLDS_MESSAGES);
            append(admin, mailbox.mails());
        }
        contacts = InMemoryContactMatcher.fromCsv(new StringReader(mailbox.contactsCsv()));

        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:network_faults_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1");
        JdbcSchema.migrate(database);
        engine = SyncEngine.builder()
                .store(JdbcSyncStore.create(database))
                .contactMatcher(contacts)
                .options(SyncOptions.builder().batchSize(BATCH, BATCH, BATCH).initialWindow(Duration.ofDays(3650))
                        .build())
                .build();
        proxy = FaultyProxy.to(dovecot.host(), dovecot.tlsPort());

        proxy.arm(Fault.none());
        SyncReport clean = engine.sync(account("clean", ImapAccount.DEFAULT_READ_TIMEOUT), selection());
        cleanDown = proxy.bytes(Direction.SERVER_TO_CLIENT);
        cleanUp = proxy.bytes(Direction.CLIENT_TO_SERVER);
        assertThat(clean.status()).as("a clean sync through the proxy: %s", clean).isEqualTo(SyncStatus.OK);
        check.assertHolds(StoredHistory.read(database, "clean"), expected.upTo(expected.highestUids()),
                "a clean sync through the proxy");
        System.out.printf("network faults: a clean sync of %d messages in batches of %d exchanges %d bytes down"
                + " and %d up (seed %d)%n", MESSAGES, BATCH, cleanDown, cleanUp, SEED);
    }

    /** APPENDs the mail with its date as INTERNALDATE and tells the expected history each UID. */
    private void append(Store admin, List<Mail> mails) throws MessagingException {
        IMAPFolder folder = (IMAPFolder) admin.getFolder(folderName);
        Session session = Session.getInstance(new Properties());
        List<Message> messages = new ArrayList<>();
        for (Mail mail : mails) {
            messages.add(new MimeMessage(session, new ByteArrayInputStream(mail.rfc822()
                    .getBytes(StandardCharsets.UTF_8))) {
                @Override
                public Date getReceivedDate() {
                    return Date.from(mail.date());
                }
            });
        }
        AppendUID[] uids = folder.appendUIDMessages(messages.toArray(new Message[0]));
        for (int i = 0; i < mails.size(); i++) {
            expected.stored(mails.get(i), uids[i].uid);
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (folderName != null) {
            try (Store admin = admin()) {
                Folder folder = admin.getFolder(folderName);
                if (folder.exists()) {
                    folder.delete(true);
                }
            }
        }
        if (database != null) {
            try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    @Test
    void cutsAtOneHundredRandomOffsetsLoseAndDoubleNothing() throws Exception {
        Random random = new Random(SEED);
        List<Fault> cuts = new ArrayList<>();
        cuts.addAll(stratifiedCuts(Direction.SERVER_TO_CLIENT, cleanDown, CUTS_SERVER_TO_CLIENT, random));
        cuts.addAll(stratifiedCuts(Direction.CLIENT_TO_SERVER, cleanUp, CUTS_CLIENT_TO_SERVER, random));
        int injectedBefore = proxy.faultsInjected();
        Map<String, Integer> outcomes = new TreeMap<>();
        int n = 0;
        for (Fault cut : cuts) {
            String outcome = trial("cut-" + (++n), cut, ImapAccount.DEFAULT_READ_TIMEOUT);
            outcomes.merge(outcome, 1, Integer::sum);
        }
        int injected = proxy.faultsInjected() - injectedBefore;
        printMisclassified();
        System.out.printf("network faults: %d cuts planned, %d injected; faulted syncs ended %s; %s%n", cuts.size(),
                injected, outcomes, check.summary());
        // a run a few bytes shorter than the measured one may end before a cut near its end
        assertThat(injected).as("cuts that fired (outcomes %s)", outcomes).isGreaterThanOrEqualTo(cuts.size() - 3);
        assertThat(outcomes.keySet()).as("the cuts hit the sync, not only its LOGOUT")
                .anyMatch(o -> o.startsWith("CONNECTION_FAILED"));
    }

    @Test
    void aFrozenConnectionEndsInTimeoutAndTheRerunCompletes() throws Exception {
        Random random = new Random(SEED + 1);
        Map<String, Integer> outcomes = new TreeMap<>();
        int injectedBefore = proxy.faultsInjected();
        for (int i = 0; i < FREEZES; i++) {
            Direction direction = i % 3 == 2 ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
            long total = direction == Direction.SERVER_TO_CLIENT ? cleanDown : cleanUp;
            // strata again, and short of the end, so that each freeze lands before the sync is done
            long offset = (long) ((i / 2 + random.nextDouble()) * (total * 0.9) / ((FREEZES + 1) / 2));
            String outcome = trial("freeze-" + i, Fault.freeze(direction, offset), SHORT_READ_TIMEOUT);
            outcomes.merge(outcome, 1, Integer::sum);
        }
        printMisclassified();
        System.out.printf("network faults: %d freezes injected; faulted syncs ended %s; %s%n",
                proxy.faultsInjected() - injectedBefore, outcomes, check.summary());
        assertThat(proxy.faultsInjected() - injectedBefore).isEqualTo(FREEZES);
        assertThat(outcomes).as("every freeze ends the sync as a failure: %s", failures).doesNotContainKey("OK");
        assertThat(outcomes).as("freezes reported as timeouts: %s", failures).containsKey("CONNECTION_FAILED/TIMEOUT");
    }

    @Test
    void aThrottledConnectionCompletesWithinTheReadTimeout() throws Exception {
        String outcome = trial("throttled", Fault.throttle(1024, Duration.ofMillis(1)), SHORT_READ_TIMEOUT);
        assertThat(outcome).isEqualTo("OK");
    }

    @Test
    void aConnectionThrottledBelowTheReadTimeoutEndsInTimeoutAndTheRerunCompletes() throws Exception {
        String outcome = trial("trickle", Fault.throttle(4096, SHORT_READ_TIMEOUT.multipliedBy(2)),
                SHORT_READ_TIMEOUT);
        assertThat(outcome).isEqualTo("CONNECTION_FAILED/TIMEOUT");
    }

    /**
     * A connection cut after the TLS handshake is a lost connection, whatever the sync was doing:
     * the status a person reads must say so. Today a cut while logging in or opening the folder
     * reads "ERROR: unexpected failure while connecting (Connection dropped by server?)" or "the
     * connection broke while connecting (Connection reset)", classified PROTOCOL_ERROR, because
     * the login path and EXAMINE classify with {@code FailureClassifier} (written for probes, where
     * a reset or EOF means "this port speaks another mode") and not with the lost-connection rule
     * that {@code FolderReader} applies to FETCH. Retries still happen (only AUTH_FAILED stops
     * them), so no history is at stake.
     */
    @Test
    void aCutWhileLoggingInOrOpeningTheFolderIsReportedAsALostConnection() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        Random random = new Random(SEED + 2);
        // the first 3 KB down and 800 bytes up hold the TLS handshake, LOGIN, CAPABILITY and EXAMINE
        List<Fault> cuts = new ArrayList<>(stratifiedCuts(Direction.SERVER_TO_CLIENT, 3000, 15, random));
        cuts.addAll(stratifiedCuts(Direction.CLIENT_TO_SERVER, 800, 10, random));
        int n = 0;
        for (Fault cut : cuts) {
            outcomes.merge(trial("early-cut-" + (++n), cut, ImapAccount.DEFAULT_READ_TIMEOUT), 1, Integer::sum);
        }
        assertThat(outcomes.keySet()).as("how the early cuts were reported")
                .isSubsetOf("CONNECTION_FAILED/CONNECTION_LOST", "TLS_FAILED/TLS_HANDSHAKE");
    }

    /** Lists the faulted syncs reported as PROTOCOL_ERROR (see the disabled test above). */
    private void printMisclassified() {
        failures.stream().filter(f -> f.contains("PROTOCOL_ERROR")).forEach(f -> System.out.println(
                "network faults: reported as a protocol error: " + f));
    }

    @BeforeEach
    void forgetFailures() {
        failures.clear();
    }

    /** {@code count} cuts of {@code direction}, one in each of {@code count} equal parts of {@code total} bytes. */
    private static List<Fault> stratifiedCuts(Direction direction, long total, int count, Random random) {
        List<Fault> cuts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long offset = (long) ((i + random.nextDouble()) * total / count);
            cuts.add(Fault.cut(direction, offset, random.nextBoolean()));
        }
        return cuts;
    }

    /**
     * Syncs as a new account through the proxy with {@code fault} armed, checks the store against
     * its checkpoint, reruns without the fault and checks the whole history; returns how the
     * faulted sync ended ({@code STATUS/KIND}).
     */
    private String trial(String accountId, Fault fault, Duration readTimeout) throws SQLException {
        proxy.awaitNoConnections(Duration.ofSeconds(10)); // the last rerun's LOGOUT must not take this fault
        proxy.arm(fault);
        SyncReport faulted = engine.sync(account(accountId, readTimeout), selection());
        proxy.arm(Fault.none());
        faulted.failure().ifPresent(f -> failures.add(accountId + " " + fault + ": " + f.kind() + ": " + f.message()));
        String context = accountId + ", " + fault + ", seed " + SEED + ", ended " + faulted.status() + " "
                + faulted.failure().map(f -> f.kind() + ": " + f.message()).orElse("");

        StoredHistory afterFault = StoredHistory.read(database, accountId);
        long checkpoint = afterFault.checkpoints().getOrDefault(folderName, 0L);
        check.assertHolds(afterFault, expected.upTo(Map.of(GeneratedMailbox.INBOX, checkpoint)),
                "after the fault, up to checkpoint " + checkpoint + " (" + context + ")");
        assertThat(faulted.status()).as("a broken network is never reported as bad credentials (%s)", context)
                .isNotIn(SyncStatus.AUTH_FAILED, SyncStatus.FOLDER_MISSING);
        if (faulted.status() == SyncStatus.OK) {
            assertThat(checkpoint).as("a sync reported OK synced everything (%s)", context)
                    .isEqualTo(expected.highestUids().get(GeneratedMailbox.INBOX));
        }

        SyncReport rerun = engine.sync(account(accountId, ImapAccount.DEFAULT_READ_TIMEOUT), selection());
        assertThat(rerun.status()).as("the rerun after %s: %s", context, rerun).isEqualTo(SyncStatus.OK);
        check.assertHolds(StoredHistory.read(database, accountId), expected.upTo(expected.highestUids()),
                "after the rerun (" + context + ")");
        assertPreviewsOfContactsMailOnly(accountId, context);
        return faulted.status() + faulted.failure().map(f -> "/" + f.kind()).orElse("");
    }

    /**
     * Every message with a contact was recorded with its preview, whether the fault hit its batch's
     * preview fetch or not, and no other message has one.
     */
    private void assertPreviewsOfContactsMailOnly(String accountId, String context) throws SQLException {
        String matched = "EXISTS (SELECT 1 FROM imapsync_activity a WHERE a.account_id = m.account_id"
                + " AND a.message_key = m.message_key)";
        try (Connection c = database.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT SUM(CASE WHEN " + matched
                     + " AND m.preview_text IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN NOT " + matched
                     + " AND m.preview_text IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN " + matched
                     + " THEN 1 ELSE 0 END) FROM imapsync_message m WHERE m.account_id = ?")) {
            select.setString(1, accountId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("contacts' messages without a preview (%s)", context).isZero();
                assertThat(rs.getLong(2)).as("strangers' messages with a preview (%s)", context).isZero();
                assertThat(rs.getLong(3)).as("contacts' messages (%s)", context).isPositive();
            }
        }
    }

    private ImapAccount account(String id, Duration readTimeout) {
        return ImapAccount.builder()
                .id(id)
                .emailAddress(GeneratedMailbox.OWNER)
                .endpoint(proxy.host(), proxy.port(), Security.SSL_TLS)
                .password(Dovecot.PLAIN_USER, dovecot.password())
                .trustCertificatePem(dovecot.certificatePem())
                .readTimeout(readTimeout)
                // the generated mailbox has the owner's mail to the owner: recorded, as before the privacy policies
                .privacy(GeneratedMailbox.RECORD_EVERYTHING)
                .build();
    }

    /**
     * A Jakarta Mail store logged in to Dovecot as the plain user, trusting its certificate only;
     * the caller closes it (not the extension's admin, which would stay open through the faults).
     */
    private Store admin() throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", dovecot.sslContext().getSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        Store admin = Session.getInstance(props).getStore("imaps");
        admin.connect(dovecot.host(), dovecot.tlsPort(), Dovecot.PLAIN_USER, dovecot.password());
        return admin;
    }

    private FolderSelection selection() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(MailFolder.fromList(folderName, ".", List.of()))));
    }
}
