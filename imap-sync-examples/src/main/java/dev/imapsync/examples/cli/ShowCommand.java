package dev.imapsync.examples.cli;

import dev.imapsync.Failure;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.content.MessageContent;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.content.OpenResult;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.schedule.AccountUnavailableException;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.store.TimelineEntry.Location;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code show}: one email opened live from its mailbox (read-only), found where the database
 * recorded it: its text, its sanitized HTML with {@code --json}, its attachments; with
 * {@code --save-attachment NAME --to FILE} one attachment saved.
 */
@Command(name = "show",
        description = {"Open one email live from its mailbox (read-only: flags stay as they are): its text, its"
            + " sanitized HTML (--json) and attachments; or save one attachment. The account is the stored one"
            + " (IMAPSYNC_KEY decrypts its password), unless the connection options of 'sync' are given."})
final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database the syncs wrote to (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--message", paramLabel = "KEY", required = true,
            description = "The message's key, as 'history --json' shows it (gm:…, mid:… or h:…).")
    String message;

    @Option(names = "--account", paramLabel = "ID",
            description = "Open it in this account's mailbox (default: the first account that holds it).")
    String accountId;

    @ArgGroup(exclusive = false, heading = "Connection options (instead of a stored account):%n")
    ConnectionOptions connection;

    @Option(names = "--save-attachment", paramLabel = "NAME",
            description = "Save the attachment with this file name (or part number) to --to.")
    String saveAttachment;

    @Option(names = "--to", paramLabel = "FILE", description = "Where --save-attachment writes.")
    Path to;

    @Option(names = "--max-attachment-bytes", paramLabel = "N", defaultValue = "104857600",
            description = "Refuse to save an attachment larger than N bytes (default: ${DEFAULT-VALUE}).")
    long maxAttachmentBytes;

    @Option(names = "--remote-images", description = "Keep remote images in the HTML (they are held back by default).")
    boolean remoteImages;

    @Option(names = "--json", description = "Print the email as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if ((saveAttachment == null) != (to == null)) {
            throw new UsageException("Give --save-attachment NAME and --to FILE together");
        }
        if (maxAttachmentBytes < 1) {
            throw new UsageException("--max-attachment-bytes " + maxAttachmentBytes
                    + " is out of range: give 1 or more");
        }
        MessageKey key;
        try {
            key = new MessageKey(message.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--message: " + e.getMessage());
        }
        List<Location> locations = Database.timeline(db).locations(key);
        Target target = target(key, locations);
        if (target == null) {
            return ExitCodes.FAILED;
        }
        MessageOpener opener = MessageOpener.standard().withRemoteImages(remoteImages);
        OpenResult<MessageContent> opened = opener.open(target.account(), target.folders(), key, locations);
        if (!(opened instanceof OpenResult.Opened<MessageContent> ok)) {
            return failed(opened);
        }
        MessageContent content = ok.value();
        if (saveAttachment != null) {
            return save(opener, target.account(), content);
        }
        if (json) {
            cli.out().println(Json.write(json(content)));
        } else {
            print(content);
        }
        return ExitCodes.OK;
    }

    /** The account to open it with, and its folders; null (the reason printed) when there is none. */
    private Target target(MessageKey key, List<Location> locations) {
        if (connection != null) {
            ImapAccount account = connected();
            return account == null ? null : new Target(account, FolderChoice.recommended());
        }
        if (locations.isEmpty() && accountId == null) {
            cli.err().println("show: no account holds message " + key + " in " + Database.redact(db)
                    + ": check the key ('history --json' lists them), or give --account to search an account");
            return null;
        }
        String id = accountId != null ? accountId : locations.get(0).accountId();
        Keys.Resolved keys = Keys.resolve(db, cli.environment(), cli.err());
        JdbcAccountRepository repository = AccountsCommand.repository(AccountsCommand.database(db), keys.keys());
        Optional<ManagedAccount> stored;
        try {
            stored = repository.find(id);
        } catch (AccountUnavailableException e) {
            cli.err().println("show: " + e.getMessage());
            return null;
        }
        if (stored.isEmpty()) {
            cli.err().println("show: account " + id + " is not stored in " + Database.redact(db) + ": add it with"
                    + " 'accounts add --id " + id + " …', or give the connection options of 'sync' (--host, --user,"
                    + " --password-env)");
            return null;
        }
        return new Target(stored.get().account(), stored.get().folders());
    }

    /**
     * The account the connection options describe: as given with --host, else the one a probe
     * found; null (the reason printed) when the probe failed.
     */
    private ImapAccount connected() {
        if (connection.host != null) {
            ImapAccount account = connection.accounts(cli.environment(), cli.err()).get(0);
            return accountId == null ? account : account.toBuilder().id(accountId).build();
        }
        ProbeResult probe = Probing.probe(connection, cli.environment(), cli.err());
        if (!probe.ok()) {
            Failure f = probe.failure().orElseThrow();
            cli.err().println("show " + f.kind() + ": " + f.message() + " Hint: " + f.hint());
            return null;
        }
        return probe.workingAccount();
    }

    private int failed(OpenResult<?> result) {
        if (result instanceof OpenResult.Failed<?> failed) {
            Failure f = failed.failure();
            cli.err().println("show " + f.kind() + ": " + f.message() + " Hint: " + f.hint());
        } else {
            cli.err().println("show: " + result.message());
        }
        return ExitCodes.FAILED;
    }

    private int save(MessageOpener opener, ImapAccount account, MessageContent content) {
        Optional<Attachment> wanted = content.attachmentNamed(saveAttachment)
                .or(() -> content.attachments().stream().filter(a -> a.part().equals(saveAttachment)).findFirst());
        if (wanted.isEmpty()) {
            List<String> names = content.attachments().stream()
                    .map(a -> a.name().isEmpty() ? "part " + a.part() : a.name()).toList();
            cli.err().println("show: the email has no attachment named '" + saveAttachment + "'; it has "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
            return ExitCodes.FAILED;
        }
        Path target = to.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        OpenResult<Long> saved;
        try (OutputStream out = Files.newOutputStream(partial)) {
            saved = opener.attachment(account, content.location(), wanted.get().part(), out, maxAttachmentBytes);
        } catch (IOException e) {
            cli.err().println("show: cannot write " + partial + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try {
            if (!(saved instanceof OpenResult.Opened<Long> ok)) {
                Files.deleteIfExists(partial);
                return failed(saved);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            cli.out().println("Saved " + (wanted.get().name().isEmpty() ? "part " + wanted.get().part()
                    : wanted.get().name()) + " (" + ok.value() + " bytes) to " + to);
            return ExitCodes.OK;
        } catch (IOException e) {
            cli.err().println("show: cannot write " + target + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private void print(MessageContent c) {
        cli.out().println("From:    " + addresses(c.from()));
        cli.out().println("To:      " + addresses(c.to()));
        if (!c.cc().isEmpty()) {
            cli.out().println("Cc:      " + addresses(c.cc()));
        }
        cli.out().println("Date:    " + c.date());
        cli.out().println("Subject: " + c.subject());
        cli.out().println("Folder:  " + MailFolder.displayNameOf(c.folder()) + ", UID " + c.uid());
        cli.out().println();
        cli.out().println(c.text());
        if (!c.attachments().isEmpty()) {
            cli.out().println();
            cli.out().println("Attachments:");
            for (Attachment a : c.attachments()) {
                cli.out().printf("  %-6s %-40s %-28s %s%s%n", a.part(), a.name().isEmpty() ? "(no name)" : a.name(),
                        a.mimeType(), a.size() < 0 ? "?" : a.size() + " bytes", a.inline() ? ", inline" : "");
            }
        }
        if (c.remoteImagesBlocked() > 0) {
            cli.out().println();
            cli.out().println("Note: " + c.remoteImagesBlocked() + " remote image(s) held back (--remote-images shows"
                    + " them).");
        }
        c.warnings().forEach(w -> cli.out().println("Warning: " + w));
    }

    private static String addresses(List<EmailAddress> list) {
        List<String> out = new ArrayList<>();
        for (EmailAddress a : list) {
            out.add(a.displayName().isEmpty() ? a.address() : a.displayName() + " <" + a.address() + ">");
        }
        return String.join(", ", out);
    }

    /** {@code {"messageKey","subject","from","to","cc","date","text","html","attachments","folder","uid"}} and more. */
    static Map<String, Object> json(MessageContent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageKey", c.messageKey().value());
        m.put("subject", c.subject());
        m.put("from", addressesJson(c.from()));
        m.put("to", addressesJson(c.to()));
        m.put("cc", addressesJson(c.cc()));
        m.put("date", c.date().toString());
        m.put("text", c.text());
        m.put("html", c.html().orElse(null));
        List<Object> attachments = new ArrayList<>();
        for (Attachment a : c.attachments()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("part", a.part());
            x.put("name", a.name());
            x.put("type", a.mimeType());
            x.put("size", a.size());
            x.put("inline", a.inline());
            x.put("contentId", a.contentId().orElse(null));
            attachments.add(x);
        }
        m.put("attachments", attachments);
        m.put("accountId", c.location().accountId());
        m.put("folder", c.folder());
        m.put("uid", c.uid());
        m.put("remoteImagesBlocked", c.remoteImagesBlocked());
        m.put("warnings", c.warnings());
        return m;
    }

    private static List<Object> addressesJson(List<EmailAddress> list) {
        List<Object> out = new ArrayList<>();
        for (EmailAddress a : list) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", a.displayName());
            x.put("address", a.address());
            out.add(x);
        }
        return out;
    }

    private record Target(ImapAccount account, FolderChoice folders) {
    }
}
