package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.ChildJvm;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} in this JVM over accounts stored with {@code accounts add}, on an H2 file. */
class RunCommandTest {
    private static final List<String> USERS = List.of("ann", "ben", "cat");
    private static final String KEY = SecretKeys.generate("run-test-1");

    private static GreenMailTls server;
    private static Path certificate;
    private static Path contacts;

    @TempDir
    Path dir;
    private String db;
    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void start(@TempDir Path shared) throws IOException {
        server = GreenMailTls.start(TestCertificates.localhost());
        for (String u : USERS) {
            String address = u + "@example.test";
            var user = server.addUser(address, password(u));
            server.append(user, "INBOX", message("dave@client.example", address, u + " one"));
            server.append(user, "INBOX", message("dave@client.example", address, u + " two"));
            server.append(user, "INBOX", message("erin@partner.example", address, u + " three"));
            server.append(user, "Sent", message(address, "dave@client.example", u + " reply"));
            server.append(user, "INBOX", message("stranger@elsewhere.example", address, u + " unknown sender"));
        }
        certificate = TestCertificates.localhost().writePem(shared.resolve("server.pem"));
        contacts = shared.resolve("contacts.csv");
        Files.writeString(contacts, "c-dave,dave@client.example\nc-erin,erin@partner.example\n");
    }

    private static String password(String user) {
        return "pw-" + user + "-Secret-9";
    }

    private static String message(String from, String to, String subject) {
        return "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\nMessage-ID: <"
                + subject.replace(' ', '.') + "@example.test>\n\nbody\n";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void database() {
        db = "jdbc:h2:" + dir.resolve("crm").toAbsolutePath();
        env.put("IMAPSYNC_KEY", KEY);
        env.put("WRONG", "not-the-password");
        for (String u : USERS) {
            env.put("PW_" + u.toUpperCase(), password(u));
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long started = System.nanoTime();
        int code = ImapSyncCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.copyOf(env));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - started) / 1_000_000);
    }

    private Run add(String user, String passwordEnv) {
        return run("accounts", "add", "--db", db, "--id", user, "--host", "127.0.0.1", "--port",
                Integer.toString(server.imapsPort()), "--security", "ssl", "--user", user + "@example.test",
                "--password-env", passwordEnv, "--trust-cert", certificate.toString(), "--folders", "INBOX,Sent",
                "--record-internal"); // the contacts share the users' domain: their mail is internal
    }

    private Run runCycles(String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--db", db, "--contacts", contacts.toString(),
                "--interval", "3s", "--cycles", "1", "--node-id", "test-node"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Map<String, AccountStatus> statuses() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        return JdbcSyncStore.create(h2).statuses().stream()
                .collect(Collectors.toMap(AccountStatus::accountId, Function.identity()));
    }

    private long count(String sql) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        try (Connection c = h2.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void runSyncsEveryStoredAccountOncePerCycleAndReportsAFailedLogin() throws Exception {
        for (String u : USERS) {
            Run added = add(u, "PW_" + u.toUpperCase());
            assertThat(added.code).as(added.err).isZero();
        }

        Run first = runCycles();

        assertThat(first.code).as(first.out + first.err).isZero();
        for (String u : USERS) {
            assertThat(first.out).containsPattern("(?m)^" + u + " OK: 5 read, 4 new history entries; next run 20");
        }
        assertThat(first.out).contains("cycle 1 of 1 done").contains("3 account(s), 0 not OK");
        assertThat(count("SELECT COUNT(*) FROM imapsync_activity")).isEqualTo(12);
        Map<String, AccountStatus> afterFirst = statuses();
        assertThat(afterFirst).hasSize(3);
        assertThat(afterFirst.values()).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(SyncStatus.OK);
            assertThat(s.lastSyncedAt()).isPresent();
            assertThat(s.nextRunAt()).hasValueSatisfying(next -> assertThat(next).isAfter(s.lastAttemptAt()));
        });
        System.out.printf("RunCommandTest: first run --cycles 1 took %d ms%n", first.millis);

        // none is due when the second run starts: its cycle waits for them (interval 3s), and reads nothing new
        Thread.sleep(600);
        Run second = runCycles("--json");

        assertThat(second.code).as(second.out + second.err).isZero();
        JsonNode json = new ObjectMapper().readTree(second.out);
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("node").asText()).isEqualTo("test-node");
        JsonNode cycle = json.get("cycles").get(0);
        List<String> synced = new ArrayList<>();
        long activities = 0;
        for (JsonNode pass : cycle.get("passes")) {
            for (JsonNode o : pass.get("outcomes")) {
                synced.add(o.get("accountId").asText());
                assertThat(o.get("status").asText()).isEqualTo("OK");
                activities += o.get("activities").asLong();
            }
        }
        assertThat(synced).containsExactlyInAnyOrderElementsOf(USERS);
        assertThat(activities).isZero();
        assertThat(count("SELECT COUNT(*) FROM imapsync_activity")).isEqualTo(12);
        assertThat(json.get("accounts")).hasSize(3).allSatisfy(a -> {
            assertThat(a.get("status").asText()).isEqualTo("OK");
            assertThat(a.get("nextRunAt").isNull()).isFalse();
        });
        Map<String, AccountStatus> afterSecond = statuses();
        for (String u : USERS) {
            assertThat(afterSecond.get(u).lastSyncedAt().orElseThrow())
                    .isAfter(afterFirst.get(u).lastSyncedAt().orElseThrow());
        }
        System.out.printf("RunCommandTest: second run --cycles 1 took %d ms%n", second.millis);

        // ben is stored again with a wrong password
        assertThat(add("ben", "WRONG").code).isZero();
        Run third = runCycles();

        assertThat(third.code).as(third.out + third.err).isEqualTo(1);
        assertThat(third.out).containsPattern("(?m)^ben AUTH_FAILED: .*What to do: .*; next run 20");
        assertThat(third.err).contains("run: 1 of 3 account(s) not OK: ben AUTH_FAILED");
        Map<String, AccountStatus> afterThird = statuses();
        assertThat(afterThird.get("ben").status()).isEqualTo(SyncStatus.AUTH_FAILED);
        assertThat(afterThird.get("ben").hint()).isNotBlank();
        assertThat(afterThird.get("ann").status()).isEqualTo(SyncStatus.OK);
        assertThat(afterThird.get("cat").status()).isEqualTo(SyncStatus.OK);
        for (Run r : List.of(first, second, third)) {
            for (String u : USERS) {
                assertThat(r.out + r.err).doesNotContain(password(u)).doesNotContain(KEY.substring(KEY.indexOf(':') + 1));
            }
        }

        // the stopped account does not hold a later cycle up, and keeps the exit code at 1
        Run fourth = runCycles();
        assertThat(fourth.code).as(fourth.out + fourth.err).isEqualTo(1);
        assertThat(fourth.out).doesNotContain("ben ");
        System.out.printf("RunCommandTest: third and fourth runs took %d and %d ms%n", third.millis, fourth.millis);
    }

    @Test
    void optionsAreChecked() {
        assertThat(runCycles("--lease", "2s").err).isEqualTo("usage error: --lease '2s' is too short: give at least 3s"
                + " (heartbeats come every third of it)" + System.lineSeparator());
        assertThat(run("run", "--db", db, "--contacts", contacts.toString(), "--json").code).isEqualTo(2);
        assertThat(runCycles("--cycles", "0").code).isEqualTo(2);
        assertThat(run("run", "--help").out.replaceAll("\\s+", " ")).contains("A cycle is one round over every stored account");
    }

    @Test
    void withoutCyclesItRunsUntilSigterm() throws Exception {
        db = "jdbc:h2:" + dir.resolve("daemon").toAbsolutePath();
        assertThat(add("ann", "PW_ANN").code).isZero();
        try (ChildJvm node = ChildJvm.builder(ImapSyncCli.class).name("daemon").directory(dir)
                .log(dir.resolve("daemon.log")).copyClassPathTo(dir.resolve("child-lib"))
                .env(Map.of("IMAPSYNC_KEY", KEY)).args("run", "--db", db, "--contacts", contacts.toString(),
                        "--interval", "5s", "--node-id", "daemon-node").start()) {
            Await.until("the daemon synced ann, or exited", Duration.ofSeconds(60),
                    () -> node.outLines().stream().anyMatch(l -> l.startsWith("ann OK")) || !node.process().isAlive());
            assertThat(node.out()).as(node.tails()).contains("run: node daemon-node started over 1 stored account(s)")
                    .containsPattern("(?m)^ann OK: 5 read, 4 new history entries; next run 20");
            node.terminate(); // SIGTERM
            int code = node.exitCodeWithin(Duration.ofSeconds(30));
            assertThat(code).as(node.tails()).isEqualTo(143);
            assertThat(node.out()).as(node.tails()).contains("run: node daemon-node stopped");
            assertThat(node.err()).as(node.tails()).contains("run: stopping").doesNotContain(password("ann"));
        }
    }

    private record Run(int code, String out, String err, long millis) {
    }
}
