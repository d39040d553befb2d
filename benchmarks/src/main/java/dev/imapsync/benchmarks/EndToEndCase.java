package dev.imapsync.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.CommandRecorder;
import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;

/**
 * One case of the end-to-end harness, run in a fresh JVM by {@link EndToEndBenchmark}:
 * {@code EndToEndCase <case> <folder> <messages> [<warm-up folder> <warm-up messages> [<passes>]]}.
 * With a warm-up folder the case first reads that folder {@code passes} times (default 20, and
 * no new pass after 20 s), unmeasured, so that what is measured runs code the JIT compiler has
 * settled, as in a server that has been syncing for a while.
 *
 * <p>Prints one line {@code END-TO-END-RESULT <case> <messages read> <nanoseconds> <peak heap
 * bytes> <peak live heap bytes> <resync µs per folder> <resync ms in all> <resync fetched>
 * <resync round trips> <CPU nanoseconds of the process> <heap after a full GC once the first sync
 * is done>} (-1 where there is none; the resyncs' CPU is included), and for the engine cases a line
 * {@code END-TO-END-RESYNC-COMMANDS <commands>}.
 */
public final class EndToEndCase {
    /** The prefix of the result line the parent reads. */
    static final String RESULT = "END-TO-END-RESULT";
    /** The prefix of the line listing a no-change resync's commands. */
    static final String RESYNC_COMMANDS = "END-TO-END-RESYNC-COMMANDS";
    /** Messages per {@code getMessages}/{@code fetch} call in the Jakarta Mail cases. */
    static final int BATCH = 5_000;
    /** At most this many warm-up passes... */
    static final int WARM_UP_PASSES = 20;
    /** ...and no new one after this long: the JIT compiler needs a few hundred thousand messages to settle. */
    static final long WARM_UP_NANOS = 20_000_000_000L;
    private static long sink;
    private static final AtomicLong PEAK_LIVE = new AtomicLong();

    private EndToEndCase() {
    }

    /** What one measured pass gives. */
    private record Outcome(long messages, long nanos, long resyncMicros, long resyncMillis, long resyncFetched,
                           List<String> resyncCommands, long retained) {
        static Outcome read(long messages, long nanos) {
            return new Outcome(messages, nanos, -1, -1, -1, null, -1);
        }
    }

    /**
     * Runs one case.
     *
     * @param args case name ({@code naive}, {@code fetchprofile}, {@code raw}, {@code engine-memory},
     *             {@code engine-h2}, {@code engine-pg}), folder, expected message count, and optionally
     *             a warm-up folder and its message count
     * @throws Exception when the case fails
     */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        String folder = args[1];
        int expected = Integer.parseInt(args[2]);
        watchLiveHeap();
        try (ProbeTarget target = ProbeTarget.start()) {
            int passes = args.length >= 6 ? Integer.parseInt(args[5]) : WARM_UP_PASSES;
            long warmUpEnds = System.nanoTime() + WARM_UP_NANOS;
            for (int pass = 0; args.length >= 5 && pass < passes && System.nanoTime() < warmUpEnds; pass++) {
                long cpu = processCpuNanos();
                Outcome warm = run(name, target, args[3], false);
                check(name + " (warm-up)", warm.messages(), Integer.parseInt(args[4]));
                System.out.printf("warm-up pass %d: %,.0f messages/s, CPU %.1f µs/message%n", pass + 1,
                        warm.messages() / (warm.nanos() / 1e9), (processCpuNanos() - cpu) / 1e3 / warm.messages());
            }
            resetPeak();
            long cpuBefore = processCpuNanos();
            Outcome o = run(name, target, folder, true);
            long cpu = processCpuNanos() - cpuBefore;
            long peak = peakHeap();
            check(name, o.messages(), expected);
            if (o.resyncCommands() != null) {
                System.out.println(RESYNC_COMMANDS + " " + describe(o.resyncCommands()));
            }
            System.out.println(RESULT + " " + name + " " + o.messages() + " " + o.nanos() + " " + peak + " "
                    + PEAK_LIVE.get() + " " + o.resyncMicros() + " " + o.resyncMillis() + " " + o.resyncFetched() + " "
                    + (o.resyncCommands() == null ? -1 : o.resyncCommands().size()) + " " + cpu + " " + o.retained()
                    + " " + (sink & 1));
        }
    }

    /** CPU time of the whole process (every thread, the collector's and the compiler's included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void check(String name, long read, int expected) {
        if (read != expected) {
            throw new IllegalStateException("case " + name + " read " + read + " messages, expected " + expected);
        }
    }

    private static Outcome run(String name, ProbeTarget target, String folder, boolean resync) throws Exception {
        return switch (name) {
            case "naive", "fetchprofile", "fetchprofile-sp" -> jakartaMail(target, folder, !name.equals("naive"));
            case "raw" -> raw(target, folder, System.getProperty("endtoend.rawItems",
                    "UID BODY.PEEK[HEADER.FIELDS (" + EndToEndImap.FLOOR_FIELDS + ")]"));
            // what the engine asks for (FolderReader): the floor's fields plus REPLY-TO, SENDER, INTERNALDATE, RFC822.SIZE
            case "raw-engine-items" -> raw(target, folder, "UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC"
                    + " BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES)]");
            case "engine-memory", "engine-h2", "engine-pg", "engine-discard", "engine-30", "engine-30-previews",
                 "engine-memory-rules", "engine-memory-norules" ->
                    engine(target, folder, name, resync);
            default -> throw new IllegalArgumentException("unknown case " + name);
        };
    }

    /**
     * Records the heap in use right after each collection (the live data, plus whatever old
     * garbage the collection left), keeping the largest.
     */
    private static void watchLiveHeap() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeap(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                PEAK_LIVE.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    private static boolean isHeap(String pool) {
        for (MemoryPoolMXBean bean : ManagementFactory.getMemoryPoolMXBeans()) {
            if (bean.getName().equals(pool)) {
                return bean.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    /** Collects garbage and resets every pool's peak, so the peaks are what the measured part used. */
    private static void resetPeak() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        PEAK_LIVE.set(0);
    }

    /** The heap in use after a full collection. */
    private static long heapAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The peak heap: the peak usage of each heap pool, summed (garbage included). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static Outcome raw(ProbeTarget target, String folder, String items) throws IOException {
        long start = System.nanoTime();
        long count;
        try (EndToEndImap imap = EndToEndImap.login(target)) {
            EndToEndImap.Result examine = imap.command("EXAMINE " + EndToEndImap.quote(folder));
            if (!examine.ok()) {
                throw new IOException("EXAMINE " + folder + " failed: " + examine.text());
            }
            count = imap.drop("UID FETCH 1:* (" + items + ")");
        }
        return Outcome.read(count, System.nanoTime() - start);
    }

    private static Outcome jakartaMail(ProbeTarget target, String folder, boolean tuned) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", target.trustingSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "300000");
        long start = System.nanoTime();
        long count = 0;
        Session session = Session.getInstance(props);
        Store store = session.getStore("imaps");
        store.connect(target.host, target.tlsPort, target.user, target.password);
        try {
            Folder f = store.getFolder(folder);
            f.open(Folder.READ_ONLY);
            int total = f.getMessageCount();
            FetchProfile profile = new FetchProfile();
            profile.add(FetchProfile.Item.ENVELOPE);
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add("Message-ID");
            profile.add("In-Reply-To");
            profile.add("References");
            for (int from = 1; from <= total; from += BATCH) {
                Message[] messages = f.getMessages(from, Math.min(total, from + BATCH - 1));
                if (tuned) {
                    f.fetch(messages, profile);
                }
                for (Message m : messages) {
                    touch(m.getFrom());
                    touch(m.getRecipients(Message.RecipientType.TO));
                    touch(m.getRecipients(Message.RecipientType.CC));
                    touch(m.getRecipients(Message.RecipientType.BCC));
                    String subject = m.getSubject();
                    Date sent = m.getSentDate();
                    sink += (subject == null ? 0 : subject.length()) + (sent == null ? 0 : sent.getTime());
                    if (tuned) {
                        sink += ((UIDFolder) f).getUID(m);
                        touch(m.getHeader("Message-ID"));
                        touch(m.getHeader("In-Reply-To"));
                        touch(m.getHeader("References"));
                    }
                    count++;
                }
            }
            f.close(false);
        } finally {
            store.close();
        }
        return Outcome.read(count, System.nanoTime() - start);
    }

    private static void touch(Object[] values) {
        if (values != null) {
            for (Object v : values) {
                sink += (v instanceof Address a ? a.toString() : String.valueOf(v)).length();
            }
        }
    }

    /**
     * The first sync of the folder (measured), then, with {@code resync}, a no-change resync
     * (timed) and a second one through a {@link CommandRecorder} on Dovecot's cleartext port
     * (counted, not timed).
     */
    private static Outcome engine(ProbeTarget target, String folder, String name, boolean resync) throws Exception {
        boolean sparse = name.startsWith("engine-30");
        try (Database db = Database.open(name)) {
            FolderSelection selection = FolderSelection.of(List.of(
                    MailFolder.fromList(folder, ".", List.of("\\HasNoChildren"))));
            SyncEngine engine = BenchPrivacy.rules(name, SyncEngine.builder()
                    .store(db.store)
                    .contactMatcher(sparse ? EndToEndMessages.sparseMatcher(13) : EndToEndMessages.matcher())
                    .options(SyncOptions.builder().initialWindow(Duration.ofDays(36_500))
                            .previews(!sparse || name.endsWith("-previews")).build()))
                    .build();
            ImapAccount account = target.account(Security.SSL_TLS).toBuilder()
                    .privacy(BenchPrivacy.settings(name)).build();
            long start = System.nanoTime();
            SyncReport first = engine.sync(account, selection);
            long nanos = System.nanoTime() - start;
            check(first, "first sync");
            if (!resync) {
                return Outcome.read(first.fetched(), nanos);
            }
            if (sparse) {
                countBytes(target, name, selection, first);
            }
            long retained = heapAfterFullGc(); // what the store holds (the engine holds nothing between syncs)
            long resyncStart = System.nanoTime();
            SyncReport again = engine.sync(account, selection);
            long resyncMillis = Math.round((System.nanoTime() - resyncStart) / 1e6);
            check(again, "no-change resync");
            long folderMicros = again.folders().get(0).duration().toNanos() / 1_000;
            List<String> commands = countResyncCommands(target, engine, selection, name);
            return new Outcome(first.fetched(), nanos, folderMicros, resyncMillis, again.fetched(), commands, retained);
        }
    }

    /** Prefix of the line with what a sparse case's server sent: bytes, matched and fetched messages. */
    static final String SERVER_BYTES = "END-TO-END-SERVER-BYTES";

    /**
     * The sparse cases' first sync again, into a fresh store, through a {@link CommandRecorder}
     * on Dovecot's cleartext port (counted, not timed): the bytes the server sent, so that the
     * harness can tell what the previews cost per matched message.
     */
    private static void countBytes(ProbeTarget target, String name, FolderSelection selection, SyncReport first)
            throws IOException {
        String port = System.getenv("IMAPSYNC_TEST_DOVECOT_STARTTLS_PORT");
        if (port == null || port.isBlank()) {
            return;
        }
        try (CommandRecorder counter = CommandRecorder.relayTo(target.host, Integer.parseInt(port))) {
            ImapAccount plain = target.account(Security.SSL_TLS).toBuilder()
                    .endpoint("127.0.0.1", counter.port(), Security.NONE)
                    .allowInsecure(true)
                    .build();
            SyncEngine counted = SyncEngine.builder()
                    .store(new InMemorySyncStore())
                    .contactMatcher(EndToEndMessages.sparseMatcher(13))
                    .options(SyncOptions.builder().initialWindow(Duration.ofDays(36_500))
                            .previews(name.endsWith("-previews")).build())
                    .build();
            SyncReport report = counted.sync(plain, selection);
            check(report, "counted sync");
            System.out.println(SERVER_BYTES + " " + counter.serverBytes() + " " + report.matched() + " "
                    + report.fetched());
        }
    }

    /** The commands a no-change resync sends for its folder: from EXAMINE to before LOGOUT. */
    private static List<String> countResyncCommands(ProbeTarget target, SyncEngine engine, FolderSelection selection,
                                                    String name)
            throws IOException {
        String port = System.getenv("IMAPSYNC_TEST_DOVECOT_STARTTLS_PORT");
        if (port == null || port.isBlank()) {
            return null;
        }
        try (CommandRecorder counter = CommandRecorder.relayTo(target.host, Integer.parseInt(port))) {
            ImapAccount plain = target.account(Security.SSL_TLS).toBuilder()
                    .endpoint("127.0.0.1", counter.port(), Security.NONE)
                    .allowInsecure(true)
                    .privacy(BenchPrivacy.settings(name))
                    .build();
            check(engine.sync(plain, selection), "counted no-change resync");
            List<String> all = counter.commandNames();
            int from = all.indexOf("EXAMINE");
            int to = all.lastIndexOf("LOGOUT");
            if (from < 0) {
                throw new IllegalStateException("the counted resync sent no EXAMINE: " + all);
            }
            return all.subList(from, to > from ? to : all.size());
        }
    }

    /** Commands as one line, for messages. */
    private static String describe(List<String> commands) {
        return commands.isEmpty() ? "(none)" : String.join(", ", commands);
    }

    private static void check(SyncReport report, String what) {
        if (report.status() != SyncStatus.OK) {
            throw new IllegalStateException(what + " ended " + report.status() + ": " + report.failure()
                    + " " + report.folders());
        }
    }

    /** The store of an engine case, made fresh and removed afterwards. */
    private static final class Database implements AutoCloseable {
        final SyncStore store;
        private final BenchDatabase.Instance instance;

        private Database(SyncStore store, BenchDatabase.Instance instance) {
            this.store = store;
            this.instance = instance;
        }

        static Database open(String name) throws IOException, SQLException {
            switch (name) {
                case "engine-memory", "engine-30", "engine-30-previews", "engine-memory-rules",
                        "engine-memory-norules":
                    return new Database(new InMemorySyncStore(), null);
                case "engine-discard":
                    return new Database(new CheckpointOnlyStore(), null);
                case "engine-h2":
                    return jdbc(BenchDatabase.H2_FILE.create(true));
                case "engine-pg":
                    return jdbc(BenchDatabase.POSTGRESQL.create(true));
                default:
                    throw new IllegalArgumentException(name);
            }
        }

        /** A JDBC store on a fresh database, through one pooled connection as an application would. */
        private static Database jdbc(BenchDatabase.Instance db) {
            DataSource ds = db.dataSource();
            JdbcSchema.migrate(ds);
            return new Database(JdbcSyncStore.create(ds), db);
        }

        @Override
        public void close() throws IOException, SQLException {
            if (instance != null) {
                instance.close();
            }
        }
    }
}
