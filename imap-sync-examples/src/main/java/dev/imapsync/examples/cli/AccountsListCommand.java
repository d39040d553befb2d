package dev.imapsync.examples.cli;

import dev.imapsync.schedule.AccountRepository.AccountSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code accounts list}: the stored accounts, never a secret (nothing is decrypted). */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the stored accounts. Nothing is decrypted, so no key is needed and no secret is shown.",
            "--json prints [{\"id\",\"host\",\"port\",\"security\",\"user\",\"email\",\"folders\",\"interval\","
                + "\"auth\",\"revision\"}]: security is ssl, starttls or none; folders is an array of names,"
                + " or the string \"recommended\"; interval is ISO-8601 (\"PT5M\") or null for run's default;"
                + " email is null when unknown; auth is password or oauth2."})
final class AccountsListCommand implements Callable<Integer> {
    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where the accounts are stored (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--json", description = "Print the accounts as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ImapSyncCli cli = accounts.cli;
        List<AccountSummary> summaries = AccountsCommand.repository(AccountsCommand.database(db), Keys.unused()).list();
        if (json) {
            List<Object> entries = new ArrayList<>();
            summaries.forEach(s -> entries.add(AccountsCommand.toJson(s)));
            cli.out().println(Json.write(entries));
        } else if (summaries.isEmpty()) {
            cli.out().println("No accounts stored in " + Database.redact(db) + ": add one with 'accounts add'.");
        } else {
            printTable(cli, summaries);
        }
        return ExitCodes.OK;
    }

    private static void printTable(ImapSyncCli cli, List<AccountSummary> summaries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "SERVER", "SECURITY", "USER", "EMAIL", "FOLDERS", "INTERVAL"});
        for (AccountSummary s : summaries) {
            rows.add(new String[] {s.id(), s.endpoint().host() + ":" + s.endpoint().port(),
                s.endpoint().security().cliName(), s.user() + (s.oauth2() ? " (oauth2)" : ""),
                s.email().isEmpty() ? "-" : s.email(), AccountsCommand.foldersText(s.folders()),
                s.interval().map(AccountsCommand::formatDuration).orElse("default")});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            cli.out().println(line.toString().stripTrailing());
        }
    }
}
