package dev.imapsync.examples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code accounts remove}: forgets a stored account; the history it recorded stays. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Remove a stored account with its folder choice, schedule and status. The history it"
            + " recorded and its checkpoints stay. Exit code 1 when there is no such account."})
final class AccountsRemoveCommand implements Callable<Integer> {
    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where the accounts are stored (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "The account to remove.")
    String id;

    @Option(names = "--json", description = "Print {\"id\",\"removed\"} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ImapSyncCli cli = accounts.cli;
        boolean removed = AccountsCommand.repository(AccountsCommand.database(db), Keys.unused()).remove(id);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("removed", removed);
            cli.out().println(Json.write(m));
        } else if (removed) {
            cli.out().println("Removed account " + id + " (its history and checkpoints stay).");
        }
        if (!removed) {
            cli.err().println("No account '" + id + "' in " + Database.redact(db)
                    + ": nothing removed ('accounts list' shows the stored ids)");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
