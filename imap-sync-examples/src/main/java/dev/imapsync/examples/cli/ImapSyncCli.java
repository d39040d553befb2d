package dev.imapsync.examples.cli;

import dev.imapsync.ImapSyncException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code imap-sync} command line: {@code demo} (the default), {@code probe},
 * {@code folders}, {@code sync}, {@code history}, {@code show}, {@code contacts}, {@code status}, {@code accounts},
 * {@code run}, {@code block}, {@code erase} and {@code web}. Exit code 0 on success, 1 when the operation failed, 2 for
 * a wrong command line, 3 for
 * an unexpected error; the reason is one line on stderr (and, for an unexpected error, a second line with
 * its root cause).
 */
@Command(name = "imap-sync", mixinStandardHelpOptions = true, version = "imap-sync 0.1.0",
        // --help and --version on every subcommand, checked before its required options
        scope = ScopeType.INHERIT,
        description = "Probe IMAP mailboxes, list their folders, and sync headers into contact history.",
        subcommands = {DemoCommand.class, ProbeCommand.class, FoldersCommand.class, SyncCommand.class,
            HistoryCommand.class, ShowCommand.class, ContactsCommand.class, StatusCommand.class, AccountsCommand.class,
            RunCommand.class, BlockCommand.class, EraseCommand.class, WebCommand.class})
public final class ImapSyncCli implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final InputStream in;

    ImapSyncCli(PrintStream out, PrintStream err, Map<String, String> environment) {
        this(System.in, out, err, environment);
    }

    ImapSyncCli(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs the CLI in this process and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        return run(args, System.in, out, err, environment);
    }

    /** As {@link #run(String[], PrintStream, PrintStream, Map)}, reading what a command asks for from {@code in}. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        ImapSyncCli cli = new ImapSyncCli(in, out, err, environment);
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((ex, a) -> {
            err.println("usage error: " + ex.getMessage() + " (see --help)");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageException) {
                err.println("usage error: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            err.println("error: " + (ex instanceof ImapSyncException ? ex.getMessage() : ex.toString()));
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != ex) {
                err.println("  cause: " + root);   // what the database or the network said
            }
            return ExitCodes.ERROR;
        });
        return commandLine.execute(args);
    }

    /** With no command, the demo runs. */
    @Override
    public Integer call() throws Exception {
        DemoCommand demo = new DemoCommand();
        demo.cli = this;
        return demo.call();
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    Map<String, String> environment() {
        return environment;
    }

    InputStream in() {
        return in;
    }
}
