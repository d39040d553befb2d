package dev.imapsync.examples.cli;

import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.PassReport;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.AccountStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code run --cycles N}: N rounds over every stored account, made together by all the nodes of
 * the database.
 *
 * <p>A cycle begins at a time all nodes agree on, read from the shared schedule: the first at the
 * earliest next run of the stored accounts if that has passed (a node that joins a round in
 * progress joins that round), else now; a later one when the first account comes due again
 * after the previous cycle (at most {@code --interval} after it). It ends when every stored
 * account has been attempted since the cycle began (its status's last attempt, written by
 * whichever node synced it), or is not due within the cycle (its next run lies more than its
 * interval after the cycle's start: retries stopped after a failed login, a long backoff).
 * Meanwhile the node runs {@link SyncScheduler#runPass()} (what is due and not held by another
 * node), and between passes waits a second for the accounts other nodes hold, including those
 * of a node that died, which a pass takes over once their lease has lapsed.
 */
final class RunCycles {
    /** How long a node waits between passes while other nodes hold accounts of the cycle. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final SyncScheduler scheduler;
    private final JdbcAccountRepository repository;
    private final JdbcSyncStore store;
    private final AccountLeases leases;
    private final Duration interval;
    private final RunCommand.RunOutput output;
    private final Object sleeper = new Object();
    private volatile boolean stopping;

    RunCycles(SyncScheduler scheduler, JdbcAccountRepository repository, JdbcSyncStore store, AccountLeases leases,
            Duration interval, RunCommand.RunOutput output) {
        this.scheduler = scheduler;
        this.repository = repository;
        this.store = store;
        this.leases = leases;
        this.interval = interval;
        this.output = output;
    }

    /** What the cycles did. */
    record Result(String node, int cyclesDone, boolean stopped, List<Object> cyclesJson) {
    }

    /** Ends the cycles early (the shutdown hook). */
    void stop() {
        stopping = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    Result run(int cycles) {
        String node = scheduler.nodeId();
        registerNewAccountsDueNow();
        List<Object> cyclesJson = new ArrayList<>();
        Instant previousEnd = null;
        int done = 0;
        for (int k = 1; k <= cycles && !stopping; k++) {
            Instant start = micros(k == 1 ? firstCycleStart() : nextCycleStart(previousEnd));
            if (stopping) {
                break;
            }
            output.trace("cycle-start " + k + " " + node + " " + RunCommand.micros(start));
            output.line("run: node " + node + ": cycle " + k + " of " + cycles + " began at " + start);
            List<PassReport> passes = new ArrayList<>();
            int emptyPasses = 0;
            Map<String, Boolean> inCycle = new HashMap<>();
            boolean complete = false;
            while (!stopping) {
                PassReport report;
                try {
                    report = scheduler.runPass();
                } catch (IllegalStateException e) {
                    break; // closed by the shutdown hook
                }
                if (report.outcomes().isEmpty()) {
                    emptyPasses++;
                } else {
                    passes.add(report);
                }
                List<String> pending = pending(start, inCycle);
                if (pending.isEmpty()) {
                    complete = true;
                    break;
                }
                sleep(POLL);
            }
            if (!complete) {
                break;
            }
            Instant end = Instant.now();
            previousEnd = end;
            done = k;
            output.trace("cycle-end " + k + " " + node + " " + RunCommand.micros(end));
            int synced = passes.stream().mapToInt(PassReport::synced).sum();
            int failed = passes.stream().mapToInt(PassReport::failed).sum();
            int skipped = passes.stream().mapToInt(PassReport::skipped).sum();
            output.line(String.format("run: node %s: cycle %d of %d done in %.1f s: every account attempted since"
                    + " it began; here %d synced, %d failed, %d skipped", node, k, cycles,
                    Duration.between(start, end).toMillis() / 1000.0, synced, failed, skipped));
            cyclesJson.add(cycleJson(k, start, end, passes, emptyPasses));
        }
        return new Result(node, done, done < cycles, cyclesJson);
    }

    /** Accounts stored but not scheduled yet are due at once: a script's first cycle covers them. */
    private void registerNewAccountsDueNow() {
        Set<String> scheduled = new HashSet<>(leases.accountIds());
        Instant now = Instant.now();
        Map<String, Instant> firstRuns = new LinkedHashMap<>();
        for (AccountSummary a : repository.list()) {
            if (!scheduled.contains(a.id())) {
                firstRuns.put(a.id(), now);
            }
        }
        if (!firstRuns.isEmpty()) {
            leases.register(firstRuns); // ignores accounts another node registered meanwhile
        }
    }

    /** The earliest next run if it has passed (a round in progress), else now. */
    private Instant firstCycleStart() {
        Instant now = Instant.now();
        return earliestNextRun().filter(e -> e.isBefore(now)).orElse(now);
    }

    /** When the first account comes due after the previous cycle, at most an interval after it. */
    private Instant nextCycleStart(Instant previousEnd) {
        Instant latest = previousEnd.plus(interval);
        Instant start = earliestNextRun().map(e -> e.isBefore(previousEnd) ? previousEnd : e)
                .filter(e -> e.isBefore(latest)).orElse(latest);
        sleepUntil(start);
        return start;
    }

    private Optional<Instant> earliestNextRun() {
        Instant earliest = null;
        for (AccountSummary a : repository.list()) {
            Optional<ScheduleState> state = leases.state(a.id());
            if (state.isPresent() && (earliest == null || state.get().nextRunAt().isBefore(earliest))) {
                earliest = state.get().nextRunAt();
            }
        }
        return Optional.ofNullable(earliest);
    }

    /**
     * The accounts of the cycle not attempted since it began. {@code inCycle} remembers accounts
     * found due within the cycle (they stay in it until attempted), so that their schedule is
     * read once.
     */
    private List<String> pending(Instant start, Map<String, Boolean> inCycle) {
        Map<String, AccountStatus> statuses = new HashMap<>();
        store.statuses().forEach(s -> statuses.put(s.accountId(), s));
        List<String> pending = new ArrayList<>();
        for (AccountSummary a : repository.list()) {
            AccountStatus s = statuses.get(a.id());
            if (s != null && !s.lastAttemptAt().isBefore(start)) {
                continue;
            }
            if (Boolean.TRUE.equals(inCycle.get(a.id()))) {
                pending.add(a.id());
                continue;
            }
            Optional<ScheduleState> state = leases.state(a.id());
            Duration every = a.interval().orElse(interval);
            if (state.isPresent() && state.get().nextRunAt().isAfter(start.plus(every))) {
                continue; // not due within this cycle: retries stopped, a long backoff, a throttling server
            }
            if (state.isPresent() && state.get().stoppedRevision().isEmpty()) {
                inCycle.put(a.id(), true);
            }
            pending.add(a.id());
        }
        return pending;
    }

    private static Map<String, Object> cycleJson(int k, Instant start, Instant end, List<PassReport> passes,
            int emptyPasses) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycle", k);
        m.put("startedAt", start.toString());
        m.put("endedAt", end.toString());
        List<Object> ps = new ArrayList<>();
        for (PassReport p : passes) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("millis", p.duration().toMillis());
            pm.put("synced", p.synced());
            pm.put("failed", p.failed());
            pm.put("skipped", p.skipped());
            List<Object> outcomes = new ArrayList<>();
            for (AccountOutcome o : p.outcomes()) {
                outcomes.add(outcomeJson(o));
            }
            pm.put("outcomes", outcomes);
            ps.add(pm);
        }
        m.put("passes", ps);
        m.put("emptyPasses", emptyPasses);
        return m;
    }

    static Map<String, Object> outcomeJson(AccountOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accountId", o.accountId());
        m.put("result", o.result().name());
        m.put("status", o.status().map(Enum::name).orElse(null));
        m.put("fetched", o.report().map(r -> r.fetched()).orElse(null));
        m.put("matched", o.report().map(r -> r.matched()).orElse(null));
        m.put("activities", o.report().map(r -> r.activities()).orElse(null));
        m.put("message", o.message());
        m.put("hint", o.hint());
        m.put("nextRunAt", o.nextRunAt().map(Instant::toString).orElse(null));
        return m;
    }

    private void sleepUntil(Instant until) {
        while (!stopping) {
            long millis = Duration.between(Instant.now(), until).toMillis();
            if (millis <= 0) {
                return;
            }
            sleep(Duration.ofMillis(millis));
        }
    }

    private void sleep(Duration duration) {
        synchronized (sleeper) {
            if (stopping) {
                return;
            }
            try {
                sleeper.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
