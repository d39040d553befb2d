package dev.imapsync.examples.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcLeases;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.policy.Retention;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.PassReport;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run}: the {@link SyncScheduler} as a standalone process over the accounts stored by
 * {@code accounts add}, sharing them with every other {@code run} on the same database through
 * {@link JdbcLeases}. Without {@code --cycles} it runs until SIGTERM/SIGINT; with it, it ends
 * after that many cycles (see {@link RunCycles} for what a cycle is).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sync the stored accounts ('accounts add') unattended: each on its interval, a bounded number"
                + " at once, with backoff after failures and no retries after a failed login until the account is"
                + " stored again. Several 'run' processes on one database (PostgreSQL, MariaDB/MySQL, or H2 in"
                + " server mode, ;AUTO_SERVER=TRUE) share the accounts: each account is synced by one of them at a"
                + " time, and the accounts of a process that died are taken over once its lease (--lease) lapses.",
            "Without --cycles it runs until stopped (SIGTERM or Ctrl-C: running syncs get up to 10 seconds to end),"
                + " printing a line per finished sync.",
            "With --cycles N it stops after N cycles. A cycle is one round over every stored account, made by all"
                + " the nodes of the database together: it begins with the accounts due at that moment (the first"
                + " cycle: at once, with accounts not scheduled yet due at once; later cycles: when the first"
                + " account comes due again, at most --interval after the previous cycle) and ends when every"
                + " account has been attempted since it began - by this node or by another one, including accounts"
                + " taken over from a node that died - so each account is synced once per cycle overall, not once"
                + " per node. Meanwhile this node syncs what is due and not held by another node, and waits for the"
                + " rest. Accounts whose next run lies more than their interval after the cycle's start (retries"
                + " stopped after a failed login, a long backoff, a throttling server's wait) are not part of it."
                + " Give an --interval longer than a round takes, or accounts come due again within a round."
                + " Exit code 0 when every stored account's latest status is OK or PARTIAL, else 1.",
            "Passwords are decrypted with IMAPSYNC_KEY (see 'accounts --help'). Nothing printed carries a secret."})
final class RunCommand implements Callable<Integer> {
    /** How long a stop waits for running syncs before interrupting them. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "The database holding the accounts, leases, checkpoints and history"
                    + " (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--contacts", paramLabel = "CSV", required = true,
            description = "Contacts as lines 'contact_id,email[,email...]'.")
    Path contacts;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "5m",
            description = "How often an account syncs unless stored with its own --interval: 30s, 5m, 1h, 1h30m"
                    + " or PT5M (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--cycles", paramLabel = "N",
            description = "Stop after N cycles (see above); without it, run until stopped.")
    Integer cycles;

    @Option(names = "--node-id", paramLabel = "ID",
            description = "This process's name in the leases, unique per process (default: host name and pid).")
    String nodeId;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "4",
            description = "How many accounts this process syncs at once (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(names = "--per-host", paramLabel = "N", defaultValue = "4",
            description = "How many connections this process opens to one IMAP host at once"
                    + " (default: ${DEFAULT-VALUE}).")
    int perHost;

    @Option(names = "--idle", description = "Also watch each synced account with IMAP IDLE (INBOX, or All Mail on Gmail),"
            + " so new mail is synced within seconds; accounts whose server has no IDLE are polled as usual.")
    boolean idle;

    @Option(names = "--lease", paramLabel = "D", defaultValue = "10m",
            description = "How long a claim on an account holds without a heartbeat; the accounts of a process"
                    + " that died are taken over after this long. At least 3s (default: ${DEFAULT-VALUE}).")
    String lease;

    @Option(names = "--json", description = "With --cycles: print the cycles, their passes and every account's"
            + " status as JSON at the end (and no line per sync).")
    boolean json;

    @Option(names = "--oauth2", paramLabel = "PROVIDER",
            description = "The OAuth 2.0 client for the accounts stored with 'accounts add --oauth2': google, microsoft,"
                    + " or the provider's token URL. Their access tokens are refreshed with --client-id (and"
                    + " --client-secret-env), a rotated refresh token stored in the database before use.")
    String oauth2;

    @Option(names = "--client-id", paramLabel = "ID", description = "With --oauth2: the application's client id.")
    String clientId;

    @Option(names = "--client-secret-env", paramLabel = "VAR",
            description = "With --oauth2: the environment variable holding the client secret (none for a public client).")
    String clientSecretEnv;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "With --oauth2 microsoft: common (default), organizations, consumers or a tenant id.")
    String tenant;

    @Option(names = "--keep-previews", paramLabel = "D",
            description = "Drop the previews and attachment lists of mail older than this (e.g. 365d), once a day on"
                    + " each node, on a thread of its own; history entries stay unless --keep-history.")
    String keepPreviews;

    @Option(names = "--keep-history", paramLabel = "D",
            description = "With --keep-previews: delete the history entries (and messages) older than this too; at"
                    + " least as long as --keep-previews.")
    String keepHistory;

    /** For tests: machine-readable lines of each sync's start and end, and of each cycle's bounds. */
    @Option(names = "--trace", hidden = true)
    boolean trace;

    /** The retention the options ask for, or null. */
    private Retention retention() {
        if (keepPreviews == null) {
            if (keepHistory != null) {
                throw new UsageException("--keep-history goes with --keep-previews (previews go no later than history)");
            }
            return null;
        }
        Duration previews = AccountsCommand.parseDuration("--keep-previews", keepPreviews);
        Optional<Duration> history = keepHistory == null ? Optional.empty()
                : Optional.of(AccountsCommand.parseDuration("--keep-history", keepHistory));
        try {
            return new Retention(previews, history);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--keep-history " + keepHistory + " is shorter than --keep-previews "
                    + keepPreviews + ": keep history at least as long as previews");
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration every = AccountsCommand.parseDuration("--interval", interval);
        if (oauth2 == null && (clientId != null || clientSecretEnv != null || tenant != null)) {
            throw new UsageException("--client-id, --client-secret-env and --tenant go with --oauth2");
        }
        if (oauth2 != null && clientId == null) {
            throw new UsageException("--oauth2 needs --client-id: the id of the application the accounts consented to");
        }
        Duration leaseDuration = AccountsCommand.parseDuration("--lease", lease);
        if (leaseDuration.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new UsageException("--lease '" + lease + "' is too short: give at least 3s (heartbeats come every"
                    + " third of it)");
        }
        if (cycles != null && cycles < 1) {
            throw new UsageException("--cycles " + cycles + " is out of range: give 1 or more, or leave it out to"
                    + " run until stopped");
        }
        if (json && cycles == null) {
            throw new UsageException("--json needs --cycles: without it, run prints a line per sync until stopped");
        }
        Retention retention = retention();
        InMemoryContactMatcher matcher = readContacts(contacts);
        Keys.Resolved keys = Keys.resolve(db, cli.environment(), cli.err());
        // a pool: leases, heartbeats, statuses and commits share a few connections (closed when run ends)
        HikariDataSource dataSource = Database.pooled(AccountsCommand.database(db), maxConcurrent + 4, "run");
        JdbcAccountRepository repository = oauth2 == null ? AccountsCommand.repository(dataSource, keys.keys())
                : OAuthCli.repositoryWithRefresher(dataSource, keys.keys(), oauth2, tenant, clientId,
                        OAuthCli.clientSecret(cli.environment(), clientSecretEnv));
        if (keys.madeNow() && !repository.list().isEmpty()) {
            cli.err().println("warning: the development key was just made, so the accounts already stored cannot be"
                    + " decrypted with it: add them again");
        }
        JdbcSyncStore store = JdbcSyncStore.create(dataSource);
        JdbcLeases leases = JdbcLeases.create(dataSource);
        SyncEngine engine = SyncEngine.builder().store(store).contactMatcher(matcher).build();
        RunOutput output = new RunOutput(cli.out(), !json, trace);

        SyncScheduler scheduler;
        try {
            SyncScheduler.Builder builder = SyncScheduler.builder().accounts(repository).engine(engine).statusStore(store)
                    .leases(leases).defaultInterval(every).maxConcurrentSyncs(maxConcurrent).perHostLimit(perHost)
                    .leaseDuration(leaseDuration).shutdownTimeout(SHUTDOWN_TIMEOUT).idle(idle);
            if (nodeId != null) {
                builder.nodeId(nodeId);
            }
            if (retention != null) {
                builder.retention(retention);
            }
            scheduler = builder.listener(output.listenerFor(nodeId)).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        output.node(scheduler.nodeId());

        if (cycles == null) {
            return runUntilStopped(scheduler, dataSource, repository.list().size(), every);
        }
        RunCycles run = new RunCycles(scheduler, repository, store, leases, every, output);
        Thread hook = new Thread(() -> {
            run.stop();
            scheduler.close();
        }, "imap-sync-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RunCycles.Result result;
        try {
            result = run.run(cycles);
        } finally {
            scheduler.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) anyway
            }
        }
        try {
            return finish(result, store, repository);
        } finally {
            dataSource.close();
        }
    }

    private int runUntilStopped(SyncScheduler scheduler, HikariDataSource dataSource, int accounts, Duration every)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cli.err().println("run: stopping: running syncs get up to " + SHUTDOWN_TIMEOUT.toSeconds()
                    + " seconds to end");
            scheduler.close();
            dataSource.close();
            cli.out().println("run: node " + scheduler.nodeId() + " stopped");
            cli.out().flush();
            stopped.countDown();
        }, "imap-sync-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        scheduler.start();
        cli.out().println("run: node " + scheduler.nodeId() + " started over " + accounts + " stored account(s),"
                + " default interval " + AccountsCommand.formatDuration(every) + "; SIGTERM or Ctrl-C stops it");
        cli.out().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private int finish(RunCycles.Result result, JdbcSyncStore store, JdbcAccountRepository repository) {
        Map<String, AccountStatus> statuses = new HashMap<>();
        store.statuses().forEach(s -> statuses.put(s.accountId(), s));
        List<AccountSummary> accounts = repository.list();
        List<String> notOk = new ArrayList<>();
        List<Object> accountJson = new ArrayList<>();
        for (AccountSummary a : accounts) {
            AccountStatus s = statuses.get(a.id());
            boolean ok = s != null && (s.status() == SyncStatus.OK || s.status() == SyncStatus.PARTIAL);
            if (!ok) {
                notOk.add(a.id() + " " + (s == null ? "never attempted" : s.status().name()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accountId", a.id());
            m.put("status", s == null ? null : s.status().name());
            m.put("lastSyncedAt", s == null ? null : s.lastSyncedAt().map(Instant::toString).orElse(null));
            m.put("lastAttemptAt", s == null ? null : s.lastAttemptAt().toString());
            m.put("nextRunAt", s == null ? null : s.nextRunAt().map(Instant::toString).orElse(null));
            m.put("message", s == null ? "" : s.message());
            m.put("hint", s == null ? "" : s.hint());
            accountJson.add(m);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", result.node());
            m.put("ok", notOk.isEmpty());
            m.put("stopped", result.stopped());
            m.put("cycles", result.cyclesJson());
            m.put("accounts", accountJson);
            cli.out().println(Json.write(m));
        } else {
            cli.out().printf("run: node %s: %d cycle(s) done%s; %d account(s), %d not OK%n", result.node(),
                    result.cyclesDone(), result.stopped() ? " (stopped early)" : "", accounts.size(), notOk.size());
        }
        cli.out().flush();
        if (result.stopped()) {
            cli.err().println("run stopped after " + result.cyclesDone() + " complete cycle(s)");
            return ExitCodes.FAILED;
        }
        if (!notOk.isEmpty()) {
            cli.err().println("run: " + notOk.size() + " of " + accounts.size() + " account(s) not OK: "
                    + String.join(", ", notOk.subList(0, Math.min(10, notOk.size())))
                    + (notOk.size() > 10 ? ", ..." : "") + " ('status' shows why and what to do)");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private static InMemoryContactMatcher readContacts(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return InMemoryContactMatcher.fromCsv(reader);
        } catch (IOException e) {
            throw new UsageException("Cannot read --contacts " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--contacts " + file + ": " + e.getMessage());
        }
    }

    /** Microseconds since the epoch, as the trace lines give times. */
    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** The lines {@code run} prints per sync: readable ones, and the trace for tests. */
    static final class RunOutput {
        private final java.io.PrintStream out;
        private final boolean lines;
        private final boolean trace;
        private volatile String node = "?";

        RunOutput(java.io.PrintStream out, boolean lines, boolean trace) {
            this.out = out;
            this.lines = lines;
            this.trace = trace;
        }

        void node(String id) {
            this.node = id;
        }

        boolean tracing() {
            return trace;
        }

        void trace(String line) {
            if (trace) {
                out.println("trace " + line);
                out.flush();
            }
        }

        void line(String line) {
            if (lines) {
                out.println(line);
                out.flush();
            }
        }

        SchedulerListener listenerFor(String ignored) {
            return new SchedulerListener() {
                @Override
                public void accountStarted(String accountId) {
                    trace("start " + accountId + " " + node + " " + micros(Instant.now()));
                }

                @Override
                public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                    trace("end " + outcome.accountId() + " " + node + " " + micros(Instant.now()) + " "
                            + outcome.result() + " " + outcome.status().map(Enum::name).orElse("-"));
                    line(describe(outcome));
                }
            };
        }

        /** {@code alice OK: 5 read, 2 new history entries; next run at ...}. */
        static String describe(AccountOutcome o) {
            StringBuilder b = new StringBuilder(o.accountId()).append(' ');
            String status = o.status().map(Enum::name).orElse("-");
            b.append(o.result() == AccountOutcome.Result.SKIPPED ? "SKIPPED (" + status + ")" : status);
            Optional<SyncReport> report = o.report();
            report.ifPresent(r -> b.append(": ").append(r.fetched()).append(" read, ").append(r.activities())
                    .append(" new history entries"));
            if (!o.message().isEmpty()) {
                b.append(report.isPresent() ? "; " : ": ").append(o.message().strip());
            }
            if (!o.hint().isEmpty() && o.result() != AccountOutcome.Result.SYNCED) {
                b.append(" What to do: ").append(o.hint().strip());
            }
            b.append("; next run ").append(o.nextRunAt().map(Instant::toString).orElse("none"));
            return b.toString().replaceAll("\\R", " ");
        }
    }
}
