package dev.imapsync.spring.boot;

import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account statuses the gauges show, read with one {@link StatusStore#statuses()} query at
 * most once per {@code maxAge}, however many gauges a scrape reads. When the store fails, the
 * last statuses read stay (the health indicator reports the database).
 */
final class StatusSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(StatusSnapshot.class);

    private final Supplier<StatusStore> store;
    private final Duration maxAge;
    private final Clock clock;
    private List<AccountStatus> statuses = List.of();
    private long readAtNanos;
    private boolean read;

    StatusSnapshot(Supplier<StatusStore> store, Duration maxAge, Clock clock) {
        this.store = store;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The statuses, read again when the last read is older than {@code maxAge}. */
    synchronized List<AccountStatus> statuses() {
        long now = System.nanoTime();
        if (!read || now - readAtNanos >= maxAge.toNanos()) {
            read = true;
            readAtNanos = now;
            try {
                statuses = store.get().statuses();
            } catch (RuntimeException e) {
                LOG.debug("imap-sync metrics: the account statuses could not be read, the last ones stay: {}",
                        e.toString());
            }
        }
        return statuses;
    }

    /** Makes the next read go to the store (a sync just ended). */
    synchronized void invalidate() {
        read = false;
    }

    /** How many accounts have each status. */
    Map<dev.imapsync.store.SyncStatus, Long> counts() {
        Map<dev.imapsync.store.SyncStatus, Long> counts = new EnumMap<>(dev.imapsync.store.SyncStatus.class);
        for (AccountStatus s : statuses()) {
            counts.merge(s.status(), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * The time since the oldest last good sync (OK or PARTIAL) among the accounts that ever had
     * one, in seconds; NaN when none has.
     */
    double oldestSuccessAgeSeconds() {
        Optional<Instant> oldest = statuses().stream().flatMap(s -> s.lastSyncedAt().stream()).min(Instant::compareTo);
        return oldest.map(this::ageSeconds).orElse(Double.NaN);
    }

    /** The time since the account's last good sync, in seconds; NaN when it never had one or is unknown. */
    double successAgeSeconds(String accountId) {
        return statuses().stream().filter(s -> s.accountId().equals(accountId)).findFirst()
                .flatMap(AccountStatus::lastSyncedAt).map(this::ageSeconds).orElse(Double.NaN);
    }

    private double ageSeconds(Instant at) {
        return Math.max(0, Duration.between(at, clock.instant()).toNanos() / 1e9);
    }
}
