package dev.imapsync.examples.cli;

import dev.imapsync.jdbc.SecretKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code accounts new-key}: a fresh key for {@code IMAPSYNC_KEY}, on stdout only. */
@Command(name = "new-key", mixinStandardHelpOptions = true,
        description = {"Print a new random AES-256 key as id:base64key on stdout (and nothing else), for"
            + " IMAPSYNC_KEY. Keep it in your secrets store: whoever has it can decrypt the stored passwords, and"
            + " without it they cannot be read. To rotate, put the new key first and keep the old one after it:"
            + " IMAPSYNC_KEY=new-id:...,old-id:..."})
final class AccountsNewKeyCommand implements Callable<Integer> {
    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--id", paramLabel = "ID",
            description = "The key's id, stored beside each secret it encrypts: 1-64 letters, digits or . _ -"
                    + " (default: key- and today's date).")
    String id;

    @Override
    public Integer call() {
        String keyId = id != null ? id : Keys.newId("key-");
        String spec;
        try {
            spec = SecretKeys.generate(keyId);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--id: " + e.getMessage());
        }
        accounts.cli.out().println(spec);
        return ExitCodes.OK;
    }
}
