package dev.imapsync.benchmarks;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncStatus;
import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;

/**
 * One case of the end-to-end harness, run in a fresh JVM by {@link EndToEndBenchmark}:
 * {@code EndToEndCase <case> <folder> <messages>}. Prints one line
 * {@code END-TO-END-RESULT <case> <messages read> <nanoseconds> <peak heap bytes> <resync ms> <resync fetched>}
 * (resync figures -1 where there is none).
 */
public final class EndToEndCase {
    /** The prefix of the line the parent reads. */
    static final String RESULT = "END-TO-END-RESULT";
    /** Messages per {@code getMessages}/{@code fetch} call in the Jakarta Mail cases. */
    static final int BATCH = 5_000;
    private static long sink;

    private EndToEndCase() {
    }

    /**
     * Runs one case.
     *
     * @param args case name ({@code naive}, {@code fetchprofile}, {@code raw}, {@code engine-memory},
     *             {@code engine-h2}), folder, expected message count
     * @throws Exception when the case fails
     */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        String folder = args[1];
        int expected = Integer.parseInt(args[2]);
        try (ProbeTarget target = ProbeTarget.start()) {
            long[] result = switch (name) {
                case "naive", "fetchprofile" -> jakartaMail(target, folder, name.equals("fetchprofile"));
                case "raw" -> raw(target, folder);
                case "engine-memory", "engine-h2" -> engine(target, folder, name.equals("engine-h2"));
                default -> throw new IllegalArgumentException("unknown case " + name);
            };
            if (result[0] != expected) {
                throw new IllegalStateException("case " + name + " read " + result[0] + " messages, expected "
                        + expected);
            }
            System.out.println(RESULT + " " + name + " " + result[0] + " " + result[1] + " " + result[2] + " "
                    + result[3] + " " + result[4] + " " + (sink & 1));
        }
    }

    /** Collects garbage and resets every pool's peak, so the peak is what the measured part used. */
    private static void resetPeak() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** The peak heap: the peak usage of each heap pool, summed. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long[] raw(ProbeTarget target, String folder) throws IOException {
        resetPeak();
        long start = System.nanoTime();
        long count;
        try (EndToEndImap imap = EndToEndImap.login(target)) {
            EndToEndImap.Result examine = imap.command("EXAMINE " + EndToEndImap.quote(folder));
            if (!examine.ok()) {
                throw new IOException("EXAMINE " + folder + " failed: " + examine.text());
            }
            count = imap.drop("UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (" + EndToEndImap.FLOOR_FIELDS + ")])");
        }
        long nanos = System.nanoTime() - start;
        return new long[] {count, nanos, peakHeap(), -1, -1};
    }

    private static long[] jakartaMail(ProbeTarget target, String folder, boolean tuned) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", target.trustingSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "300000");
        resetPeak();
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
        long nanos = System.nanoTime() - start;
        return new long[] {count, nanos, peakHeap(), -1, -1};
    }

    private static void touch(Object[] values) {
        if (values != null) {
            for (Object v : values) {
                sink += (v instanceof Address a ? a.toString() : String.valueOf(v)).length();
            }
        }
    }

    private static long[] engine(ProbeTarget target, String folder, boolean h2) throws IOException {
        Path dir = h2 ? Files.createTempDirectory("imapsync-end-to-end-") : null;
        try {
            SyncStore store;
            if (h2) {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL("jdbc:h2:file:" + dir.resolve("sync").toAbsolutePath());
                JdbcSchema.migrate(ds);
                store = JdbcSyncStore.create(ds);
            } else {
                store = new InMemorySyncStore();
            }
            ImapAccount account = target.account(Security.SSL_TLS);
            FolderSelection selection = FolderSelection.of(List.of(
                    MailFolder.fromList(folder, ".", List.of("\\HasNoChildren"))));
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .contactMatcher(EndToEndMessages.matcher())
                    .options(SyncOptions.builder().initialWindow(Duration.ofDays(36_500)).build())
                    .build();
            resetPeak();
            long start = System.nanoTime();
            SyncReport first = engine.sync(account, selection);
            long nanos = System.nanoTime() - start;
            long peak = peakHeap();
            check(first, "first sync");
            long resyncStart = System.nanoTime();
            SyncReport again = engine.sync(account, selection);
            long resyncMillis = Math.round((System.nanoTime() - resyncStart) / 1e6);
            check(again, "no-change resync");
            return new long[] {first.fetched(), nanos, peak, resyncMillis, again.fetched()};
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static void check(SyncReport report, String what) {
        if (report.status() != SyncStatus.OK) {
            throw new IllegalStateException(what + " ended " + report.status() + ": " + report.failure()
                    + " " + report.folders());
        }
    }
}
