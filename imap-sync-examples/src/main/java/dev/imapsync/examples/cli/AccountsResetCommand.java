package dev.imapsync.examples.cli;

import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.SyncStore.ResetResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code accounts reset}: forgets an account's checkpoints, and with {@code --purge-history} its history. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Start an account over: forget its checkpoints, so that its next sync reads every folder"
            + " again in its window. Its history stays (a message already recorded is not recorded twice)"
            + " unless --purge-history is given. The stored account itself is kept. Do not run it while the"
            + " account syncs."})
final class AccountsResetCommand implements Callable<Integer> {
    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where the checkpoints and history are (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "The account to reset.")
    String id;

    @Option(names = "--purge-history", description = "Delete the account's messages and history entries too.")
    boolean purgeHistory;

    @Option(names = "--json", description = "Print {\"id\",\"folders\",\"messages\",\"activities\"} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ImapSyncCli cli = accounts.cli;
        JdbcSyncStore store = Database.store(db);
        ResetResult result = store.reset(id, purgeHistory);
        if (json) {
            cli.out().println(Json.write(json(id, result)));
        } else {
            cli.out().println(text(id, result, purgeHistory));
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> json(String id, ResetResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("folders", result.folders());
        m.put("messages", result.messages());
        m.put("activities", result.activities());
        return m;
    }

    static String text(String id, ResetResult result, boolean purged) {
        return "Account " + id + ": forgot the checkpoints of " + result.folders() + " folder(s)"
                + (purged ? " and purged " + result.messages() + " message(s) with " + result.activities()
                        + " history entries." : "; its history stays.");
    }
}
