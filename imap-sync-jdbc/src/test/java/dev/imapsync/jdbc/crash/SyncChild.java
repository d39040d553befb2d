package dev.imapsync.jdbc.crash;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncListener.BatchProgress;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The process the crash test kills: syncs the test account's INBOX and Sent into a JDBC store,
 * in small batches, telling the parent on stdout how far it is. Arguments: IMAP port, JDBC URL,
 * contacts CSV file. Lines on stdout (everything else goes to stderr):
 * <ul>
 *   <li>{@code STATE ...}: what the store held when this run started, after the schema migration
 *       (see {@link State});</li>
 *   <li>{@code BATCH <folder> <done>}: a batch was committed;</li>
 *   <li>{@code DONE <status>}: the sync ended; the exit code is 0 for {@code OK}, else 2.</li>
 * </ul>
 */
public final class SyncChild {
    static final String ACCOUNT_ID = "crash-account";
    static final String PASSWORD = "crash-password";
    static final int BATCH_SIZE = 50;

    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        // an H2 file writes each commit at once (imap-sync-jdbc's README): with H2's default write
        // delay, closing the database at every commit (no pool holds it open) and opening it again
        // lost committed batches here, a clean exit and no kill; and on H2 2.3.232, after kills, the file
        // reopened without its newest chunks (H2 issue 4247, fixed in 2.4.240). The cycle stays on
        // purpose: it is what the command line, which has no pool, does
        DataSource dataSource = dataSource(args[1].startsWith("jdbc:h2:") ? args[1] + ";WRITE_DELAY=0" : args[1]);
        InMemoryContactMatcher contacts;
        try (Reader csv = Files.newBufferedReader(Path.of(args[2]), StandardCharsets.UTF_8)) {
            contacts = InMemoryContactMatcher.fromCsv(csv);
        }

        JdbcSchema.migrate(dataSource);
        say(State.of(StoredHistory.read(dataSource, ACCOUNT_ID)).line());

        SyncEngine engine = engine(dataSource, contacts, BATCH_SIZE, new SyncListener() {
            @Override
            public void batchCommitted(String accountId, String folder, BatchProgress progress) {
                say("BATCH " + folder + " " + progress.done() + " fetched in " + progress.fetchTime().toMillis()
                        + " ms, committed in " + progress.commitTime().toMillis() + " ms");
            }
        });
        SyncReport report = engine.sync(account(port), selection());
        say("DONE " + report.status() + (report.failure().isPresent() ? " " + report.failure().get().message() : ""));
        System.exit(report.status() == SyncStatus.OK ? 0 : 2);
    }

    /** An engine syncing into a JDBC store on {@code dataSource} in batches of exactly {@code batchSize}. */
    static SyncEngine engine(DataSource dataSource, InMemoryContactMatcher contacts, int batchSize,
                             SyncListener listener) {
        return SyncEngine.builder()
                .store(JdbcSyncStore.create(dataSource))
                .contactMatcher(contacts)
                .options(SyncOptions.builder()
                        .batchSize(batchSize, batchSize, batchSize)
                        .initialWindow(Duration.ofDays(3650))
                        .build())
                .listener(listener)
                .build();
    }

    static ImapAccount account(int port) {
        return account(port, ACCOUNT_ID);
    }

    /** The test account, under the given id, at the plain IMAP server on {@code port}. */
    static ImapAccount account(int port, String id) {
        return ImapAccount.builder()
                .id(id)
                .emailAddress(GeneratedMailbox.OWNER)
                .endpoint("127.0.0.1", port, Security.NONE)
                .allowInsecure(true)
                .password(GeneratedMailbox.OWNER, PASSWORD)
                // the generated mailbox has the owner's mail to the owner: recorded, as before the privacy policies
                .privacy(GeneratedMailbox.RECORD_EVERYTHING)
                .build();
    }

    static FolderSelection selection() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(
                MailFolder.fromList(GeneratedMailbox.INBOX, ".", List.of()),
                MailFolder.fromList(GeneratedMailbox.SENT, ".", List.of("\\Sent")))));
    }

    static DataSource dataSource(String url) {
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            return h2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setURL(url);
            return postgres;
        }
        throw new IllegalArgumentException("The crash test knows H2 and PostgreSQL URLs, not " + url);
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
