package dev.imapsync.examples.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The imap-sync CLI in a JVM of its own, with the test class path; its stdout and stderr go to
 * files (so it never blocks on a full pipe), read back for assertions and failure messages.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildJvm(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code ImapSyncCli} with {@code args}; the environment gets {@code env} added. */
    public static ChildJvm start(String name, Path dir, Map<String, String> env, List<String> args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classPath(dir),
                "dev.imapsync.examples.cli.ImapSyncCli"));
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        new File("/dev/null")));
        builder.environment().putAll(env);
        return new ChildJvm(name, builder.start(), out, err);
    }

    /**
     * The test class path with its jars copied under {@code dir}: other builds on this machine may
     * replace the jars in the local repository while the child runs, and a class loaded late
     * would then be missing.
     */
    private static synchronized String classPath(Path dir) throws IOException {
        Path lib = dir.resolve("child-lib");
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                Path copy = lib.resolve((n++) + "-" + p.getFileName());
                if (!Files.exists(copy)) {
                    Files.createDirectories(lib);
                    Files.copy(p, copy);
                }
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** Its stdout so far. */
    public List<String> outLines() {
        return lines(out);
    }

    public String out() {
        return String.join("\n", outLines());
    }

    public String err() {
        return String.join("\n", lines(err));
    }

    /** The last lines of stdout and stderr, for assertion messages. */
    public String tails() {
        return "--- " + name + " stdout (tail) ---\n" + tail(lines(out), 40) + "\n--- " + name
                + " stderr (tail) ---\n" + tail(lines(err), 40) + "\n";
    }

    /** Waits for the exit; kills it if it has not exited in time and returns -1. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(List<String> lines, int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static List<String> lines(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(text.lines().toList());
            if (!text.endsWith("\n") && !lines.isEmpty()) {
                lines.remove(lines.size() - 1); // a line being written
            }
            return lines;
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e + ")");
        }
    }
}
