package dev.imapsync.benchmarks;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.PassReport;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar benchmarks.jar scheduler [options]}: what {@link SyncScheduler} costs on top of
 * the syncs it runs, in one run.
 *
 * <p>An in-process GreenMail over TLS serves {@code --accounts} mailboxes of {@code --messages}
 * INBOX messages each ({@link SchedulerMailboxes}). Four cases sync all of them, each for two
 * cycles: the <b>first</b> (everything new, into an empty store) and the <b>second</b> (nothing
 * new: connect, log in, LIST, EXAMINE, compare UIDNEXT, log out):
 * <ol>
 * <li><b>plain loop</b> (the baseline): {@link SyncEngine#sync} of every account submitted to a
 *     fixed pool of {@code --concurrency} threads, waited for; no scheduler.</li>
 * <li><b>scheduler, 1 node</b>: one {@link SyncScheduler} ({@code maxConcurrentSyncs} =
 *     {@code --concurrency}, {@code perHostLimit} = {@code --per-host-limit}), the accounts
 *     registered in its leases as due now, one {@link SyncScheduler#runPass()} per cycle; between
 *     the cycles its clock moves on by twice the interval so that every account is due again.</li>
 * <li><b>plain loop, nodes x concurrency threads</b>: the baseline of the next case.</li>
 * <li><b>scheduler, N nodes</b>: {@code --nodes} schedulers in this JVM sharing one
 *     {@link dev.imapsync.schedule.spi.AccountLeases} and one store, each with {@code --concurrency}
 *     syncs, their passes started together; the cycle ends when the last pass ends. Every
 *     account must be synced exactly once per cycle and never by two nodes at once: counted by
 *     a listener, violations printed.</li>
 * </ol>
 * Each trial gives every case a new, empty store and schedule ({@link SchedulerBackend}); the
 * order of the cases alternates between trials (plain first, then scheduler first), and the
 * table shows the median trial with the spread. A warm-up of both paths over a tenth of the
 * accounts comes first. Threads and heap are read per cycle by {@link SchedulerMeter}.
 *
 * <p>Before the mailboxes are made, the <b>idle</b> case: {@code --idle-accounts} accounts (pointing
 * at hosts that do not exist, interval 1 h) in a repository, registered in a scheduler's leases
 * with first runs spread over the next hour, the scheduler started (its loop thread reads them
 * all and finds nothing due); the heap after full collections, against the heap before the
 * accounts were made.
 */
final class SchedulerBenchmark {
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    private SchedulerBenchmark() {
    }

    private static final class Options {
        int accounts = 1_000;
        int messages = 20;
        int concurrency = 4;
        int perHostLimit = -1;
        int nodes = 3;
        int trials = 2;
        int idleAccounts = 10_000;
        boolean jdbc;
        boolean idleOnly;
    }

    static void run(String[] args) throws Exception {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--accounts" -> o.accounts = Integer.parseInt(args[++i]);
                case "--messages" -> o.messages = Integer.parseInt(args[++i]);
                case "--concurrency" -> o.concurrency = Integer.parseInt(args[++i]);
                case "--per-host-limit" -> o.perHostLimit = Integer.parseInt(args[++i]);
                case "--nodes" -> o.nodes = Integer.parseInt(args[++i]);
                case "--trials" -> o.trials = Integer.parseInt(args[++i]);
                case "--idle-accounts" -> o.idleAccounts = Integer.parseInt(args[++i]);
                case "--idle-only" -> o.idleOnly = true;
                case "--jdbc" -> o.jdbc = true;
                default -> {
                    System.err.println("usage: scheduler [--accounts N (1000)] [--messages M (20)] [--concurrency C (4)]"
                            + " [--per-host-limit L (= C)] [--nodes K (3)] [--trials T (2)] [--idle-accounts I (10000),"
                            + " 0 to skip] [--idle-only] [--jdbc]");
                    System.exit(2);
                }
            }
        }
        if (o.perHostLimit < 0) {
            o.perHostLimit = o.concurrency;
        }
        System.out.printf("scheduler: %,d accounts x %,d messages, concurrency %d, per-host limit %d%s, %d node(s) in the"
                        + " cluster case, %d trial(s); %s%n", o.accounts, o.messages, o.concurrency, o.perHostLimit,
                o.perHostLimit >= o.concurrency ? " (GreenMail is one host: the limit does not throttle)" : "",
                o.nodes, o.trials, SchedulerBackend.describe(o.jdbc));
        System.out.printf("JVM: %s, %d processors, max heap %,d MB; load average at start: %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, loadAverage());

        IdleResult idle = o.idleAccounts > 0 ? idle(o) : null;
        if (idle != null) {
            printIdle(o, idle);
        }
        if (o.idleOnly) {
            return;
        }

        System.out.printf("%nmaking %,d GreenMail mailboxes of %,d messages ...%n", o.accounts, o.messages);
        try (SchedulerMailboxes mail = SchedulerMailboxes.start(o.accounts, o.messages)) {
            System.out.printf("mailboxes ready in %.1f s (%,d messages)%n", mail.setupTime.toNanos() / 1e9,
                    (long) o.accounts * o.messages);
            Bench bench = new Bench(o, mail);
            bench.warmUp();
            List<Case> cases = List.of(
                    new Case("plain loop, " + o.concurrency + " threads (baseline)", 1, false, o.concurrency),
                    new Case("scheduler, 1 node x " + o.concurrency, 1, true, o.concurrency),
                    new Case("plain loop, " + o.nodes * o.concurrency + " threads (baseline)", o.nodes, false,
                            o.nodes * o.concurrency),
                    new Case("scheduler, " + o.nodes + " nodes x " + o.concurrency + ", shared leases", o.nodes, true,
                            o.concurrency));
            for (int t = 0; t < o.trials; t++) {
                List<Case> order = new ArrayList<>(cases);
                if (t % 2 == 1) { // the scheduler first in odd trials
                    order = List.of(cases.get(1), cases.get(0), cases.get(3), cases.get(2));
                }
                for (Case c : order) {
                    Result r = bench.run(c);
                    c.results.add(r);
                    System.out.printf("trial %d, %-48s first %7.2f s, second %6.2f s%s%n", t + 1, c.name + ":",
                            r.first.seconds, r.second.seconds, r.problems.isEmpty() ? "" : "  PROBLEMS: " + r.problems);
                }
            }
            print(o, cases, idle);
        }
        System.out.printf("%nload average at end: %s%n", loadAverage());
    }

    // ------------------------------------------------------------------------------ the cases

    private static final class Case {
        final String name;
        final int nodes;
        final boolean scheduler;
        final int threads;
        final List<Result> results = new ArrayList<>();

        Case(String name, int nodes, boolean scheduler, int threads) {
            this.name = name;
            this.nodes = nodes;
            this.scheduler = scheduler;
            this.threads = threads;
        }
    }

    /** One cycle of one case in one trial. */
    private record Cycle(double seconds, long fetched, long activities, int peakThreads, int startThreads,
                         long startHeap, long maxUsed, long maxAfterGc) {
    }

    private record Result(Cycle first, Cycle second, List<String> problems, String shares) {
        Cycle get(int k) {
            return k == 0 ? first : second;
        }
    }

    private static final class Bench {
        final Options o;
        final SchedulerMailboxes mail;
        final SchedulerMailboxes.Repository repository;

        Bench(Options o, SchedulerMailboxes mail) {
            this.o = o;
            this.mail = mail;
            this.repository = new SchedulerMailboxes.Repository(mail.accounts);
        }

        void warmUp() throws Exception {
            int n = Math.min(o.accounts, Math.max(20, o.accounts / 10));
            List<ManagedAccount> some = mail.accounts.subList(0, n);
            long started = System.nanoTime();
            runPlain(some, o.concurrency, new ArrayList<>());
            runScheduler(new SchedulerMailboxes.Repository(some), some, 1, o.concurrency, new ArrayList<>());
            System.out.printf("warm-up (both paths, %d accounts, two cycles each): %.1f s%n", n,
                    (System.nanoTime() - started) / 1e9);
        }

        Result run(Case c) throws Exception {
            List<String> problems = new ArrayList<>();
            if (!c.scheduler) {
                Cycle[] cycles = runPlain(mail.accounts, c.threads, problems);
                return new Result(cycles[0], cycles[1], problems, "");
            }
            return runScheduler(repository, mail.accounts, c.nodes, c.threads, problems);
        }

        Cycle[] runPlain(List<ManagedAccount> accounts, int threads, List<String> problems) throws Exception {
            AtomicInteger numbers = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "imap-sync-bench-plain-" + numbers.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try (SchedulerBackend backend = SchedulerBackend.create(o.jdbc, threads)) {
                SyncEngine engine = engine(backend, mail.matcher);
                Cycle[] cycles = new Cycle[2];
                for (int k = 0; k < 2; k++) {
                    long expected = k == 0 ? mail.messagesPerAccount : 0;
                    List<SyncReport> reports = new ArrayList<>(accounts.size());
                    SchedulerMeter meter = SchedulerMeter.start();
                    long start = System.nanoTime();
                    List<Future<SyncReport>> futures = new ArrayList<>(accounts.size());
                    for (ManagedAccount a : accounts) {
                        futures.add(pool.submit(() -> engine.sync(a.account(), a.folders())));
                    }
                    for (Future<SyncReport> f : futures) {
                        reports.add(f.get());
                    }
                    long end = System.nanoTime();
                    meter.close();
                    long fetched = 0;
                    long activities = 0;
                    for (SyncReport r : reports) {
                        fetched += r.fetched();
                        activities += r.activities();
                        if (r.status() != SyncStatus.OK || r.fetched() != expected) {
                            problems.add("plain: " + r.accountId() + " " + r.status() + " fetched " + r.fetched()
                                    + ", expected " + expected + " " + r.failure().map(Object::toString).orElse(""));
                        }
                    }
                    checkStore(backend, accounts, problems);
                    cycles[k] = cycle(meter, (end - start) / 1e9, fetched, activities);
                }
                return cycles;
            } finally {
                pool.shutdownNow();
            }
        }

        Result runScheduler(SchedulerMailboxes.Repository repo, List<ManagedAccount> accounts, int nodes,
                            int perNode, List<String> problems) throws Exception {
            OffsetClock clock = new OffsetClock();
            Tracker tracker = new Tracker();
            List<SyncScheduler> schedulers = new ArrayList<>();
            ExecutorService passes = Executors.newFixedThreadPool(nodes);
            try (SchedulerBackend backend = SchedulerBackend.create(o.jdbc, nodes * perNode)) {
                for (int n = 1; n <= nodes; n++) {
                    schedulers.add(SyncScheduler.builder()
                            .accounts(repo)
                            .engine(engine(backend, mail.matcher))
                            .leases(backend.leases)
                            .nodeId("node-" + n)
                            .clock(clock)
                            .random(new SplittableRandom(n))
                            .defaultInterval(INTERVAL)
                            .maxConcurrentSyncs(perNode)
                            .perHostLimit(o.perHostLimit)
                            .shutdownTimeout(Duration.ofSeconds(10))
                            .listener(nodes > 1 ? tracker : SchedulerListener.NONE)
                            .build());
                }
                // as a node finds a schedule in which every account is due: all at once, now
                Map<String, Instant> due = new LinkedHashMap<>();
                Instant now = clock.instant();
                for (ManagedAccount a : accounts) {
                    due.put(a.id(), now);
                }
                backend.leases.register(due);
                Cycle[] cycles = new Cycle[2];
                StringBuilder shares = new StringBuilder();
                for (int k = 0; k < 2; k++) {
                    long expected = k == 0 ? mail.messagesPerAccount : 0;
                    tracker.reset();
                    SchedulerMeter meter = SchedulerMeter.start();
                    long start;
                    List<PassReport> reports = new ArrayList<>();
                    if (nodes == 1) {
                        start = System.nanoTime();
                        reports.add(schedulers.get(0).runPass());
                    } else {
                        CountDownLatch go = new CountDownLatch(1);
                        List<Future<PassReport>> futures = new ArrayList<>();
                        for (SyncScheduler s : schedulers) {
                            futures.add(passes.submit(() -> {
                                go.await();
                                return s.runPass();
                            }));
                        }
                        start = System.nanoTime();
                        go.countDown();
                        for (Future<PassReport> f : futures) {
                            reports.add(f.get());
                        }
                    }
                    long end = System.nanoTime();
                    meter.close();
                    long fetched = 0;
                    long activities = 0;
                    Map<String, Integer> synced = new HashMap<>();
                    for (PassReport report : reports) {
                        for (AccountOutcome outcome : report.outcomes()) {
                            if (outcome.result() != AccountOutcome.Result.SYNCED) {
                                problems.add("scheduler: " + outcome.accountId() + " " + outcome.result() + " "
                                        + outcome.message());
                                continue;
                            }
                            synced.merge(outcome.accountId(), 1, Integer::sum);
                            SyncReport r = outcome.report().orElseThrow();
                            fetched += r.fetched();
                            activities += r.activities();
                            if (r.status() != SyncStatus.OK || r.fetched() != expected) {
                                problems.add("scheduler: " + r.accountId() + " " + r.status() + " fetched "
                                        + r.fetched() + ", expected " + expected);
                            }
                        }
                    }
                    String cycleName = k == 0 ? "first" : "second";
                    for (ManagedAccount a : accounts) {
                        int times = synced.getOrDefault(a.id(), 0);
                        if (times != 1) {
                            problems.add(cycleName + " cycle: account " + a.id() + " synced " + times + " times");
                        }
                        if (nodes > 1 && tracker.starts(a.id()) != 1) {
                            problems.add(cycleName + " cycle: account " + a.id() + " started " + tracker.starts(a.id())
                                    + " times (listener)");
                        }
                    }
                    if (tracker.overlaps.get() > 0) {
                        problems.add(cycleName + " cycle: " + tracker.overlaps.get()
                                + " sync(s) began while another node synced the same account");
                    }
                    if (nodes > 1) {
                        shares.append(k == 0 ? "" : "; ").append(cycleName).append(": ").append(reports.stream()
                                .map(r -> Integer.toString(r.synced())).reduce((a, b) -> a + "/" + b).orElse(""));
                    }
                    checkStore(backend, accounts, problems);
                    cycles[k] = cycle(meter, (end - start) / 1e9, fetched, activities);
                    clock.advance(INTERVAL.multipliedBy(2)); // every account due again (interval +-10%)
                }
                return new Result(cycles[0], cycles[1], problems, shares.toString());
            } finally {
                schedulers.forEach(SyncScheduler::close);
                passes.shutdownNow();
            }
        }

        private void checkStore(SchedulerBackend backend, List<ManagedAccount> accounts, List<String> problems) {
            if (backend.store instanceof InMemorySyncStore memory) {
                for (ManagedAccount a : accounts) {
                    if (memory.messageCount(a.id()) != mail.messagesPerAccount) {
                        problems.add("store: " + a.id() + " holds " + memory.messageCount(a.id()) + " messages, expected "
                                + mail.messagesPerAccount);
                    }
                }
            }
        }
    }

    private static SyncEngine engine(SchedulerBackend backend, InMemoryContactMatcher matcher) {
        return SyncEngine.builder().store(backend.store).contactMatcher(matcher).build();
    }

    private static Cycle cycle(SchedulerMeter meter, double seconds, long fetched, long activities) {
        return new Cycle(seconds, fetched, activities, meter.peakThreads(), meter.startThreads, meter.startHeap,
                meter.maxUsed(), meter.maxAfterGc());
    }

    /** Counts each account's sync starts in a cycle, and starts while the account is being synced elsewhere. */
    private static final class Tracker implements SchedulerListener {
        private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        private final Set<String> active = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();

        void reset() {
            starts.clear();
            active.clear();
            overlaps.set(0);
        }

        int starts(String id) {
            AtomicInteger n = starts.get(id);
            return n == null ? 0 : n.get();
        }

        @Override
        public void accountStarted(String accountId) {
            starts.computeIfAbsent(accountId, k -> new AtomicInteger()).incrementAndGet();
            if (!active.add(accountId)) {
                overlaps.incrementAndGet();
            }
        }

        @Override
        public void accountFinished(AccountOutcome outcome, ScheduleState next) {
            active.remove(outcome.accountId());
        }
    }

    // ------------------------------------------------------------------------------ idle accounts

    private record IdleResult(long before, long afterRepository, long afterScheduler, int threadsBefore,
                              int threadsAfter, int syncsStarted, double registerSeconds) {
    }

    private static IdleResult idle(Options o) throws Exception {
        System.out.printf("%nidle: %,d accounts ...%n", o.idleAccounts);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long before = SchedulerMeter.heapAfterFullGc();
        List<ManagedAccount> accounts = new ArrayList<>(o.idleAccounts);
        for (int i = 0; i < o.idleAccounts; i++) {
            String login = "user" + i + "@customer" + (i % 500) + ".example";
            accounts.add(ManagedAccount.of(ImapAccount.builder().id("idle-" + i).emailAddress(login)
                            .endpoint("imap" + (i % 20) + ".idle.invalid", 993, Security.SSL_TLS)
                            .password(login, "secret-" + i)
                            .build())
                    .withFolders(FolderChoice.recommended())
                    .withInterval(Duration.ofHours(1)));
        }
        SchedulerMailboxes.Repository repository = new SchedulerMailboxes.Repository(accounts);
        accounts = null;
        long afterRepository = SchedulerMeter.heapAfterFullGc();

        AtomicInteger started = new AtomicInteger();
        long t0 = System.nanoTime();
        SchedulerBackend backend = SchedulerBackend.create(o.jdbc, o.concurrency);
        // the schedule a (re)started node finds: first runs spread over the next hour, none due now
        Instant now = Instant.now();
        Map<String, Instant> firstRuns = new HashMap<>();
        List<String> ids = repository.list().stream().map(s -> s.id()).toList();
        for (int i = 0; i < ids.size(); i++) {
            firstRuns.put(ids.get(i), now.plus(Duration.ofMinutes(5)).plusMillis(i * (55L * 60_000 / ids.size())));
        }
        backend.leases.register(firstRuns);
        firstRuns = null;
        ids = null;
        SyncScheduler scheduler = SyncScheduler.builder()
                .accounts(repository)
                .engine(SyncEngine.builder().store(backend.store)
                        .contactMatcher(InMemoryContactMatcher.builder().build()).build())
                .leases(backend.leases)
                .nodeId("idle-node")
                .defaultInterval(Duration.ofHours(1))
                .maxConcurrentSyncs(o.concurrency)
                .perHostLimit(o.perHostLimit)
                .listener(new SchedulerListener() {
                    @Override
                    public void accountStarted(String accountId) {
                        started.incrementAndGet();
                    }
                })
                .build();
        scheduler.start();
        // the loop's first tick reads the repository and the schedule, and finds nothing due
        Thread.sleep(2_000);
        double registerSeconds = (System.nanoTime() - t0) / 1e9 - 2.0;
        long afterScheduler = SchedulerMeter.heapAfterFullGc();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        java.lang.ref.Reference.reachabilityFence(repository);
        scheduler.close();
        backend.close();
        return new IdleResult(before, afterRepository, afterScheduler, threadsBefore, threadsAfter, started.get(),
                registerSeconds);
    }

    private static void printIdle(Options o, IdleResult r) {
        double mb = 1 << 20;
        int n = o.idleAccounts;
        System.out.printf("%nIdle: %,d accounts registered with a started scheduler, none due (%s)%n", n,
                o.jdbc ? "JdbcLeases + JdbcSyncStore on H2 in-memory: the database is in the heap too"
                        : "InMemoryAccountLeases + InMemorySyncStore");
        System.out.printf("%-46s %12s %14s%n", "heap after full GC", "MB", "bytes/account");
        System.out.printf("%-46s %12.1f %14s%n", "before the accounts", r.before / mb, "");
        System.out.printf("%-46s %12.1f %,14.0f%n", "+ the repository (10,000 ManagedAccounts)".replace("10,000",
                String.format("%,d", n)), r.afterRepository / mb, (r.afterRepository - r.before) / (double) n);
        System.out.printf("%-46s %12.1f %,14.0f%n", "+ leases and a started scheduler", r.afterScheduler / mb,
                (r.afterScheduler - r.afterRepository) / (double) n);
        System.out.printf("%-46s %12.1f %,14.0f%n", "all of it, over the heap before", (r.afterScheduler - r.before) / mb,
                (r.afterScheduler - r.before) / (double) n);
        System.out.printf("goal: under 512 MB -> %.1f MB is %.3fx the goal; threads %d -> %d; syncs started: %d;"
                        + " registration + first tick took under %.2f s%n", (r.afterScheduler - r.before) / mb,
                (r.afterScheduler - r.before) / (512.0 * (1 << 20)), r.threadsBefore, r.threadsAfter, r.syncsStarted,
                Math.max(0, r.registerSeconds));
    }

    // ------------------------------------------------------------------------------ the tables

    private static void print(Options o, List<Case> cases, IdleResult idle) {
        System.out.printf("%nCycle times: %,d accounts x %,d messages on GreenMail (in-process, TLS), median of %d"
                + " trial(s), spread min-max%n", o.accounts, o.messages, o.trials);
        System.out.printf("%-46s %-6s %9s %17s %9s %10s %11s %11s%n", "case", "cycle", "median s", "spread s",
                "x plain", "overhead", "accounts/s", "messages/s");
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                Case base = c.scheduler ? cases.get(i - 1) : c;
                double[] s = seconds(c, k);
                double median = median(s);
                double baseMedian = median(seconds(base, k));
                // overhead: the median of the trials' paired differences, each against its own trial's baseline
                double[] paired = new double[s.length];
                double[] b = seconds(base, k);
                for (int t = 0; t < s.length; t++) {
                    paired[t] = (s[t] - b[t]) / b[t];
                }
                long fetched = c.results.get(0).get(k).fetched;
                System.out.printf("%-46s %-6s %9.2f %8.2f-%-8.2f %9.3f %10s %,11.0f %,11.0f%n", c.name,
                        k == 0 ? "first" : "second", median, min(s), max(s), median / baseMedian,
                        c.scheduler ? String.format("%+.1f%%", 100 * median(paired)) : "", o.accounts / median,
                        fetched / median);
            }
        }
        System.out.printf("overhead = median over trials of (scheduler cycle - plain loop cycle) / plain loop cycle,"
                + " each pair from the same trial; goal: under +5%%%n");

        System.out.printf("%nThreads and heap per cycle (the largest over the trials; the JVM includes GreenMail's"
                + " threads and mailboxes)%n");
        System.out.printf("%-46s %-6s %8s %8s %11s %11s %11s %12s%n", "case", "cycle", "threads", "peak",
                "heap MB", "peak used", "peak after", "after GC -");
        System.out.printf("%-46s %-6s %8s %8s %11s %11s %11s %12s%n", "", "", "at start", "threads", "at start",
                "MB", "GC MB", "start MB");
        for (int k = 0; k < 2; k++) {
            for (Case c : cases) {
                int startThreads = 0;
                int peak = 0;
                long startHeap = 0;
                long used = 0;
                long afterGc = 0;
                long delta = 0;
                for (Result r : c.results) {
                    Cycle y = r.get(k);
                    startThreads = Math.max(startThreads, y.startThreads);
                    peak = Math.max(peak, y.peakThreads);
                    startHeap = Math.max(startHeap, y.startHeap);
                    used = Math.max(used, y.maxUsed);
                    afterGc = Math.max(afterGc, y.maxAfterGc);
                    delta = Math.max(delta, y.maxAfterGc - y.startHeap);
                }
                System.out.printf("%-46s %-6s %8d %8d %11.0f %11.0f %11.0f %12.0f%n", c.name, k == 0 ? "first" : "second",
                        startThreads, peak, startHeap / 1048576.0, used / 1048576.0, afterGc / 1048576.0,
                        delta / 1048576.0);
            }
        }

        System.out.printf("%nChecks%n");
        for (Case c : cases) {
            List<String> problems = new ArrayList<>();
            List<String> shares = new ArrayList<>();
            for (Result r : c.results) {
                problems.addAll(r.problems);
                if (!r.shares.isEmpty()) {
                    shares.add(r.shares);
                }
            }
            long firstFetched = c.results.get(0).first.fetched;
            long firstActivities = c.results.get(0).first.activities;
            System.out.printf("%-46s first cycle %,d messages / %,d activities recorded; %s%s%n", c.name + ":",
                    firstFetched, firstActivities,
                    problems.isEmpty() ? (c.nodes > 1 && c.scheduler
                            ? "every account synced exactly once per cycle in every trial, never by two nodes at once"
                            : "every account synced once per cycle, all OK")
                            : problems.size() + " VIOLATION(S): " + problems.subList(0, Math.min(10, problems.size())),
                    shares.isEmpty() ? "" : "; accounts per node " + shares);
        }
        if (idle != null) {
            System.out.printf("%nIdle (measured first, before the mailboxes): %,d accounts, %.1f MB over the heap before"
                            + " (%,.0f bytes/account); goal under 512 MB%n", o.idleAccounts,
                    (idle.afterScheduler - idle.before) / 1048576.0,
                    (idle.afterScheduler - idle.before) / (double) o.idleAccounts);
        }
    }

    private static double[] seconds(Case c, int k) {
        return c.results.stream().mapToDouble(r -> r.get(k).seconds).toArray();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return String.format("%.2f (1 min)", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
