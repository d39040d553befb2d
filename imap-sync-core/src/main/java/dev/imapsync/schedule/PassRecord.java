package dev.imapsync.schedule;

import dev.imapsync.schedule.PassReport.AccountOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one {@link SyncScheduler#runPass()} collects: the accounts it handed to a sync (each at
 * most once per pass) and the outcomes, in the order they ended. Written by the claiming thread
 * and the sync threads at once, hence the concurrent collections.
 */
final class PassRecord {
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final List<AccountOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

    /** Notes that the account's sync was handed over in this pass. */
    void attempting(String accountId) {
        attempted.add(accountId);
    }

    /** Whether the account's sync was handed over in this pass already. */
    boolean attempted(String accountId) {
        return attempted.contains(accountId);
    }

    void add(AccountOutcome outcome) {
        outcomes.add(outcome);
    }

    List<AccountOutcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }
}
