package dev.imapsync.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code main} class of the test class path run in a JVM of its own, with the same
 * {@code java} binary: for what one JVM cannot show (a process killed mid-sync, several nodes
 * of a cluster, logging configured from the start).
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.builder(SyncChild.class).args("--db", url).log(dir.resolve("child.log")).start()) {
 *     Optional<String> ready = child.nextLine(Duration.ofSeconds(30));   // its stdout, line by line
 *     child.kill();                                                     // SIGKILL on Linux
 * }
 * }</pre>
 *
 * <p>Its stdout and stderr are each drained by a daemon thread (so the child never blocks on a
 * full pipe), kept in memory for {@link #outLines()} / {@link #errLines()} and appended to the
 * log file when one is given; stdout is also handed over line by line to {@link #nextLine}. A
 * line is seen once it is ended. Its stdin is closed at once. {@link #close()} kills a child
 * still running. The accessors are thread-safe.
 */
public final class ChildJvm implements AutoCloseable {
    /** The JVM options unless {@link Builder#jvmOptions} says otherwise: small, quick to start. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Lines out;
    private final Lines err;
    private final List<Thread> drainers = new ArrayList<>();

    private ChildJvm(String name, Process process, Optional<Path> log) {
        this.name = name;
        this.process = process;
        this.out = new Lines();
        this.err = new Lines();
        drainers.add(drain(process.getInputStream(), out, log, "out"));
        drainers.add(drain(process.getErrorStream(), err, log, "err"));
    }

    /** A builder for a child running {@code main}. */
    public static Builder builder(Class<?> main) {
        return new Builder(Objects.requireNonNull(main, "main").getName());
    }

    /** A builder for a child running the class named {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(Objects.requireNonNull(mainClass, "mainClass"));
    }

    /** The name given to {@link Builder#name}, for messages. */
    public String name() {
        return name;
    }

    /**
     * The child process itself. To stop it use {@link #terminate()} or {@link #kill()}: {@code
     * Process.destroy()} also closes this side of its output pipes, and what the child prints
     * while stopping would be lost.
     */
    public Process process() {
        return process;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * The next stdout line not yet handed out, waiting up to {@code timeout}; empty when nothing
     * came in time or the output ended.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<String> nextLine(Duration timeout) throws InterruptedException {
        return out.next(timeout);
    }

    /** Every stdout line so far. */
    public List<String> outLines() {
        return out.snapshot();
    }

    /** Every stderr line so far. */
    public List<String> errLines() {
        return err.snapshot();
    }

    /** Stdout so far, lines joined by {@code \n}. */
    public String out() {
        return String.join("\n", outLines());
    }

    /** Stderr so far, lines joined by {@code \n}. */
    public String err() {
        return String.join("\n", errLines());
    }

    /** The last 40 lines of stdout and of stderr, headed with the name: for assertion messages. */
    public String tails() {
        return "--- " + name + " stdout (tail) ---\n" + tail(outLines(), 40) + "\n--- " + name
                + " stderr (tail) ---\n" + tail(errLines(), 40) + "\n";
    }

    /**
     * Waits up to {@code timeout} for the child to exit; true if it did.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the exit of child " + name + " failed", e);
        }
    }

    /**
     * The exit code, waiting for the exit and the end of its output (at most
     * {@code DRAIN_TIMEOUT} for the output, once the child has exited).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public int exitCode() throws InterruptedException {
        int code = process.waitFor();
        joinDrainers();
        return code;
    }

    /**
     * The exit code if the child exits within {@code timeout}; else kills it and answers -1.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public int exitCodeWithin(Duration timeout) throws InterruptedException {
        if (!awaitExit(timeout)) {
            kill();
            return -1;
        }
        return exitCode();
    }

    /**
     * Asks the child to stop (SIGTERM on Linux, so its shutdown hooks run) and returns at once;
     * its output is still read to the end. Wait with {@link #exitCodeWithin}.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Kills the child (SIGKILL on Linux) unless it exited already, and waits for its end and the
     * end of its output; true if it was killed.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean kill() throws InterruptedException {
        if (!process.isAlive()) {
            return false;
        }
        process.toHandle().destroyForcibly();
        process.waitFor();
        joinDrainers();
        return true;
    }

    /** Makes sure the child is gone: kills it if it is still running. */
    @Override
    public void close() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code count} lines of a file, e.g. a child's log: for assertion messages. */
    public static String tail(Path file, int count) {
        try {
            if (!Files.exists(file)) {
                return "(no file " + file + ")";
            }
            return tail(Files.readAllLines(file, StandardCharsets.UTF_8), count);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid " + process.pid() + (process.isAlive() ? ", running]" : ", exited]");
    }

    private void joinDrainers() throws InterruptedException {
        for (Thread drainer : drainers) {
            drainer.join(DRAIN_TIMEOUT.toMillis());
        }
    }

    private Thread drain(InputStream stream, Lines lines, Optional<Path> log, String which) {
        Thread drainer = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    if (log.isPresent()) {
                        append(log.get(), line);
                    }
                }
            } catch (IOException e) {
                lines.add("(reading the child's std" + which + " failed: " + e + ")");
            } finally {
                lines.end();
            }
        }, "imap-sync-test-child-" + process.pid() + "-" + which);
        drainer.setDaemon(true);
        drainer.start();
        return drainer;
    }

    /** One line appended to the shared log; synchronized so stdout and stderr lines do not interleave. */
    private static synchronized void append(Path log, String line) throws IOException {
        try (Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            writer.write(line);
            writer.write('\n');
        }
    }

    private static String tail(List<String> lines, int count) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** Lines of one stream: all of them for snapshots, and a cursor for {@link #next}. */
    private static final class Lines {
        private final List<String> all = new ArrayList<>();
        private int handedOut;
        private boolean ended;

        synchronized void add(String line) {
            all.add(line);
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized List<String> snapshot() {
            return List.copyOf(all);
        }

        synchronized Optional<String> next(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (handedOut == all.size() && !ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return handedOut < all.size() ? Optional.of(all.get(handedOut++)) : Optional.empty();
        }
    }

    /** What to run and how; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private final String mainClass;
        private String name;
        private final List<String> args = new ArrayList<>();
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private final Map<String, String> env = new HashMap<>();
        private Path directory;
        private Path log;
        private Path classPathCopy;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        /** The name in messages and {@link #tails()}; the main class's simple name unless set. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The arguments of {@code main}, added after those given before. */
        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /** The arguments of {@code main}, added after those given before. */
        public Builder args(String... args) {
            return args(List.of(args));
        }

        /** The JVM options, instead of {@link #DEFAULT_JVM_OPTIONS}. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** Adds environment variables to those the child inherits. */
        public Builder env(Map<String, String> variables) {
            this.env.putAll(variables);
            return this;
        }

        /** The child's working directory; this JVM's unless set. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** A file every line of the child's stdout and stderr is appended to (created if needed). */
        public Builder log(Path file) {
            this.log = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Runs the child on copies of the class path's jars, made under {@code directory} on first
         * use: other builds on the same machine may replace the jars in the local Maven repository
         * while the child runs, and a class loaded late would then be missing or different.
         */
        public Builder copyClassPathTo(Path directory) {
            this.classPathCopy = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Starts the child.
         *
         * @throws IOException if the process cannot be started or the class path not copied
         */
        public ChildJvm start() throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classPathCopy == null ? System.getProperty("java.class.path") : copiedClassPath(classPathCopy));
            command.add(mainClass);
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            return new ChildJvm(name, process, Optional.ofNullable(log));
        }

        private static synchronized String copiedClassPath(Path dir) throws IOException {
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                    Path copy = dir.resolve((n++) + "-" + path.getFileName());
                    if (!Files.exists(copy)) {
                        Files.createDirectories(dir);
                        Files.copy(path, copy);
                    }
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
    }
}
