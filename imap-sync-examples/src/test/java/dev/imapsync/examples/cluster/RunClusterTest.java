package dev.imapsync.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.examples.cli.ImapSyncCli;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.ChildJvm;
import dev.imapsync.testing.GreenMailTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Three {@code run --cycles 2} processes over 200 accounts on one database, one of them killed
 * (SIGKILL) midway through the first cycle. What {@code run} promises for a cycle is checked
 * from the nodes' trace lines (each sync's start and end, each cycle's bounds) and the database:
 * within each cycle of each surviving node every account was synced (by some node), each account
 * was synced exactly once per cycle overall, no account was held by two nodes at once, the killed
 * node's accounts were taken over only after its lease lapsed, and history has no duplicates and
 * exactly the rows the generated messages call for.
 */
class RunClusterTest {
    private static final int ACCOUNTS = 200;
    private static final int MESSAGES = 5;
    private static final int CONTACTS = 20;
    private static final int CYCLES = 2;
    private static final long INTERVAL_SECONDS = 40;
    private static final String INTERVAL = INTERVAL_SECONDS + "s";
    private static final long LEASE_SECONDS = 5;
    private static final String KEY = SecretKeys.generate("cluster-1");
    private static final String KILLED = "node-3";
    /** The scheduler's listener hears a start just before the attempt's own time is taken. */
    private static final long START_SLACK_MICROS = 100_000;

    private static GreenMailTls server;
    private static Path contacts;
    /** (account, contact, role, subject) for every history row the messages call for. */
    private static final Set<List<String>> EXPECTED = new HashSet<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start(@TempDir Path shared) throws Exception {
        server = GreenMailTls.start();
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < CONTACTS; c++) {
            csv.append(String.format("c-%02d,contact-%02d@client.example%n", c, c));
        }
        contacts = shared.resolve("contacts.csv");
        Files.writeString(contacts, csv);
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = id(i);
            String address = id + "@example.test";
            GreenMailUser user = server.addUser(address, password(i));
            for (int j = 0; j < MESSAGES; j++) {
                String contact = String.format("%02d", (i + j) % CONTACTS);
                String subject = "m-" + id + "-" + j;
                boolean sent = j == MESSAGES - 1;
                String from = sent ? address : "contact-" + contact + "@client.example";
                String to = sent ? "contact-" + contact + "@client.example" : address;
                server.append(user, sent ? "Sent" : "INBOX", "From: " + from + "\nTo: " + to + "\nSubject: " + subject
                        + "\nMessage-ID: <" + subject + "@example.test>\n\nbody\n");
                EXPECTED.add(List.of(id, "c-" + contact, sent ? "TO" : "FROM", subject));
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String id(int i) {
        return String.format("u%03d", i);
    }

    private static String password(int i) {
        return "pw-" + i + "-Cluster";
    }

    @Test
    void threeNodesOnH2InServerMode() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("cluster").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        // this JVM opens the database first and keeps it open, so it serves it to the nodes: killing a node
        // never takes the database server with it
        try (Connection keepOpen = h2.getConnection()) {
            cluster("h2", url, h2);
        }
    }

    @Test
    void threeNodesOnPostgresql() throws Exception {
        String base = System.getenv("IMAPSYNC_TEST_POSTGRES_URL");
        assumeThat(base).as("IMAPSYNC_TEST_POSTGRES_URL is not set").isNotBlank();
        String schema = "imapsync_c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(base);
        execute(admin, "CREATE SCHEMA " + schema);
        try {
            String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            cluster("postgresql", url, pg);
        } finally {
            execute(admin, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private void cluster(String label, String url, DataSource dataSource) throws Exception {
        long began = System.nanoTime();
        JdbcSchema.migrate(dataSource);
        JdbcAccountRepository repository = JdbcAccountRepository.builder(dataSource).keys(SecretKeys.parse(KEY)).build();
        for (int i = 0; i < ACCOUNTS; i++) {
            ImapAccount account = ImapAccount.builder().id(id(i)).endpoint(server.host(), server.imapPort(), Security.NONE)
                    .allowInsecure(true).password(id(i) + "@example.test", password(i))
                    .emailAddress(id(i) + "@example.test")
                    // the contacts share the accounts' domain: record their (internal) mail
                    .privacy(dev.imapsync.policy.PrivacySettings.defaults().withRecordInternal(true)).build();
            repository.save(new ManagedAccount(account, FolderChoice.named(List.of("INBOX", "Sent")), Optional.empty(),
                    Optional.empty()));
        }

        List<ChildJvm> nodes = new ArrayList<>();
        try {
            for (int k = 1; k <= 3; k++) {
                String name = label + "-node-" + k;
                nodes.add(ChildJvm.builder(ImapSyncCli.class).name(name).directory(dir).log(dir.resolve(name + ".log"))
                        .copyClassPathTo(dir.resolve("child-lib")).env(Map.of("IMAPSYNC_KEY", KEY))
                        .args("run", "--db", url, "--contacts", contacts.toString(), "--interval", INTERVAL,
                                "--cycles", Integer.toString(CYCLES), "--node-id", "node-" + k, "--lease",
                                LEASE_SECONDS + "s", "--max-concurrent", "4", "--per-host", "4", "--trace")
                        .start());
            }
            ChildJvm victim = nodes.get(2);

            // midway through the first cycle, while the victim is in the middle of syncs: SIGKILL
            long deadline = System.nanoTime() + 120_000_000_000L;
            Trace seen = null;
            while (System.nanoTime() < deadline) {
                seen = Trace.of(nodes);
                if (seen.ends() >= ACCOUNTS / 4 && !seen.unended(KILLED).isEmpty()) {
                    break;
                }
                assertThat(victim.process().isAlive()).as(allTails(nodes)).isTrue();
                Thread.sleep(20);
            }
            assertThat(seen.ends()).as(allTails(nodes)).isGreaterThanOrEqualTo(ACCOUNTS / 4).isLessThan(ACCOUNTS);
            victim.kill();
            long killedAt = micros(Instant.now());

            for (ChildJvm node : nodes.subList(0, 2)) {
                int code = node.exitCodeWithin(Duration.ofSeconds(240));
                assertThat(code).as(node.name() + " exit code\n" + allTails(nodes)).isZero();
            }
            long millis = (System.nanoTime() - began) / 1_000_000;
            Trace trace = Trace.of(nodes);
            String context = allTails(nodes);
            verify(label, trace, killedAt, dataSource, context);
            System.out.printf("RunClusterTest %s: %d accounts, %d cycles, 3 nodes (one killed) in %d ms; syncs per node:"
                    + " %s; taken over from %s: %s%n", label, ACCOUNTS, CYCLES, millis, trace.syncsPerNode(),
                    KILLED, trace.unended(KILLED).keySet());
        } finally {
            for (ChildJvm node : nodes) {
                node.close();
            }
        }
    }

    private void verify(String label, Trace trace, long killedAt, DataSource dataSource, String context)
            throws SQLException {
        List<Sync> syncs = trace.syncs(KILLED, killedAt);
        Map<String, List<Sync>> byAccount = new TreeMap<>();
        for (Sync s : syncs) {
            byAccount.computeIfAbsent(s.account, a -> new ArrayList<>()).add(s);
        }

        // every account synced in each cycle of each surviving node, by one node or another
        for (String node : List.of("node-1", "node-2")) {
            List<long[]> cycles = trace.cycles(node);
            assertThat(cycles).as(node + " cycles\n" + context).hasSize(CYCLES);
            for (int k = 0; k < CYCLES; k++) {
                long start = cycles.get(k)[0];
                long end = cycles.get(k)[1];
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < ACCOUNTS; i++) {
                    boolean synced = byAccount.getOrDefault(id(i), List.of()).stream().anyMatch(s -> s.ok
                            && s.start >= start - START_SLACK_MICROS && s.start <= end);
                    if (!synced) {
                        missing.add(id(i));
                    }
                }
                assertThat(missing).as(label + ": accounts not synced within cycle " + (k + 1) + " of " + node + "\n"
                        + context).isEmpty();
            }
        }
        // once per cycle overall: at least one completed sync per cycle (above), and never a second one before the
        // account came due again: consecutive completed syncs of an account lie an interval (less its 10% jitter)
        // apart. (Exactly CYCLES syncs per account holds only while a round is shorter than the interval: on a slow
        // machine accounts come due again within a round, and are rightly synced again.)
        long minGap = (long) (INTERVAL_SECONDS * 0.9 * 1_000_000) - 1_000_000;
        List<String> early = new ArrayList<>();
        Map<Long, Integer> counts = new TreeMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            List<Sync> done = byAccount.getOrDefault(id(i), List.of()).stream().filter(s -> s.ok).toList();
            counts.merge((long) done.size(), 1, Integer::sum);
            if (done.size() < CYCLES) {
                early.add(id(i) + " synced only " + done.size() + " time(s)");
            }
            for (int j = 1; j < done.size(); j++) {
                if (done.get(j).start - done.get(j - 1).start < minGap) {
                    early.add(done.get(j - 1) + " then " + done.get(j));
                }
            }
        }
        System.out.printf("RunClusterTest %s: completed syncs per account -> number of accounts: %s%n", label, counts);
        assertThat(early).as(label + ": accounts synced again before they were due\n" + context).isEmpty();

        // never held by two nodes at once: the syncs of one account on different nodes never overlap
        List<String> overlaps = new ArrayList<>();
        for (List<Sync> list : byAccount.values()) {
            for (int a = 0; a < list.size(); a++) {
                for (int b = a + 1; b < list.size(); b++) {
                    Sync x = list.get(a);
                    Sync y = list.get(b);
                    if (!x.node.equals(y.node) && x.start < y.end && y.start < x.end) {
                        overlaps.add(x + " / " + y);
                    }
                }
            }
        }
        assertThat(overlaps).as(label + ": syncs of one account overlapping on two nodes\n" + context).isEmpty();

        // the killed node's syncs in flight were taken over, and only after its lease lapsed
        Map<String, Long> inFlight = trace.unended(KILLED);
        assertThat(inFlight).as(label + ": the killed node had no sync in flight\n" + context).isNotEmpty();
        for (Map.Entry<String, Long> e : inFlight.entrySet()) {
            long leaseEnds = e.getValue() + LEASE_SECONDS * 1_000_000 - 500_000;
            Optional<Sync> takeover = byAccount.get(e.getKey()).stream()
                    .filter(s -> !s.node.equals(KILLED) && s.start > e.getValue()).findFirst();
            assertThat(takeover).as(label + ": " + e.getKey() + " in flight on " + KILLED + " was not taken over\n"
                    + context).isPresent();
            assertThat(takeover.get().ok).isTrue();
            assertThat(takeover.get().start).as(label + ": " + e.getKey() + " taken over before the lease lapsed: "
                    + takeover.get() + ", killed at " + killedAt).isGreaterThanOrEqualTo(Math.max(leaseEnds, killedAt));
        }

        // the database: statuses, no claim left, history without duplicates and exactly as expected
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT COUNT(*) FROM imapsync_account_status WHERE status = 'OK'"
                    + " AND last_synced_at IS NOT NULL AND next_run_at IS NOT NULL")).isEqualTo(ACCOUNTS);
            assertThat(single(s, "SELECT COUNT(*) FROM imapsync_lease WHERE owner IS NOT NULL")).isZero();
            long rows = single(s, "SELECT COUNT(*) FROM imapsync_activity");
            long distinct = single(s, "SELECT COUNT(*) FROM (SELECT DISTINCT account_id, message_key, contact_id, role"
                    + " FROM imapsync_activity) d");
            assertThat(rows).as(label + ": duplicate history rows").isEqualTo(distinct);
            Set<List<String>> actual = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT account_id, contact_id, role, subject FROM imapsync_activity")) {
                while (rs.next()) {
                    actual.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            assertThat(actual).hasSize((int) rows).isEqualTo(EXPECTED);
            assertThat(single(s, "SELECT COUNT(*) FROM imapsync_message")).isEqualTo((long) ACCOUNTS * MESSAGES);
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static String allTails(List<ChildJvm> nodes) {
        StringBuilder b = new StringBuilder();
        nodes.forEach(n -> b.append(n.tails()));
        return b.toString();
    }

    /** One sync on one node: [start, end] in epoch microseconds; a sync of the killed node cut short ends at the kill. */
    record Sync(String account, String node, long start, long end, boolean ok) {
        @Override
        public String toString() {
            return account + "@" + node + "[" + start + ".." + end + (ok ? " OK" : " not OK") + "]";
        }
    }

    /** The trace lines of all nodes. */
    static final class Trace {
        private final List<String[]> lines = new ArrayList<>();

        static Trace of(List<ChildJvm> nodes) {
            Trace t = new Trace();
            for (ChildJvm n : nodes) {
                for (String line : n.outLines()) {
                    if (line.startsWith("trace ")) {
                        t.lines.add(line.substring(6).split(" "));
                    }
                }
            }
            return t;
        }

        int ends() {
            return (int) lines.stream().filter(l -> l[0].equals("end")).count();
        }

        /** The accounts whose sync started on the node and has not ended, with the start. */
        Map<String, Long> unended(String node) {
            Map<String, Long> open = new TreeMap<>();
            for (String[] l : lines) {
                if (l.length > 3 && l[2].equals(node)) {
                    if (l[0].equals("start")) {
                        open.put(l[1], Long.parseLong(l[3]));
                    } else if (l[0].equals("end")) {
                        open.remove(l[1]);
                    }
                }
            }
            return open;
        }

        List<Sync> syncs(String killed, long killedAt) {
            List<Sync> syncs = new ArrayList<>();
            Map<String, Long> open = new HashMap<>();
            for (String[] l : lines) {
                if (l[0].equals("start")) {
                    open.put(l[1] + " " + l[2], Long.parseLong(l[3]));
                } else if (l[0].equals("end")) {
                    Long start = open.remove(l[1] + " " + l[2]);
                    if (start != null) {
                        syncs.add(new Sync(l[1], l[2], start, Long.parseLong(l[3]),
                                l[4].equals("SYNCED") && l[5].equals("OK")));
                    }
                }
            }
            open.forEach((key, start) -> {
                String[] k = key.split(" ");
                syncs.add(new Sync(k[0], k[1], start, k[1].equals(killed) ? killedAt : Long.MAX_VALUE, false));
            });
            syncs.sort((a, b) -> Long.compare(a.start, b.start));
            return syncs;
        }

        List<long[]> cycles(String node) {
            Map<String, long[]> byCycle = new TreeMap<>();
            for (String[] l : lines) {
                if ((l[0].equals("cycle-start") || l[0].equals("cycle-end")) && l[2].equals(node)) {
                    long[] c = byCycle.computeIfAbsent(l[1], k -> new long[] {-1, -1});
                    c[l[0].equals("cycle-start") ? 0 : 1] = Long.parseLong(l[3]);
                }
            }
            return byCycle.values().stream().filter(c -> c[0] >= 0 && c[1] >= 0).toList();
        }

        Map<String, Long> syncsPerNode() {
            Map<String, Long> m = new TreeMap<>();
            lines.stream().filter(l -> l[0].equals("end")).forEach(l -> m.merge(l[2], 1L, Long::sum));
            return m;
        }
    }
}
