package dev.imapsync.jdbc.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code main} class of the test class path run in a JVM of its own, with the same java
 * binary. Its stdout and stderr (merged) are drained by a thread into a log file, so the child
 * never blocks on a full pipe, and handed over line by line to {@link #nextLine}.
 */
final class ChildJvm implements AutoCloseable {
    private static final String END = "\u0000end of output";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread drainer;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.drainer = new Thread(() -> drain(log), "child-jvm-" + process.pid() + "-output");
        drainer.setDaemon(true);
        drainer.start();
    }

    /** Starts {@code main} with {@code args}; its output is appended to {@code log}. */
    static ChildJvm start(Class<?> main, List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(process, log);
    }

    private void drain(Path log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.write('\n');
                file.flush();
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading the child's output failed: " + e + ")");
        } finally {
            lines.add(END);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The next line of output, or empty when the output ended or nothing came within {@code timeout}. */
    Optional<String> nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line.equals(END)) {
            if (line != null) {
                lines.add(END); // stays the answer for every later call
            }
            return Optional.empty();
        }
        return Optional.of(line);
    }

    /** Waits up to {@code timeout} for the child to exit; true if it did. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills the child with SIGKILL (on Linux) unless it exited already; true if it was killed. */
    boolean kill() throws InterruptedException {
        if (!process.isAlive()) {
            return false;
        }
        process.destroyForcibly();
        process.waitFor();
        drainer.join(TimeUnit.SECONDS.toMillis(10));
        return true;
    }

    /** The exit code, waiting for the exit and the end of the output. */
    int exitCode() throws InterruptedException {
        int code = process.waitFor();
        drainer.join(TimeUnit.SECONDS.toMillis(10));
        return code;
    }

    /** The last {@code count} lines of a child log. */
    static String tail(Path log, int count) {
        try {
            if (!Files.exists(log)) {
                return "(no child log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes sure the child is gone (killed if still running). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
