package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * {@code --help} on every command and subcommand prints its usage and exits 0, before any required
 * option is checked. The commands are found from the command line itself, so a new one is covered
 * the day it is added.
 */
class CliHelpTest {

    @TestFactory
    Stream<DynamicTest> helpWorksOnEveryCommandAndSubcommand() {
        return commands().stream().flatMap(path -> Stream.of("--help", "-h").map(flag -> {
            List<String> args = new ArrayList<>(path);
            args.add(flag);
            return DynamicTest.dynamicTest(String.join(" ", args), () -> {
                Run run = run(args.toArray(String[]::new));

                assertThat(run.code).as(run.err).isZero();
                assertThat(run.err).isEmpty();
                String command = String.join(" ", path);
                assertThat(run.out).startsWith("Usage: imap-sync" + (command.isEmpty() ? "" : " " + command))
                        .contains("-h, --help").doesNotContain("Missing required");
            });
        }));
    }

    @Test
    void theCommandsAreFoundRecursively() {
        assertThat(commands()).contains(List.of(), List.of("sync"), List.of("probe"), List.of("history"), List.of("show"),
                List.of("contacts"), List.of("accounts"), List.of("accounts", "add"), List.of("accounts", "remove"),
                List.of("run"));
    }

    @Test
    void aMissingRequiredOptionWithoutHelpIsStillAUsageError() {
        Run run = run("sync");

        assertThat(run.code).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).startsWith("usage error: Missing required option");
    }

    @Test
    void versionWorksOnASubcommand() {
        Run run = run("sync", "--version");

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out.trim()).isEqualTo("imap-sync 0.1.0");
    }

    /** Every command's path below the root (the root itself is the empty path), depth first. */
    private static List<List<String>> commands() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new ImapSyncCli(System.out, System.err, Map.of())), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            collect(sub.getValue(), List.copyOf(subPath), into);
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
    }
}
