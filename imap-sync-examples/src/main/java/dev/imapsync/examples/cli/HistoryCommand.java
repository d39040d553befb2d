package dev.imapsync.examples.cli;

import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code history}: one page of a contact's timeline, newest first: one entry per message, however
 * many accounts hold it; the next page with {@code --before} and the cursor this one ends with.
 */
@Command(name = "history",
        description = "Show a contact's timeline, newest first, one entry per message across accounts.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database the syncs wrote to (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--contact", paramLabel = "ID", required = true, description = "The contact's id.")
    String contact;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most N entries, 1 to " + TimelineQuery.MAX_PAGE_SIZE + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--before", paramLabel = "CURSOR",
            description = "Continue after the page that ended with this cursor (the previous answer's next).")
    String before;

    @Option(names = "--account", paramLabel = "ID",
            description = "Only messages this account holds; repeat for several accounts.")
    List<String> accounts = List.of();

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > TimelineQuery.MAX_PAGE_SIZE) {
            throw new UsageException("--limit " + limit + " is out of range: give 1 to " + TimelineQuery.MAX_PAGE_SIZE
                    + " and read further pages with --before and the cursor the answer ends with");
        }
        if (contact.isBlank()) {
            throw new UsageException("--contact is blank: give the contact's id");
        }
        TimelineQuery query = TimelineQuery.forContact(contact).pageSize(limit).accounts(Set.copyOf(accounts));
        if (before != null) {
            query = query.after(before);
        }
        TimelinePage page = read(Database.timeline(db), query);
        if (json) {
            cli.out().println(Json.write(Json.timeline(contact, page)));
        } else {
            Text.printTimeline(cli.out(), contact, page);
        }
        return ExitCodes.OK;
    }

    /** The page; a cursor the store did not make is the caller's mistake, said as such. */
    private TimelinePage read(TimelineStore store, TimelineQuery query) {
        try {
            return store.timeline(query);
        } catch (IllegalArgumentException e) {
            if (before == null) {
                throw e;
            }
            throw new UsageException("--before: " + e.getMessage());
        }
    }
}
