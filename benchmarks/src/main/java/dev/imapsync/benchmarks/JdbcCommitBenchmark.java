package dev.imapsync.benchmarks;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code java -jar benchmarks.jar jdbc-commit [options]}: how many messages and activities per
 * second {@link JdbcSyncStore#commit} records, per database and batch size, against
 * {@link InMemorySyncStore#commit} of the same batches measured in the same run.
 *
 * <p>One trial is the first sync of a folder: {@code --messages} new messages (about two
 * activities each), cut into batches of the trial's size exactly as {@code FolderSync} cuts
 * them (one folder, ascending UIDs, each batch carrying its activities and the checkpoint after
 * it), committed one after the other on one thread. <b>Every trial gets a database of its own,
 * made empty and removed afterwards</b> (see {@link BenchDatabase}): so no trial inherits the
 * tables, indexes, caches or garbage of another, and the tables grow only to one trial's
 * {@code --messages} (the rate over the last quarter of a trial is printed next to the first
 * quarter's, so growth within a trial shows). Batches are built before the clock starts; the
 * clock covers only the commit calls. Each database first gets one untimed warm-up trial (the
 * JIT, the driver, the server's caches), then {@code --trials} timed trials per batch size,
 * in rotation; the table shows the median trial, and the spread over trials.
 */
final class JdbcCommitBenchmark {
    private static final String ACCOUNT = "bench-account@example.com";
    private static final String FOLDER = "INBOX";
    private static final long UID_VALIDITY = 1_700_000_000L;

    /** --contact-addr-index: an index the schema does not have, on imapsync_activity (contact_addr), to measure its cost. */
    private static boolean contactAddrIndex;
    /** --erase: after each timed trial, the time JdbcSyncStore.erase takes for one contact's address. */
    private static boolean erase;
    /** --drop-indexes: indexes of the schema dropped before each trial, to measure what each costs a commit. */
    private static List<String> dropIndexes = List.of();
    /** --no-threads: messages without a thread key (as before schema version 5); by default they carry one. */
    private static boolean threads = true;

    private JdbcCommitBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int messages = 40_000;
        int trials = 3;
        int[] batchSizes = {100, 500, 2_000};
        List<BenchDatabase> databases = BenchDatabase.available();
        boolean pooled = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--batch-sizes" -> batchSizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--databases" -> databases = BenchDatabase.parse(args[++i]);
                case "--unpooled" -> pooled = false;
                case "--contact-addr-index" -> contactAddrIndex = true;
                case "--erase" -> erase = true;
                case "--drop-indexes" -> dropIndexes = List.of(args[++i].split(","));
                case "--no-threads" -> threads = false;
                default -> {
                    System.err.println("usage: jdbc-commit [--messages N (40000)] [--trials N (3)]"
                            + " [--batch-sizes 100,500,2000] [--databases h2-mem,h2-file,postgresql,mariadb] [--unpooled]"
                            + " [--contact-addr-index] [--erase] [--drop-indexes imapsync_message_key,…] [--no-threads]");
                    System.exit(2);
                }
            }
        }
        List<SyncedMessage> allMessages = new ArrayList<>(messages);
        List<List<ContactActivity>> allActivities = new ArrayList<>(messages);
        generate(messages, allMessages, allActivities);
        long activityCount = allActivities.stream().mapToLong(List::size).sum();
        System.out.printf("jdbc-commit: %,d messages, %,d activities (%.2f per message) per trial, one folder,"
                        + " one thread; %d timed trials per case, each into a new empty database; connections %s%n",
                messages, activityCount, activityCount / (double) messages, trials,
                pooled ? "from a one-connection pool" : "new per call (--unpooled)");
        System.out.printf("databases: %s; thread keys %s; indexes dropped: %s%n%n", databases.stream().map(d -> d.label)
                .toList(), threads ? "as the engine makes them (4 in 10 messages replies)" : "none (--no-threads)",
                dropIndexes.isEmpty() ? "none" : dropIndexes);

        List<Row> rows = new ArrayList<>();
        // the baseline: the same batches into InMemorySyncStore
        rows.addAll(measure("in-memory", () -> null, batchSizes, trials, allMessages, allActivities));
        for (BenchDatabase database : databases) {
            rows.addAll(measure(database.label, () -> database, batchSizes, trials, allMessages, allActivities, pooled));
        }
        print(rows, batchSizes, messages, activityCount);
    }

    private static List<Row> measure(String label, Supplier<BenchDatabase> database, int[] batchSizes, int trials,
                                     List<SyncedMessage> messages, List<List<ContactActivity>> activities)
            throws Exception {
        return measure(label, database, batchSizes, trials, messages, activities, true);
    }

    private static List<Row> measure(String label, Supplier<BenchDatabase> database, int[] batchSizes, int trials,
                                     List<SyncedMessage> messages, List<List<ContactActivity>> activities,
                                     boolean pooled) throws Exception {
        BenchDatabase kind = database.get();
        System.out.printf("%s: warming up%n", label);
        trial(kind, pooled, batches(500, messages, activities), messages.size());
        List<List<SyncBatch>> prepared = new ArrayList<>();
        for (int size : batchSizes) {
            prepared.add(batches(size, messages, activities));
        }
        double[][] seconds = new double[batchSizes.length][trials];
        double[][] firstQuarter = new double[batchSizes.length][trials];
        double[][] lastQuarter = new double[batchSizes.length][trials];
        double[][] clientCpu = new double[batchSizes.length][trials];
        double[][] serverCpu = new double[batchSizes.length][trials];
        for (int t = 0; t < trials; t++) {
            for (int b = 0; b < batchSizes.length; b++) {
                Trial result = trial(kind, pooled, prepared.get(b), messages.size());
                seconds[b][t] = result.seconds;
                firstQuarter[b][t] = result.firstQuarterRate;
                lastQuarter[b][t] = result.lastQuarterRate;
                clientCpu[b][t] = result.clientCpuMicros;
                serverCpu[b][t] = result.serverCpuMicros;
                System.out.printf("%s: batch %d, trial %d: %.2f s, CPU µs/message: client %.1f, server %.1f%n", label,
                        batchSizes[b], t + 1, result.seconds, result.clientCpuMicros, result.serverCpuMicros);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int b = 0; b < batchSizes.length; b++) {
            rows.add(new Row(label, batchSizes[b], median(seconds[b]), min(seconds[b]), max(seconds[b]),
                    median(firstQuarter[b]), median(lastQuarter[b]), prepared.get(b).size(), median(clientCpu[b]),
                    median(serverCpu[b])));
        }
        return rows;
    }

    /**
     * The seconds and rates of one trial, and the CPU time per message of the committing thread
     * and of the database's session (its backend process or thread; NaN where not known): on a
     * loaded machine the rates swing with the load, the CPU time much less.
     */
    private record Trial(double seconds, double firstQuarterRate, double lastQuarterRate, double clientCpuMicros,
                         double serverCpuMicros) {
        Trial withServerCpu(double micros) {
            return new Trial(seconds, firstQuarterRate, lastQuarterRate, clientCpuMicros, micros);
        }
    }

    /**
     * CPU time of the database session behind the one pooled connection, read from
     * {@code /proc} (Linux, database on this machine): PostgreSQL's backend process
     * ({@code pg_backend_pid()}), MariaDB's connection thread ({@code PROCESSLIST.TID}).
     */
    interface ServerCpu {
        long nanos();

        static ServerCpu of(BenchDatabase kind, javax.sql.DataSource dataSource) {
            String sql = switch (kind) {
                case POSTGRESQL -> "SELECT pg_backend_pid()";
                case MARIADB -> "SELECT TID FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()";
                default -> null;
            };
            if (sql == null) {
                return () -> Long.MIN_VALUE;
            }
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                java.nio.file.Path stat = java.nio.file.Path.of("/proc", rs.getString(1), "stat");
                return () -> {
                    try {
                        String line = java.nio.file.Files.readString(stat);
                        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                        // utime and stime, fields 14 and 15 of stat, in clock ticks of 10 ms
                        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                    } catch (java.io.IOException | RuntimeException e) {
                        return Long.MIN_VALUE;
                    }
                };
            } catch (java.sql.SQLException e) {
                return () -> Long.MIN_VALUE;
            }
        }
    }

    private static Trial trial(BenchDatabase kind, boolean pooled, List<SyncBatch> batches, int expectedMessages)
            throws Exception {
        if (kind == null) {
            return timed(new InMemorySyncStore(), batches, expectedMessages);
        }
        try (BenchDatabase.Instance db = kind.create(pooled)) {
            JdbcSchema.migrate(db.dataSource());
            if (contactAddrIndex) {
                try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
                    s.execute("CREATE INDEX imapsync_activity_addr ON imapsync_activity (contact_addr)");
                }
            }
            for (String index : dropIndexes) {
                try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
                    // MariaDB names the table; every index of the schema starts with its table's name
                    String table = index.startsWith("imapsync_activity") ? "imapsync_activity" : "imapsync_message";
                    s.execute(kind == BenchDatabase.MARIADB ? "DROP INDEX " + index + " ON " + table
                            : "DROP INDEX " + index);
                }
            }
            JdbcSyncStore store = JdbcSyncStore.create(db.dataSource());
            ServerCpu server = ServerCpu.of(kind, db.dataSource());
            long serverBefore = server.nanos();
            Trial trial = timed(store, batches, expectedMessages);
            long serverAfter = server.nanos();
            trial = trial.withServerCpu(serverBefore == Long.MIN_VALUE || serverAfter == Long.MIN_VALUE ? Double.NaN
                    : (serverAfter - serverBefore) / 1e3 / expectedMessages);
            if (!store.checkpoint(ACCOUNT, FOLDER).map(c -> c.lastUid() == expectedMessages).orElse(false)) {
                throw new IllegalStateException(kind.label + ": the checkpoint did not reach the last UID");
            }
            if (erase) {
                String address = batches.get(batches.size() / 2).activities().get(0).address();
                long start = System.nanoTime();
                var erased = store.erase(address);
                System.out.printf("%s: erase of one address in %,d messages: %.0f ms (%s)%n", kind.label,
                        expectedMessages, (System.nanoTime() - start) / 1e6, erased.total());
            }
            return trial;
        }
    }

    private static Trial timed(SyncStore store, List<SyncBatch> batches, int expectedMessages) {
        long[] ends = new long[batches.size()];
        long newMessages = 0;
        long newActivities = 0;
        long expectedActivities = 0;
        System.gc();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < batches.size(); i++) {
            CommitResult r = store.commit(ACCOUNT, batches.get(i));
            ends[i] = System.nanoTime();
            newMessages += r.newMessages();
            newActivities += r.newActivities();
        }
        double clientCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / expectedMessages;
        for (SyncBatch b : batches) {
            expectedActivities += b.activities().size();
        }
        if (newMessages != expectedMessages || newActivities != expectedActivities) {
            throw new IllegalStateException(store + " recorded " + newMessages + " new messages and " + newActivities
                    + " new activities; expected " + expectedMessages + " and " + expectedActivities);
        }
        int quarter = Math.max(1, batches.size() / 4);
        int n = batches.size();
        long firstMessages = 0;
        long lastMessages = 0;
        for (int i = 0; i < quarter; i++) {
            firstMessages += batches.get(i).messages().size();
            lastMessages += batches.get(n - 1 - i).messages().size();
        }
        double first = firstMessages / ((ends[quarter - 1] - start) / 1e9);
        double last = lastMessages / ((ends[n - 1] - (n - 1 - quarter >= 0 ? ends[n - 1 - quarter] : start)) / 1e9);
        return new Trial((ends[n - 1] - start) / 1e9, first, last, clientCpu, Double.NaN);
    }

    private record Row(String database, int batchSize, double seconds, double minSeconds, double maxSeconds,
                       double firstQuarterRate, double lastQuarterRate, int commits, double clientCpuMicros,
                       double serverCpuMicros) {
    }

    private static void print(List<Row> rows, int[] batchSizes, int messages, long activities) {
        System.out.println();
        System.out.printf("Commit throughput: %,d messages / %,d activities per trial, median of the trials%n",
                messages, activities);
        System.out.printf("%-14s %6s %11s %13s %9s %11s %11s %11s %9s %9s %9s%n", "database", "batch", "messages/s",
                "activities/s", "ms/commit", "spread", "1st 1/4 m/s", "last 1/4 m/s", "x in-mem", "client µs",
                "server µs");
        for (Row r : rows) {
            double baseline = Double.NaN;
            for (Row b : rows) {
                if (b.database.equals("in-memory") && b.batchSize == r.batchSize) {
                    baseline = b.seconds;
                }
            }
            System.out.printf("%-14s %6d %,11.0f %,13.0f %9.2f %5.0f-%-5.0f %,11.0f %,11.0f %9.4f %9.1f %9.1f%n",
                    r.database, r.batchSize, messages / r.seconds, activities / r.seconds, r.seconds * 1000 / r.commits,
                    messages / r.maxSeconds, messages / r.minSeconds,
                    r.firstQuarterRate, r.lastQuarterRate,
                    baseline / r.seconds, r.clientCpuMicros, r.serverCpuMicros);
        }
        double floorFresh = 40_000;
        double floorWarm = 67_000;
        System.out.println();
        System.out.printf("Goal: commit throughput >= 5x the engine's message rate; the engine is bounded by the raw IMAP"
                + " floor (DESIGN.md section 7): %,.0f msg/s fresh, %,.0f warm -> goal %,.0f / %,.0f msg/s%n",
                floorFresh, floorWarm, 5 * floorFresh, 5 * floorWarm);
        System.out.printf("%-14s %6s %11s %14s %14s%n", "database", "batch", "messages/s", "x goal fresh", "x goal warm");
        for (Row r : rows) {
            if (r.database.equals("in-memory")) {
                continue;
            }
            double rate = messages / r.seconds;
            System.out.printf("%-14s %6d %,11.0f %14.2f %14.2f%n", r.database, r.batchSize, rate,
                    rate / (5 * floorFresh), rate / (5 * floorWarm));
        }
    }

    /** The messages cut into the batches FolderSync would commit: consecutive UIDs, the checkpoint after each. */
    static List<SyncBatch> batches(int size, List<SyncedMessage> messages, List<List<ContactActivity>> activities) {
        List<SyncBatch> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += size) {
            int to = Math.min(messages.size(), from + size);
            List<ContactActivity> batchActivities = new ArrayList<>();
            for (int i = from; i < to; i++) {
                batchActivities.addAll(activities.get(i));
            }
            boolean last = to == messages.size();
            FolderCheckpoint checkpoint = new FolderCheckpoint(FOLDER, UID_VALIDITY, messages.get(to - 1).uid(),
                    last ? OptionalLong.of(900_000L + messages.size()) : OptionalLong.empty());
            batches.add(new SyncBatch(FOLDER, messages.subList(from, to), batchActivities, checkpoint));
        }
        return batches;
    }

    private static final String[] WORDS = {"Re:", "Fwd:", "Invoice", "meeting", "tomorrow", "project", "update",
            "Angebot", "Rechnung", "Q3", "roadmap", "contract", "follow-up", "call", "Kündigung", "résumé", "offer",
            "next", "steps", "for", "the", "proposal", "budget", "2024", "review", "draft", "signed", "urgent",
            "Besprechung", "naïve", "question", "about", "your", "order", "#4711", "shipping", "delayed", "🎉"};

    /**
     * {@code count} messages of an INBOX, UIDs 1 to {@code count}, each with one to three
     * activities (two on average: FROM, TO, CC of matched contacts) as MessageMapper makes
     * them: Message-ID keys, the sender's address, a subject of a few words (some non-ASCII),
     * dates over a year, 80% received.
     */
    static void generate(int count, List<SyncedMessage> messages, List<List<ContactActivity>> activities) {
        SplittableRandom random = new SplittableRandom(42);
        SplittableRandom threading = new SplittableRandom(7);
        List<String> roots = new ArrayList<>();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            long uid = i + 1;
            String messageId = Long.toHexString(random.nextLong()) + "."
                    + Integer.toString(random.nextInt(1 << 30), 36) + "@mail." + (random.nextBoolean() ? "gmail.com"
                    : "company" + random.nextInt(5_000) + ".example");
            MessageKey key = MessageKey.ofMessageId(messageId);
            // ThreadKeys: ref:<root Message-ID>; 4 in 10 messages answer one of the last 1,000 threads
            Optional<String> thread = Optional.empty();
            if (threads) {
                String root = roots.isEmpty() || threading.nextInt(10) >= 4 ? messageId
                        : roots.get(Math.max(0, roots.size() - 1 - threading.nextInt(1_000)));
                if (root.equals(messageId)) {
                    roots.add(messageId);
                }
                thread = Optional.of("ref:" + root);
            }
            Instant date = base.plusSeconds(i * 600L + random.nextInt(600));
            String[] participants = MatchingData.addresses(random.nextInt(MatchingData.CONTACTS));
            String from = participants[0];
            StringBuilder subject = new StringBuilder();
            int words = 2 + random.nextInt(9);
            for (int w = 0; w < words; w++) {
                subject.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            Direction direction = random.nextInt(10) < 8 ? Direction.INBOUND : Direction.OUTBOUND;
            SyncedMessage m = new SyncedMessage(key, FOLDER, uid, date, EmailAddress.of("", from), subject.toString(),
                    2_000 + random.nextInt(200_000), direction, thread);
            messages.add(m);
            // 1, 2 or 3 activities with probabilities 1/4, 1/2, 1/4: two on average
            int n = 1 + (random.nextBoolean() ? 1 : 0) + (random.nextBoolean() ? 1 : 0);
            ParticipantRole[] roles = {ParticipantRole.FROM, ParticipantRole.TO, ParticipantRole.CC};
            List<ContactActivity> own = new ArrayList<>(n);
            for (int a = 0; a < n; a++) {
                int c = random.nextInt(MatchingData.CONTACTS);
                ContactRef contact = ContactRef.of(Integer.toString(c));
                // the matched address (schema version 6 keeps it with the entry)
                own.add(new ContactActivity(key, contact, roles[a], direction, date, m.subject(), from, FOLDER,
                        thread, MatchingData.addresses(c)[0]));
            }
            activities.add(own);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
