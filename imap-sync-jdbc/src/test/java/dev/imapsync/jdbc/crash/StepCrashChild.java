package dev.imapsync.jdbc.crash;

import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.jdbc.faults.FaultyDataSource;
import dev.imapsync.jdbc.faults.FaultyDataSource.Fault;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncReport;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The process {@link StepCrashTest} halts and resumes. Arguments: IMAP port, JDBC URL, contacts
 * CSV file, batch size, then either {@code halt <account> <step> before|after} (sync the account
 * and halt the JVM at that step of the store's connections, see {@link FaultyDataSource}) or
 * {@code resume <account>...} (for each account: report what the store holds, then sync it to
 * the end). Lines on stdout: {@code HALT <step> ...} just before halting (exit code
 * {@value FaultyDataSource#HALT_EXIT_CODE}); {@code RESUME <account> STATE ...} (see {@link State})
 * and {@code DONE <account> <status>} per resumed account.
 */
public final class StepCrashChild {
    private StepCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        DataSource dataSource = SyncChild.dataSource(args[1]);
        InMemoryContactMatcher contacts;
        try (Reader csv = Files.newBufferedReader(Path.of(args[2]), StandardCharsets.UTF_8)) {
            contacts = InMemoryContactMatcher.fromCsv(csv);
        }
        int batchSize = Integer.parseInt(args[3]);
        List<String> task = Arrays.asList(args).subList(4, args.length);
        if (task.get(0).equals("halt")) {
            String account = task.get(1);
            FaultyDataSource faulty = new FaultyDataSource(dataSource);
            faulty.arm(Fault.halt(Integer.parseInt(task.get(2)), task.get(3).equals("after")));
            SyncReport report = SyncChild.engine(faulty.dataSource(), contacts, batchSize, SyncListener.NONE)
                    .sync(SyncChild.account(port, account), SyncChild.selection());
            SyncChild.say("DONE " + account + " " + report.status() + " without halting");
            System.exit(3);
        }
        for (String account : task.subList(1, task.size())) {
            SyncChild.say("RESUME " + account + " " + State.of(StoredHistory.read(dataSource, account)).line());
            SyncReport report = SyncChild.engine(dataSource, contacts, batchSize, SyncListener.NONE)
                    .sync(SyncChild.account(port, account), SyncChild.selection());
            SyncChild.say("DONE " + account + " " + report.status()
                    + report.failure().map(f -> " " + f.message()).orElse(""));
        }
        System.exit(0);
    }
}
