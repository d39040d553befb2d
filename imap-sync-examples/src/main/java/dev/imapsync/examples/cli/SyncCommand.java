package dev.imapsync.examples.cli;

import dev.imapsync.connect.ProbeResult;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncListener.BatchProgress;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncReport.FolderReport;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code sync}: one incremental sync of a mailbox into a database's contact history. */
@Command(name = "sync", description = "Sync a mailbox's selected folders into contact history (incremental, read-only).")
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where checkpoints and history go (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--contacts", paramLabel = "CSV", required = true,
            description = "Contacts as lines 'contact_id,email[,email...]'.")
    Path contacts;

    @Option(names = "--folders", paramLabel = "A,B", split = ",", description = "Folders to sync (raw or display names).")
    List<String> folders;

    @Option(names = "--recommended", description = "Sync the recommended folders (the default without --folders).")
    boolean recommended;

    @Option(names = "--initial-days", paramLabel = "N", defaultValue = "90",
            description = {"How far back a folder's history reaches (default: ${DEFAULT-VALUE} days): a first sync"
                + " reads this far; a later sync with a larger N imports the older messages, a smaller N deletes"
                + " nothing."})
    int initialDays;

    @Mixin
    PrivacyOptions privacy;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (folders != null && recommended) {
            throw new UsageException("Give either --folders or --recommended, not both");
        }
        InMemoryContactMatcher matcher = readContacts(contacts);
        SyncOptions options;
        try {
            options = SyncOptions.builder().initialWindow(Duration.ofDays(initialDays)).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--initial-days: " + e.getMessage());
        }
        PrivacySettings settings = privacy.settings();
        JdbcSyncStore store = Database.store(db);

        // A failed probe is recorded by the engine as this attempt's outcome (status, JSON report),
        // and a folder that is gone is a failure of that folder, not a usage error: the others sync.
        ProbeResult probe = Probing.probe(connection, settings, cli.environment(), cli.err());
        FolderChoice choice = folders == null ? FolderChoice.recommended() : FolderChoice.named(folders);
        boolean showProgress = !json && System.console() != null;
        try (TerminalProgress progress = showProgress ? new TerminalProgress() : null) {
            SyncEngine engine = SyncEngine.builder().store(store).contactMatcher(matcher).options(options)
                    .listener(progress == null ? SyncListener.NONE : progress).build();
            SyncReport report = engine.sync(probe, choice);
            if (json) {
                cli.out().println(Json.write(Json.sync(report)));
            } else {
                printText(report);
            }
            if (report.status() != SyncStatus.OK) {
                cli.err().println("sync " + report.status() + ": " + report.failure().map(Object::toString)
                        .orElse("see the folder reports"));
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
    }

    private static InMemoryContactMatcher readContacts(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return InMemoryContactMatcher.fromCsv(reader);
        } catch (IOException e) {
            throw new UsageException("Cannot read --contacts " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--contacts " + file + ": " + e.getMessage());
        }
    }

    private void printText(SyncReport report) {
        cli.out().printf("%s: %d messages read, %d with a known contact, %d new history entries in %d ms%n",
                report.status(), report.fetched(), report.matched(), report.activities(), report.duration().toMillis());
        for (FolderReport f : report.folders()) {
            cli.out().printf("  %-30s %s%s%n", MailFolder.displayNameOf(f.folder()), f.upToDate() ? "up to date"
                    : f.fetched() + " read, " + f.matched() + " matched, last UID " + f.lastUid(),
                    (f.leftOut() > 0 ? ", " + f.leftOut() + " older left out" : "")
                            + f.failure().map(x -> " FAILED: " + x.message()).orElse(""));
        }
        if (!report.excluded().isEmpty()) {
            cli.out().println("Kept out by the privacy rules: " + report.excluded().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (report.leftOut() > 0) {
            cli.out().printf("Note: %,d older messages were not imported; sync with a larger --initial-days to"
                    + " import them%n", report.leftOut());
        }
        report.failure().filter(f -> report.folders().isEmpty())
                .ifPresent(f -> cli.out().println("  " + f.kind() + ": " + f.message() + "\n  " + f.hint()));
        report.selectionWarnings().forEach(w -> cli.out().println("Note: " + w));
        report.warnings().stream().skip(report.selectionWarnings().size())
                .forEach(w -> cli.out().println("Warning: " + w));
    }

    /** A progress bar per folder on the terminal (a library draws it). */
    private static final class TerminalProgress implements SyncListener, AutoCloseable {
        private ProgressBar bar;

        @Override
        public void folderStarted(String accountId, String folder, long estimatedTotal) {
            close();
            bar = new ProgressBar(folder, Math.max(estimatedTotal, 0));
        }

        @Override
        public void batchCommitted(String accountId, String folder, BatchProgress progress) {
            if (bar != null) {
                bar.maxHint(progress.estimatedTotal());
                bar.stepTo(progress.done());
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
