package dev.imapsync.examples.cli;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.folder.MailFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code history}: a contact's activities, newest first. */
@Command(name = "history", description = "Show a contact's history, newest first.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database the syncs wrote to (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--contact", paramLabel = "ID", required = true, description = "The contact's id.")
    String contact;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100_000) {
            throw new UsageException("--limit " + limit + " is out of range: give 1 to 100000");
        }
        List<ContactActivity> history = Database.store(db).history(contact, limit);
        if (json) {
            List<Object> entries = new ArrayList<>();
            for (ContactActivity a : history) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("messageKey", a.messageKey().value());
                m.put("contactId", a.contact().id());
                m.put("role", a.role().name());
                m.put("direction", a.direction().name());
                m.put("date", a.date().toString());
                m.put("subject", a.subject());
                m.put("from", a.from());
                m.put("folder", a.folder());
                m.put("folderDisplayName", MailFolder.displayNameOf(a.folder()));
                entries.add(m);
            }
            cli.out().println(Json.write(entries));
        } else if (history.isEmpty()) {
            cli.out().println("No history for contact " + contact + ".");
        } else {
            for (ContactActivity a : history) {
                cli.out().printf("%s  %-8s %-4s %-20s %-30s %s%n", a.date(), a.direction(), a.role(),
                        MailFolder.displayNameOf(a.folder()), a.from(), a.subject());
            }
        }
        return ExitCodes.OK;
    }
}
