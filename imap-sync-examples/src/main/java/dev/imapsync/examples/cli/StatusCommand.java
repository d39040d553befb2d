package dev.imapsync.examples.cli;

import dev.imapsync.store.AccountStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code status}: every account's latest status. */
@Command(name = "status", description = "Show every account's latest sync status.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database the syncs wrote to (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        List<AccountStatus> statuses = Database.store(db).statuses();
        if (json) {
            List<Object> entries = new ArrayList<>();
            for (AccountStatus s : statuses) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("accountId", s.accountId());
                m.put("status", s.status().name());
                m.put("lastSyncedAt", s.lastSyncedAt().map(Instant::toString).orElse(null));
                m.put("lastAttemptAt", s.lastAttemptAt().toString());
                m.put("message", s.message());
                m.put("hint", s.hint());
                m.put("nextRunAt", s.nextRunAt().map(Instant::toString).orElse(null));
                m.put("fetched", s.fetched());
                m.put("activities", s.activities());
                entries.add(m);
            }
            cli.out().println(Json.write(entries));
        } else if (statuses.isEmpty()) {
            cli.out().println("No account has been synced yet.");
        } else {
            for (AccountStatus s : statuses) {
                cli.out().printf("%-30s %-18s last synced %s, last attempt %s (%d read, %d new in history)%s%n",
                        s.accountId(), s.status(), s.lastSyncedAt().map(Instant::toString).orElse("never"),
                        s.lastAttemptAt(), s.fetched(), s.activities(),
                        s.nextRunAt().map(t -> ", next run " + t).orElse(""));
                if (!s.message().isEmpty()) {
                    cli.out().println("    " + s.message());
                    cli.out().println("    What to do: " + s.hint());
                }
            }
        }
        return ExitCodes.OK;
    }
}
