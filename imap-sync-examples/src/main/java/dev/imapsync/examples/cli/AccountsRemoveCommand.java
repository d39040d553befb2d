package dev.imapsync.examples.cli;

import dev.imapsync.store.SyncStore.ResetResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code accounts remove}: forgets a stored account; the history it recorded stays, or with
 * {@code --purge-history} goes with its checkpoints.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Remove a stored account with its folder choice, schedule and status. The history it"
            + " recorded and its checkpoints stay, so that storing it again goes on where it was; with"
            + " --purge-history they are deleted too (also for an account removed earlier). Exit code 1 when"
            + " there was nothing to remove."})
final class AccountsRemoveCommand implements Callable<Integer> {
    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where the accounts are stored (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "The account to remove.")
    String id;

    @Option(names = "--purge-history", description = "Delete the account's checkpoints, messages and history too.")
    boolean purgeHistory;

    @Option(names = "--json", description = "Print {\"id\",\"removed\"} (with --purge-history also \"folders\","
            + " \"messages\", \"activities\") as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ImapSyncCli cli = accounts.cli;
        boolean removed = AccountsCommand.repository(AccountsCommand.database(db), Keys.unused()).remove(id);
        ResetResult purged = purgeHistory ? Database.store(db).reset(id, true) : null;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("removed", removed);
            if (purged != null) {
                m.putAll(AccountsResetCommand.json(id, purged));
            }
            cli.out().println(Json.write(m));
        } else if (removed && purged == null) {
            cli.out().println("Removed account " + id + " (its history and checkpoints stay; --purge-history"
                    + " deletes them).");
        } else if (purged != null) {
            cli.out().println((removed ? "Removed account " + id + ". " : "") + AccountsResetCommand.text(id, purged, true));
        }
        boolean purgedSomething = purged != null && (purged.folders() > 0 || purged.messages() > 0);
        if (!removed && !purgedSomething) {
            cli.err().println("No account '" + id + "' in " + Database.redact(db)
                    + ": nothing removed ('accounts list' shows the stored ids)");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
