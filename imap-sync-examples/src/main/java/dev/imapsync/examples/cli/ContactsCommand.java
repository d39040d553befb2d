package dev.imapsync.examples.cli;

import dev.imapsync.store.ContactSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code contacts}: the contacts with the most messages, with when mail last came in and went out. */
@Command(name = "contacts", description = "List the contacts with the most messages, busiest first, with when"
        + " mail last came in and went out.")
final class ContactsCommand implements Callable<Integer> {
    /** The most contacts one answer lists (what TimelineStore.busiest answers at most). */
    private static final int MAX_LIMIT = 1_000;

    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database the syncs wrote to (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most N contacts, 1 to " + MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new UsageException("--limit " + limit + " is out of range: give 1 to " + MAX_LIMIT);
        }
        List<ContactSummary> busiest = Database.timeline(db).busiest(limit);
        if (json) {
            cli.out().println(Json.write(Json.contacts(busiest)));
        } else {
            Text.printContacts(cli.out(), busiest);
        }
        return ExitCodes.OK;
    }
}
