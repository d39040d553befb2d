package dev.imapsync.examples.cli;

import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.RemovalCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code erase}: removes every trace of a person's address from the history of every account,
 * says what went per account, and keeps it out of later syncs.
 */
@Command(name = "erase", mixinStandardHelpOptions = true,
        description = {"Erase a person: remove every trace of an address from the stored history of every account"
            + " (their history entries; in the mail they sent, their address, name, preview and attachment list;"
            + " previews that mention the address; messages left without any history entry), and keep the"
            + " address out of every later sync and backfill. Only a hash of the address is kept for that."
            + " Running it again removes nothing more."})
final class EraseCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database the syncs write to (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--address", paramLabel = "ADDRESS", required = true, description = "The address to erase.")
    String address;

    @Option(names = "--json", description = "Print {\"address\",\"removed\":{\"entries\",\"messages\",\"previews\"},"
            + "\"accounts\":[...]} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (!address.contains("@")) {
            throw new UsageException("--address '" + address + "' is not an email address: give the address to"
                    + " erase (to keep a whole domain out, use 'block add --domain')");
        }
        ErasureResult result;
        try {
            result = Database.privacy(db).erase(address);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--address: " + e.getMessage());
        }
        if (json) {
            cli.out().println(Json.write(json(result)));
        } else {
            RemovalCounts total = result.total();
            cli.out().printf("Erased %s: %d history entries, %d messages and %d previews removed%s. Later syncs"
                            + " keep it out (only its hash is stored).%n", result.address(), total.entries(),
                    total.messages(), total.previews(), accounts(result));
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> json(ErasureResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", result.address());
        m.put("removed", BlockCommand.countsJson(result.total()));
        m.put("accounts", BlockCommand.accountsJson(result.accounts()));
        return m;
    }

    private static String accounts(ErasureResult result) {
        if (result.accounts().isEmpty()) {
            return " (nothing was recorded of it)";
        }
        List<String> parts = new ArrayList<>();
        result.accounts().forEach((id, c) -> parts.add(id + ": " + c.entries() + "/" + c.messages() + "/"
                + c.previews()));
        return " in " + result.accounts().size() + " account(s) (entries/messages/previews " + String.join(", ", parts)
                + ")";
    }
}
