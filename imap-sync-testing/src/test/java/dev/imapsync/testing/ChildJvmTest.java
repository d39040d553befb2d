package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * The child: echoes its arguments and an environment variable, complains on stderr, exits
     * with 3, or waits ("wait"; "hook" also prints "stopping" when stopped).
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("hook")) {
            // before the first line: the test stops the child as soon as it sees that line
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping")));
        }
        System.out.println("args " + String.join(" ", args));
        System.out.println("env " + System.getenv("CHILD_JVM_TEST"));
        System.err.println("a complaint");
        System.out.flush();
        if (args.length > 0 && (args[0].equals("wait") || args[0].equals("hook"))) {
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
        System.exit(3);
    }

    @Test
    void runsAMainClassAndHandsOverItsOutput() throws Exception {
        Path log = dir.resolve("child.log");
        try (ChildJvm child = ChildJvm.builder(ChildJvmTest.class).name("echo").args("one", "two")
                .env(Map.of("CHILD_JVM_TEST", "set")).log(log).start()) {
            assertThat(child.nextLine(WAIT)).contains("args one two");
            assertThat(child.nextLine(WAIT)).contains("env set");
            assertThat(child.exitCode()).isEqualTo(3);
            assertThat(child.nextLine(Duration.ofMillis(10))).as("after the end of the output").isEmpty();

            assertThat(child.outLines()).containsExactly("args one two", "env set");
            assertThat(child.errLines()).containsExactly("a complaint");
            assertThat(child.err()).isEqualTo("a complaint");
            assertThat(child.tails()).contains("--- echo stdout (tail) ---\nargs one two\nenv set\n",
                    "--- echo stderr (tail) ---\na complaint");
            assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("args one two", "env set", "a complaint");
            assertThat(ChildJvm.tail(log, 1)).isNotEmpty();
        }
    }

    @Test
    void killsAChildThatDoesNotEndInTime() throws Exception {
        try (ChildJvm child = ChildJvm.builder(ChildJvmTest.class).args("wait").copyClassPathTo(dir.resolve("lib"))
                .start()) {
            assertThat(child.nextLine(WAIT)).contains("args wait");
            assertThat(child.awaitExit(Duration.ofMillis(100))).isFalse();

            assertThat(child.exitCodeWithin(Duration.ofMillis(100))).isEqualTo(-1);

            assertThat(child.process().isAlive()).isFalse();
            assertThat(child.kill()).as("killed again").isFalse();
            assertThat(dir.resolve("lib").toFile().list()).as("the copied class path").isNotEmpty();
        }
    }

    @Test
    void keepsWhatTheChildPrintsWhileStopping() throws Exception {
        try (ChildJvm child = ChildJvm.builder(ChildJvmTest.class).args("hook").start()) {
            assertThat(child.nextLine(WAIT)).contains("args hook");

            child.terminate();

            assertThat(child.exitCodeWithin(WAIT)).isEqualTo(143);
            assertThat(child.outLines()).endsWith("stopping");
        }
    }
}
