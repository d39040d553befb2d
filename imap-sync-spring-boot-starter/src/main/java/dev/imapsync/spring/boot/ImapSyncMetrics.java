package dev.imapsync.spring.boot;

import dev.imapsync.Failure;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncReport.FolderReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * imap-sync's Micrometer meters, fed by the engine ({@link SyncListener}) and the scheduler
 * ({@link SchedulerListener}), and gauges read from the account statuses:
 * <ul>
 *   <li>{@value #SYNCS} (counter; tags {@code status}, {@code failure.kind}): syncs the
 *       scheduler attempted, by the status they recorded and the kind of the failure that
 *       stopped them ({@code NONE} when none did, {@code UNCLASSIFIED} when the engine gave no
 *       report);</li>
 *   <li>{@value #SYNC_DURATION} (timer; tag {@code status}): how long each sync took;</li>
 *   <li>{@value #FETCHED}, {@value #MATCHED} (counters): messages read from the server, and of
 *       those the ones with at least one known contact;</li>
 *   <li>{@value #BATCH_FETCH}, {@value #BATCH_COMMIT} (timers): per batch, fetching and parsing
 *       it, and matching its contacts and committing it;</li>
 *   <li>{@value #ACCOUNTS} (gauge per {@code status}): accounts whose last attempt ended so;</li>
 *   <li>{@value #OLDEST_SUCCESS_AGE} (gauge, seconds): the time since the oldest last good sync
 *       among the accounts, NaN when no account synced yet; per account as
 *       {@value #ACCOUNT_SUCCESS_AGE} (tag {@code account}) only with
 *       {@code imapsync.metrics.per-account=true};</li>
 *   <li>{@value #IDLE_CONNECTIONS} (gauge): IMAP IDLE connections this node holds.</li>
 * </ul>
 * Thread-safe; its listener methods are fast and never throw.
 */
public class ImapSyncMetrics implements SyncListener, SchedulerListener {
    public static final String SYNCS = "imapsync.syncs";
    public static final String SYNC_DURATION = "imapsync.sync.duration";
    public static final String FETCHED = "imapsync.messages.fetched";
    public static final String MATCHED = "imapsync.messages.matched";
    public static final String BATCH_FETCH = "imapsync.batch.fetch.duration";
    public static final String BATCH_COMMIT = "imapsync.batch.commit.duration";
    public static final String ACCOUNTS = "imapsync.accounts";
    public static final String OLDEST_SUCCESS_AGE = "imapsync.last.success.age";
    public static final String ACCOUNT_SUCCESS_AGE = "imapsync.account.last.success.age";
    public static final String IDLE_CONNECTIONS = "imapsync.idle.connections";

    private final MeterRegistry registry;
    private final StatusSnapshot snapshot;
    private final Counter fetched;
    private final Counter matched;
    private final Timer batchFetch;
    private final Timer batchCommit;
    private final MultiGauge perAccount; // null unless per-account ages are on
    private final Set<String> accounts = ConcurrentHashMap.newKeySet();

    /**
     * Registers the meters.
     *
     * @param statuses    where the account statuses are read (looked up when a gauge is read)
     * @param scheduler   the scheduler, or a supplier of null when there is none
     * @param statusCache how long statuses read for the gauges are reused
     * @param perAccount  whether the last-success age is also published per account
     */
    public ImapSyncMetrics(MeterRegistry registry, Supplier<StatusStore> statuses, Supplier<SyncScheduler> scheduler,
                           Duration statusCache, boolean perAccount, Clock clock) {
        this.registry = registry;
        this.snapshot = new StatusSnapshot(statuses, statusCache, clock);
        // no base unit on the counters: Prometheus would append it to names that already say "messages"
        this.fetched = Counter.builder(FETCHED)
                .description("Messages read from the IMAP servers").register(registry);
        this.matched = Counter.builder(MATCHED)
                .description("Messages read that have at least one known contact").register(registry);
        this.batchFetch = Timer.builder(BATCH_FETCH)
                .description("Time to fetch and parse one batch of message headers").register(registry);
        this.batchCommit = Timer.builder(BATCH_COMMIT)
                .description("Time to match one batch's contacts and commit it to the store").register(registry);
        for (SyncStatus status : SyncStatus.values()) {
            Gauge.builder(ACCOUNTS, snapshot, s -> s.counts().getOrDefault(status, 0L))
                    .tag("status", status.name()).baseUnit("accounts").strongReference(true)
                    .description("Accounts whose last sync attempt ended with this status").register(registry);
        }
        Gauge.builder(OLDEST_SUCCESS_AGE, snapshot, StatusSnapshot::oldestSuccessAgeSeconds).baseUnit("seconds")
                .strongReference(true)
                .description("Time since the oldest last good sync (OK or PARTIAL) among the accounts")
                .register(registry);
        Gauge.builder(IDLE_CONNECTIONS, scheduler, s -> {
                    SyncScheduler current = s.get();
                    return current == null ? 0 : current.idleConnections();
                }).baseUnit("connections").strongReference(true)
                .description("IMAP IDLE connections this node holds").register(registry);
        this.perAccount = perAccount ? MultiGauge.builder(ACCOUNT_SUCCESS_AGE).baseUnit("seconds")
                .description("Time since the account's last good sync (OK or PARTIAL)").register(registry) : null;
    }

    @Override
    public void batchCommitted(String accountId, String folder, BatchProgress progress) {
        batchFetch.record(progress.fetchTime());
        batchCommit.record(progress.commitTime());
    }

    @Override
    public void folderFinished(String accountId, FolderReport report) {
        fetched.increment(report.fetched());
        matched.increment(report.matched());
    }

    @Override
    public void accountFinished(AccountOutcome outcome, ScheduleState next) {
        if (outcome.result() == AccountOutcome.Result.SKIPPED || outcome.status().isEmpty()) {
            return; // nothing was attempted
        }
        String status = outcome.status().get().name();
        String kind = outcome.report().map(r -> r.failure().map(Failure::kind).map(Enum::name).orElse("NONE"))
                .orElse(outcome.result() == AccountOutcome.Result.SYNCED ? "NONE" : "UNCLASSIFIED");
        registry.counter(SYNCS, Tags.of("status", status, "failure.kind", kind)).increment();
        outcome.report().map(SyncReport::duration).ifPresent(d -> Timer.builder(SYNC_DURATION).tag("status", status)
                .description("Time one sync of an account took").register(registry).record(d));
        snapshot.invalidate();
        if (perAccount != null && accounts.add(outcome.accountId())) {
            registerAccounts();
        }
    }

    /**
     * One per-account row for every account this node synced: added when an account's first sync
     * here ends, without a query on the sync thread; the value is read from the statuses when a
     * scrape asks (NaN for an account that never synced or was removed since).
     */
    private synchronized void registerAccounts() {
        perAccount.register(accounts.stream().sorted()
                .map(id -> MultiGauge.Row.of(Tags.of("account", id), snapshot, s -> s.successAgeSeconds(id)))
                .toList(), true);
    }
}
