package dev.imapsync.spring.boot;

import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code imapsync} health: one {@link StatusStore#statuses()} query. {@code DOWN} when the
 * database cannot be read; {@value #DEGRADED_CODE} when some accounts' last attempt failed (a
 * status other than OK and PARTIAL), with their count and, up to {@value #LISTED} of them, their
 * ids and statuses; {@code UP} otherwise. Details: {@code accounts}, {@code failing},
 * {@code partial}, {@code statuses} (count per status) and {@code failingAccounts}. A person must
 * act on a failing account (a changed password): it does not make the application DOWN.
 */
public class ImapSyncHealthIndicator extends AbstractHealthIndicator {
    /** The code of the status shown when accounts fail. */
    public static final String DEGRADED_CODE = "DEGRADED";
    /** The status shown when accounts fail. */
    public static final Status DEGRADED = new Status(DEGRADED_CODE, "Some accounts' last sync failed");
    /** How many failing accounts the details name at most. */
    public static final int LISTED = 20;

    private final Supplier<StatusStore> statuses;

    /** Reads the statuses from {@code statuses} at each check. */
    public ImapSyncHealthIndicator(Supplier<StatusStore> statuses) {
        super("imap-sync health check failed");
        this.statuses = statuses;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<AccountStatus> all;
        try {
            all = statuses.get().statuses();
        } catch (RuntimeException e) {
            // the class only: a driver's message may carry a URL, and health pages are often public
            builder.down().withDetail("error", "the account statuses could not be read ("
                    + e.getClass().getSimpleName() + "): check the database");
            return;
        }
        Map<SyncStatus, Integer> counts = new EnumMap<>(SyncStatus.class);
        Map<String, String> failing = new LinkedHashMap<>();
        int failingCount = 0;
        for (AccountStatus s : all) {
            counts.merge(s.status(), 1, Integer::sum);
            if (s.status() != SyncStatus.OK && s.status() != SyncStatus.PARTIAL) {
                failingCount++;
                if (failing.size() < LISTED) {
                    failing.put(s.accountId(), s.status().name());
                }
            }
        }
        Map<String, Integer> byName = new LinkedHashMap<>();
        counts.forEach((status, n) -> byName.put(status.name(), n));
        builder.status(failingCount > 0 ? DEGRADED : Status.UP)
                .withDetail("accounts", all.size())
                .withDetail("failing", failingCount)
                .withDetail("partial", counts.getOrDefault(SyncStatus.PARTIAL, 0))
                .withDetail("statuses", byName)
                .withDetail("failingAccounts", failing);
    }
}
