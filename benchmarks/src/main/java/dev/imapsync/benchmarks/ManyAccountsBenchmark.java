package dev.imapsync.benchmarks;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.Security;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.PassReport;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.ShapingProxy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar benchmarks.jar many-accounts [options]}: one node and many accounts on a
 * 5-minute interval behind a shaped link (issue 19, "Many accounts").
 *
 * <p>An in-process GreenMail over TLS serves {@code --accounts} mailboxes of one message each
 * ({@link SchedulerMailboxes}); a {@link ShapingProxy} ({@code --link}, 60 ms round trip by
 * default) stands in front of it, and every account points at the proxy. Dovecot is not used:
 * its process per connection (imap and imap-login) cannot hold thousands of connections on this
 * machine; GreenMail holds a thread per connection, the proxy four.
 * <ol>
 * <li><b>pass</b>: a {@link SyncScheduler} with {@code --concurrency} syncs at once (and as the
 *     per-host limit: one server here) runs a first pass (one message each), then its clock
 *     moves on by twice the interval and a second pass finds nothing new. For the second pass:
 *     its time and share of the interval, the most syncs (so connections) open at once, the
 *     peak threads and heap, and the heap after a full collection with the node idle.</li>
 * <li><b>idle</b>: a new scheduler with IDLE on and {@code maxIdleConnections} =
 *     {@code --idle-cap} (default: every account) syncs {@code --idle-accounts} accounts once,
 *     so that each is watched; then its loop runs and {@code --probes} messages are delivered one
 *     at a time to random watched accounts, each timed from the APPEND to its activity in the
 *     store (polled every 2 ms). The IDLE threads, all threads, and the heap after a full
 *     collection are read with every account watched. {@code --idle-direct} points the IDLE
 *     accounts at GreenMail itself, not through the proxy (whose four threads per connection
 *     are the test rig's cost, not the client's); add one round trip to its latencies.</li>
 * </ol>
 * The heap figures are of the whole JVM: GreenMail's mailboxes and sessions and the proxy's
 * buffers are in it too; the heap before the scheduler is printed to subtract.
 */
final class ManyAccountsBenchmark {
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    private ManyAccountsBenchmark() {
    }

    private static final class Options {
        int accounts = 1_000;
        int concurrency = 64;
        String link = "60ms";
        int idleAccounts = 1_000;
        int idleCap = -1;
        int probes = 20;
        boolean idleDirect;
        boolean skipPass;
    }

    static void run(String[] args) throws Exception {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--accounts" -> o.accounts = Integer.parseInt(args[++i]);
                case "--concurrency" -> o.concurrency = Integer.parseInt(args[++i]);
                case "--link" -> o.link = args[++i];
                case "--idle-accounts" -> o.idleAccounts = Integer.parseInt(args[++i]);
                case "--idle-cap" -> o.idleCap = Integer.parseInt(args[++i]);
                case "--probes" -> o.probes = Integer.parseInt(args[++i]);
                case "--idle-direct" -> o.idleDirect = true;
                case "--skip-pass" -> o.skipPass = true;
                default -> {
                    System.err.println("usage: many-accounts [--accounts N (1000)] [--concurrency C (64)] [--link 20ms|60ms|150ms]"
                            + " [--idle-accounts W (1000), 0 to skip] [--idle-cap K (= W)] [--probes P (20)]"
                            + " [--idle-direct] [--skip-pass]");
                    System.exit(2);
                }
            }
        }
        o.idleAccounts = Math.min(o.idleAccounts, o.accounts);
        if (o.idleCap < 0) {
            o.idleCap = Math.max(1, o.idleAccounts);
        }
        ShapingProxy.Profile profile = ShapingProxy.Profile.named(o.link);
        System.out.printf("many-accounts: %,d accounts x 1 message, interval %s, %d syncs at once, link %s;"
                        + " IDLE: %,d accounts, cap %,d, %s%n", o.accounts, INTERVAL, o.concurrency, profile,
                o.idleAccounts, o.idleCap, o.idleDirect ? "direct to GreenMail" : "through the link");
        System.out.printf("JVM: %s, %d processors, max heap %,d MB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (SchedulerMailboxes mail = SchedulerMailboxes.start(o.accounts, 1);
             ShapingProxy link = ShapingProxy.to(mail.server().host(), mail.server().imapsPort(), profile)) {
            List<ManagedAccount> shaped = new ArrayList<>(mail.accounts.size());
            for (ManagedAccount a : mail.accounts) {
                shaped.add(ManagedAccount.of(a.account().toBuilder()
                        .endpoint(mail.server().host(), link.port(), Security.SSL_TLS).build()).withFolders(a.folders()));
            }
            long base = SchedulerMeter.heapAfterFullGc();
            System.out.printf("mailboxes ready in %.1f s; heap after GC before any scheduler %,d MB, %d threads%n",
                    mail.setupTime.toNanos() / 1e9, base >> 20, threads());
            if (!o.skipPass) {
                pass(o, mail, shaped, link);
            }
            if (o.idleAccounts > 0) {
                idle(o, mail, o.idleDirect ? mail.accounts : shaped, base);
            }
        }
    }

    // ------------------------------------------------------------------------------ the pass

    private static void pass(Options o, SchedulerMailboxes mail, List<ManagedAccount> accounts, ShapingProxy link)
            throws Exception {
        OffsetClock clock = new OffsetClock();
        InMemorySyncStore store = new InMemorySyncStore();
        AccountLeases leases = AccountLeases.inMemory();
        Running running = new Running();
        SyncScheduler scheduler = SyncScheduler.builder()
                .accounts(new SchedulerMailboxes.Repository(accounts))
                .engine(SyncEngine.builder().store(store).contactMatcher(mail.matcher).build())
                .leases(leases).nodeId("many-1").clock(clock).random(new SplittableRandom(1))
                .defaultInterval(INTERVAL).maxConcurrentSyncs(o.concurrency).perHostLimit(o.concurrency)
                .shutdownTimeout(Duration.ofSeconds(10)).listener(running).build();
        try {
            Map<String, Instant> due = new LinkedHashMap<>();
            accounts.forEach(a -> due.put(a.id(), clock.instant()));
            leases.register(due);
            for (int k = 0; k < 2; k++) {
                running.reset();
                int connectionsBefore = link.connections();
                long turnsBefore = link.turns();
                SchedulerMeter meter = SchedulerMeter.start();
                long start = System.nanoTime();
                java.time.LocalTime from = java.time.LocalTime.now();
                CpuMeter cpu = CpuMeter.start(SyncScheduler.SYNC_THREAD_PREFIX);
                PassReport report = scheduler.runPass();
                cpu.stop();
                java.time.LocalTime to = java.time.LocalTime.now();
                double seconds = (System.nanoTime() - start) / 1e9;
                meter.close();
                long synced = report.outcomes().stream().filter(r -> r.result() == AccountOutcome.Result.SYNCED).count();
                int connections = link.connections() - connectionsBefore;
                System.out.printf("%s pass: %,d of %,d synced in %.1f s = %.1f%% of the %d-minute interval; %,d"
                                + " connections (%.2f round trips each), at most %d syncs at once; peak threads %d;"
                                + " heap peak %,d MB, after GC during the pass at most %,d MB (local time %s to %s,"
                                + " for a profile)%n",
                        k == 0 ? "first (1 new message each)" : "second (no change)", synced, accounts.size(), seconds,
                        100 * seconds / INTERVAL.toSeconds(), INTERVAL.toMinutes(), connections,
                        (link.turns() - turnsBefore) / (double) Math.max(1, connections), running.peak.get(),
                        meter.peakThreads(), meter.maxUsed() >> 20, meter.maxAfterGc() >> 20, from, to);
                Map<String, Long> notSynced = new java.util.TreeMap<>();
                Map<String, String> example = new java.util.TreeMap<>();
                for (AccountOutcome r : report.outcomes()) {
                    if (r.result() != AccountOutcome.Result.SYNCED) {
                        String key = r.result() + " " + r.status().map(Enum::name).orElse("-");
                        notSynced.merge(key, 1L, Long::sum);
                        example.putIfAbsent(key, r.message());
                    }
                }
                System.out.printf("  CPU during the pass: %.1f s for the whole JVM (server and proxy included), %.1f s on"
                                + " the node's sync threads = %.2f ms per account; load average %s%n", cpu.processSeconds(),
                        cpu.threadSeconds(), 1000 * cpu.threadSeconds() / Math.max(1, accounts.size()), loadAverage());
                if (!notSynced.isEmpty()) {
                    System.out.println("  not synced: " + notSynced + "; e.g. " + example);
                }
                clock.advance(INTERVAL.multipliedBy(2));
            }
            System.out.printf("node idle after the passes (%,d accounts registered): heap after GC %,d MB, %d threads%n",
                    accounts.size(), SchedulerMeter.heapAfterFullGc() >> 20, threads());
        } finally {
            scheduler.close();
        }
    }

    // ------------------------------------------------------------------------------ IDLE

    private static void idle(Options o, SchedulerMailboxes mail, List<ManagedAccount> all, long base)
            throws Exception {
        List<ManagedAccount> accounts = all.subList(0, o.idleAccounts);
        InMemorySyncStore store = new InMemorySyncStore();
        AccountLeases leases = AccountLeases.inMemory();
        int threadsBefore = threads();
        SyncScheduler scheduler = SyncScheduler.builder()
                .accounts(new SchedulerMailboxes.Repository(accounts))
                .engine(SyncEngine.builder().store(store).contactMatcher(mail.matcher).build())
                .leases(leases).nodeId("many-idle").random(new SplittableRandom(2))
                .defaultInterval(INTERVAL).maxConcurrentSyncs(o.concurrency).perHostLimit(o.concurrency)
                .shutdownTimeout(Duration.ofSeconds(10)).idle(true).maxIdleConnections(o.idleCap).build();
        try {
            Map<String, Instant> due = new LinkedHashMap<>();
            accounts.forEach(a -> due.put(a.id(), Instant.now()));
            leases.register(due);
            long start = System.nanoTime();
            scheduler.runPass();
            System.out.printf("%nIDLE: %,d accounts synced and watched in %.1f s: %,d IDLE connections, %,d polled past"
                            + " the cap%n", accounts.size(), (System.nanoTime() - start) / 1e9,
                    scheduler.idleConnections(), scheduler.idleCappedAccounts());
            long heap = SchedulerMeter.heapAfterFullGc();
            System.out.printf("IDLE: threads %d (before the scheduler %d; %d named imap-sync-idle-*), heap after GC %,d MB"
                            + " (%+,d MB since before any scheduler, server sessions included)%n", threads(),
                    threadsBefore, idleThreads(), heap >> 20, (heap - base) >> 20);
            scheduler.start();
            Thread.sleep(1_000);
            SplittableRandom random = new SplittableRandom(7);
            List<Long> millis = new ArrayList<>();
            int missed = 0;
            for (int p = 0; p < o.probes; p++) {
                // with a cap below the accounts, an account past it is polled: its probe waits out the 30 s
                ManagedAccount account = accounts.get(random.nextInt(accounts.size()));
                int contact = random.nextInt(SchedulerMailboxes.CONTACTS);
                String subject = "probe " + p + " " + Long.toHexString(random.nextLong());
                GreenMailUser user = mail.server().greenMail().getUserManager()
                        .getUserByEmail(account.account().emailAddress());
                long t0 = System.nanoTime();
                mail.server().append(user, SchedulerMailboxes.FOLDER, probe(account, contact, subject));
                long deadline = t0 + Duration.ofSeconds(30).toNanos();
                boolean found = false;
                while (System.nanoTime() < deadline) {
                    if (store.history("contact-" + contact, 1000).stream().anyMatch(h -> subject.equals(h.subject()))) {
                        found = true;
                        break;
                    }
                    Thread.sleep(2);
                }
                if (found) {
                    millis.add((System.nanoTime() - t0) / 1_000_000);
                } else {
                    missed++;
                }
                Thread.sleep(200);
            }
            Collections.sort(millis);
            System.out.printf("IDLE wake-up, new mail -> in history: %d probes, median %d ms, max %d ms, all %s;"
                            + " %d not in history within 30 s%n", millis.size(),
                    millis.isEmpty() ? -1 : millis.get(millis.size() / 2), millis.isEmpty() ? -1 : millis.get(millis.size() - 1),
                    millis, missed);
        } finally {
            long closing = System.nanoTime();
            scheduler.close();
            System.out.printf("IDLE: close took %.1f s%n", (System.nanoTime() - closing) / 1e9);
        }
    }

    private static String probe(ManagedAccount account, int contact, String subject) {
        return "From: Probe <" + MatchingData.addresses(contact)[0] + ">\nTo: " + account.account().emailAddress()
                + "\nSubject: " + subject + "\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now())
                + "\nMessage-ID: <" + Long.toHexString(System.nanoTime()) + "@probe.bench.example>\n\nHi\n";
    }

    private static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long idleThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("imap-sync-idle-")).count();
    }

    /** Counts the syncs running at once: one connection each. */
    private static final class Running implements SchedulerListener {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        void reset() {
            now.set(0);
            peak.set(0);
        }

        @Override
        public void accountStarted(String accountId) {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        @Override
        public void accountFinished(AccountOutcome outcome, ScheduleState next) {
            now.decrementAndGet();
        }
    }

}
