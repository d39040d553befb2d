package dev.imapsync.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link SyncScheduler#runPass()} did: an outcome per account it handled, in the order
 * they ended.
 *
 * @param outcomes one per account attempt or skip
 * @param duration how long the pass took
 */
public record PassReport(List<AccountOutcome> outcomes, Duration duration) {

    /** Validates and copies. */
    public PassReport {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(duration, "duration");
    }

    /** Accounts synced (OK or PARTIAL). */
    public int synced() {
        return count(AccountOutcome.Result.SYNCED);
    }

    /** Accounts whose sync failed. */
    public int failed() {
        return count(AccountOutcome.Result.FAILED);
    }

    /** Accounts due but not synced: retries stopped after a failed login, or removed. */
    public int skipped() {
        return count(AccountOutcome.Result.SKIPPED);
    }

    private int count(AccountOutcome.Result result) {
        return (int) outcomes.stream().filter(o -> o.result() == result).count();
    }

    /** {@code PassReport[synced=.., failed=.., skipped=.., in .. ms]}. */
    @Override
    public String toString() {
        return "PassReport[synced=" + synced() + ", failed=" + failed() + ", skipped=" + skipped() + ", in "
                + duration.toMillis() + " ms]";
    }
}
