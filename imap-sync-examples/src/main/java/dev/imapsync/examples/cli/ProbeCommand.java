package dev.imapsync.examples.cli;

import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code probe}: can this mailbox be used, and if not, why. */
@Command(name = "probe", description = "Try the connection settings (and secure alternatives) and report what works.")
final class ProbeCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ProbeResult result = Probing.probe(connection, cli.environment(), cli.err());
        if (json) {
            cli.out().println(Json.write(Json.probe(result)));
        } else {
            Text.printProbe(cli.out(), result);
        }
        if (!result.ok()) {
            cli.err().println("probe failed: " + result.failure().orElseThrow());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
