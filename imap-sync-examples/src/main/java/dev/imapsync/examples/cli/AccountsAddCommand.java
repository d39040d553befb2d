package dev.imapsync.examples.cli;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderValidation;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.ManagedAccount;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code accounts add}: stores an account, its password encrypted, for {@code run} to sync. */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Store an account (or replace the one with the same --id) for 'run' to sync.",
            "The password comes from the environment variable named by --password-env, or from a prompt on the"
                + " terminal; never from an argument. It is stored encrypted with IMAPSYNC_KEY (see 'accounts"
                + " --help'). The server is not contacted unless --probe is given.",
            "--security auto is not stored: give ssl, starttls or none, or --probe to find the mode that works"
                + " (and, without --host, the server from --email/--user)."})
final class AccountsAddCommand implements Callable<Integer> {
    private static final int MAX_INITIAL_DAYS = 36_500;

    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where the accounts are stored (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--id", paramLabel = "ID", required = true,
            description = "The account's id: 1-128 letters, digits or . _ @ + -.")
    String id;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--folders", paramLabel = "A,B", split = ",",
            description = "Folders to sync (raw or display names); checked against the server with --probe.")
    List<String> folders;

    @Option(names = "--recommended",
            description = "Sync the recommended folders, decided again at each sync (the default without --folders).")
    boolean recommended;

    @Option(names = "--initial-days", paramLabel = "N",
            description = "How far back a folder's first sync reads, in days (default: the sync engine's, 90).")
    Integer initialDays;

    @Option(names = "--interval", paramLabel = "D",
            description = "How often to sync: 30s, 5m, 1h, 1h30m or ISO-8601 PT5M (default: run's --interval).")
    String interval;

    @Option(names = "--probe",
            description = "Sign in before saving: nothing is stored if it fails; resolves --security auto and"
                    + " a missing --host.")
    boolean probe;

    @Option(names = "--json", description = "Print the stored account as JSON (the accounts list shape).")
    boolean json;

    /** Only to refuse it without echoing its value (picocli would quote an unknown option's argument). */
    @Option(names = "--password", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    String passwordArgument;

    @Override
    public Integer call() {
        ImapSyncCli cli = accounts.cli;
        if (passwordArgument != null) {
            throw new UsageException("--password is not accepted: a password on the command line is visible to other"
                    + " users and kept in shell history. Use --password-env VAR, or leave it out to be asked");
        }
        if (connection.accountId != null && !connection.accountId.equals(id)) {
            throw new UsageException("--account-id " + connection.accountId + " and --id " + id
                    + " differ: give the account id once, with --id");
        }
        connection.accountId = id;
        FolderChoice choice = folderChoice();
        Optional<Duration> window = Optional.empty();
        if (initialDays != null) {
            if (initialDays < 1 || initialDays > MAX_INITIAL_DAYS) {
                throw new UsageException("--initial-days " + initialDays + " is out of range: give 1 to "
                        + MAX_INITIAL_DAYS + " days");
            }
            window = Optional.of(Duration.ofDays(initialDays));
        }
        Optional<Duration> every = interval == null ? Optional.empty()
                : Optional.of(AccountsCommand.parseDuration("--interval", interval));
        if (!probe) {
            if (connection.host == null) {
                throw new UsageException("Give --host and --security (ssl, starttls or none), or --probe to find the"
                        + " server from --email/--user");
            }
            if ("auto".equalsIgnoreCase(connection.security)) {
                throw new UsageException("--security auto is not stored: give --security ssl, starttls or none,"
                        + " or add --probe to find the mode that works and store that");
            }
        }

        // Before the password prompt: a missing key should not cost the user their typing.
        Keys.Resolved keys = Keys.resolve(db, cli.environment(), cli.err());
        DataSource dataSource = AccountsCommand.database(db);
        JdbcAccountRepository repository = AccountsCommand.repository(dataSource, keys.keys());
        boolean existed = AccountsCommand.find(repository, id).isPresent();
        if (keys.madeNow()) {
            int stored = repository.list().size();
            if (stored > 0) {
                cli.err().println("warning: the " + stored + " account(s) already in this database were saved under"
                        + " another key and cannot be read with the new development key: add them again");
            }
        }

        List<ImapAccount> candidates = connection.accounts(cli.environment());
        ImapAccount account;
        if (probe) {
            ProbeResult result = ConnectionProber.builder().deadline(connection.deadline()).build()
                    .probeFirst(candidates);
            if (!result.ok()) {
                cli.err().println("probe failed, nothing saved: " + result.failure().orElseThrow());
                return ExitCodes.FAILED;
            }
            account = result.workingAccount();
            FolderValidation validation = choice.resolve(result.folders(), result.provider());
            if (!validation.isValid()) {
                throw new UsageException(String.join(" ", validation.errors()));
            }
        } else {
            account = candidates.get(0);
        }

        ManagedAccount managed;
        try {
            managed = new ManagedAccount(account, choice, window, every);
            repository.save(managed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        AccountSummary saved = AccountsCommand.find(repository, id).orElseThrow();
        if (json) {
            cli.out().println(Json.write(AccountsCommand.toJson(saved)));
        } else {
            cli.out().printf("%s account %s: %s at %s:%d (%s), folders: %s, interval: %s%s; password encrypted with"
                            + " key '%s'%n",
                    existed ? "Replaced" : "Added", saved.id(), saved.user(), saved.endpoint().host(),
                    saved.endpoint().port(), saved.endpoint().security().cliName(),
                    AccountsCommand.foldersText(saved.folders()),
                    saved.interval().map(AccountsCommand::formatDuration).orElse("default"),
                    probe ? ", signed in fine" : "", keys.keys().currentId());
        }
        return ExitCodes.OK;
    }

    private FolderChoice folderChoice() {
        if (folders != null && recommended) {
            throw new UsageException("Give either --folders or --recommended, not both");
        }
        if (folders == null) {
            return FolderChoice.recommended();
        }
        try {
            return FolderChoice.named(folders);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--folders: " + e.getMessage());
        }
    }
}
