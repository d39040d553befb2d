package dev.imapsync.examples.cli;

import dev.imapsync.connect.ProbeResult;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code folders}: the mailbox's folders with their roles and the recommended selection. */
@Command(name = "folders", description = "List the folders with their roles and the recommended selection.")
final class FoldersCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ProbeResult result = Probing.probe(connection, cli.environment(), cli.err());
        if (!result.ok()) {
            if (!json) {
                Text.printProbe(cli.out(), result);
            }
            cli.err().println("folders failed: " + result.failure().orElseThrow());
            return ExitCodes.FAILED;
        }
        FolderSelection recommended = FolderSelector.recommend(result.folders(), result.provider());
        if (json) {
            cli.out().println(Json.write(Json.folders(result.folders(), recommended)));
        } else {
            Text.printFolders(cli.out(), result, recommended);
        }
        return ExitCodes.OK;
    }
}
