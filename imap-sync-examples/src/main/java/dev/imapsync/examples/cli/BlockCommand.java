package dev.imapsync.examples.cli;

import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.RemovalCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code block}: the blocklist kept in the database: addresses and domains whose mail is never
 * recorded, for the whole company or for one account.
 */
@Command(name = "block", mixinStandardHelpOptions = true,
        description = {"Addresses and domains whose mail is never recorded, for every account or for one.",
            "Adding an entry deletes what is already recorded of it; removing one lets the accounts' next"
                + " syncs bring that mail back (within their window), without resyncing anything else."},
        subcommands = {BlockCommand.Add.class, BlockCommand.Remove.class, BlockCommand.ListEntries.class})
final class BlockCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Override
    public Integer call() {
        throw new UsageException("Give a subcommand: block add, remove or list (see block --help)");
    }

    /** {@code block add}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Block an address or a domain, and delete the messages already recorded in which it took"
                + " part (as sender or as a matched contact) with their history entries. Adding an entry that is"
                + " there already runs the purge again."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        BlockCommand block;

        @Mixin
        DbOption db;

        @Mixin
        BlockEntryOptions entry;

        @Option(names = "--json",
                description = "Print {\"kind\",\"value\",\"account\",\"added\",\"removed\",\"accounts\"} as JSON.")
        boolean json;

        @Override
        public Integer call() {
            BlockEntry e = entry.entry();
            var result = Database.privacy(db.url).block(e);
            if (json) {
                Map<String, Object> m = entryJson(result.entry());
                m.put("added", result.added());
                m.put("removed", countsJson(result.total()));
                m.put("accounts", accountsJson(result.purged()));
                block.cli.out().println(Json.write(m));
            } else {
                RemovalCounts total = result.total();
                block.cli.out().println((result.added() ? "Blocked " : "Already blocked: ") + describe(result.entry())
                        + ". " + (total.messages() == 0 ? "Nothing recorded of it."
                        : "Deleted " + total.messages() + " message(s) with " + total.entries()
                        + " history entries " + perAccount(result.purged()) + "."));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code block remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Unblock an address or a domain: the next sync of each account it applied to reads its"
                + " mail again within the account's window. Exit code 1 when there was no such entry."})
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        BlockCommand block;

        @Mixin
        DbOption db;

        @Mixin
        BlockEntryOptions entry;

        @Option(names = "--json",
                description = "Print {\"kind\",\"value\",\"account\",\"unblocked\"} as JSON.")
        boolean json;

        @Override
        public Integer call() {
            BlockEntry e = entry.entry();
            boolean unblocked = Database.privacy(db.url).unblock(e);
            if (json) {
                Map<String, Object> m = entryJson(e);
                m.put("unblocked", unblocked);
                block.cli.out().println(Json.write(m));
            } else if (unblocked) {
                block.cli.out().println("Unblocked " + describe(e) + ": the next sync of "
                        + e.accountId().map(id -> "account " + id).orElse("each account")
                        + " reads its mail again within its window.");
            }
            if (!unblocked) {
                block.cli.err().println("No block entry for " + describe(e) + " in " + Database.redact(db.url)
                        + ": nothing removed ('block list' shows the entries)");
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
    }

    /** {@code block list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the block entries: company-wide ones first, then by account.")
    static final class ListEntries implements Callable<Integer> {
        @ParentCommand
        BlockCommand block;

        @Mixin
        DbOption db;

        @Option(names = "--account", paramLabel = "ID",
                description = "Only the entries that apply to this account (the company-wide ones and its own).")
        String account;

        @Option(names = "--json", description = "Print [{\"kind\",\"value\",\"account\"}] as JSON.")
        boolean json;

        @Override
        public Integer call() {
            List<BlockEntry> entries = Database.privacy(db.url).blockEntries().stream()
                    .filter(e -> account == null || e.appliesTo(account)).toList();
            if (json) {
                List<Object> all = new ArrayList<>();
                entries.forEach(e -> all.add(entryJson(e)));
                block.cli.out().println(Json.write(all));
            } else if (entries.isEmpty()) {
                block.cli.out().println("Nothing is blocked" + (account == null ? "." : " for account " + account + "."));
            } else {
                for (BlockEntry e : entries) {
                    block.cli.out().printf("%-7s  %-40s  %s%n", e.kind().name().toLowerCase(Locale.ROOT), e.value(),
                            e.accountId().map(id -> "account " + id).orElse("every account"));
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The {@code --db} option of the block commands. */
    static final class DbOption {
        @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
                description = "The database the syncs write to (default: ${DEFAULT-VALUE}).")
        String url;
    }

    static Map<String, Object> entryJson(BlockEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
        m.put("value", e.value());
        m.put("account", e.accountId().orElse(null));
        return m;
    }

    static Map<String, Object> countsJson(RemovalCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", c.entries());
        m.put("messages", c.messages());
        m.put("previews", c.previews());
        return m;
    }

    /** {@code [{"accountId","entries","messages","previews"}]}, by account id. */
    static List<Object> accountsJson(Map<String, RemovalCounts> byAccount) {
        List<Object> all = new ArrayList<>();
        byAccount.forEach((id, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accountId", id);
            m.putAll(countsJson(c));
            all.add(m);
        });
        return all;
    }

    static String describe(BlockEntry e) {
        return (e.kind() == BlockEntry.Kind.ADDRESS ? "address " : "domain ") + e.value()
                + e.accountId().map(id -> " for account " + id).orElse(" for every account");
    }

    /** {@code (acct-1: 2, acct-2: 1)}: messages per account. */
    static String perAccount(Map<String, RemovalCounts> byAccount) {
        List<String> parts = new ArrayList<>();
        byAccount.forEach((id, c) -> parts.add(id + ": " + c.messages()));
        return "(" + String.join(", ", parts) + ")";
    }
}
