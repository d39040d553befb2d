package dev.imapsync.schedule;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.Credentials;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt at an account: reads it from the repository (with its secret), syncs it with
 * the engine (in the account's own initial window), and for an OAuth2 account whose token was
 * refused, tries once more on a new connection, so that the host's token supplier can refresh
 * it. Whatever happens ends as an {@link Attempt}; nothing is thrown.
 */
final class AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    static final String UNAVAILABLE_HINT = "The stored account cannot be used as it is: check that the"
            + " application's encryption keys include the one its secret was stored with, or store the account's"
            + " credentials again.";
    static final String REPOSITORY_HINT = "The account repository failed: check its database; the account is"
            + " retried with backoff.";
    static final String HOST_PART_HINT = "Not a mail server problem: the host application's SyncStore or"
            + " ContactMatcher failed (the message says which), so nothing of the failing batch was stored. Fix it;"
            + " the sync is retried with backoff and goes on from the last stored batch.";
    static final String WINDOW_HINT = "Give the account an initial window of whole days, from 1 day to 100 years,"
            + " or none for the engine's default.";
    static final String UNEXPECTED_HINT = "This is not a mail server problem: the log has the stack trace (a"
            + " ContactMatcher or store that threw, or a bug in imap-sync). The sync is retried with backoff.";

    private final AccountRepository repository;
    private final SyncEngine engine;
    private final Clock clock;
    private final String node;
    private final Map<Duration, SyncEngine> windowed = new ConcurrentHashMap<>();

    AttemptRunner(AccountRepository repository, SyncEngine engine, Clock clock, String node) {
        this.repository = repository;
        this.engine = engine;
        this.clock = clock;
        this.node = node;
    }

    Attempt run(AccountSummary summary) {
        String id = summary.id();
        Instant attemptedAt = clock.instant();
        Optional<ManagedAccount> found;
        try {
            found = repository.find(id);
        } catch (AccountUnavailableException e) {
            LOG.warn("scheduler {}: account {} cannot be used: {}", node, id, e.getMessage());
            return Attempt.error(e.getMessage(), UNAVAILABLE_HINT, attemptedAt, Optional.empty());
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: the repository failed: {}", node, id, e.toString(), e);
            return Attempt.error("Account " + id + ": the account repository failed: " + e, REPOSITORY_HINT,
                    attemptedAt, Optional.empty());
        }
        if (found.isEmpty()) {
            return Attempt.removed(attemptedAt);
        }
        ManagedAccount managed = found.get();
        SyncEngine accountEngine;
        try {
            accountEngine = engineFor(managed);
        } catch (IllegalArgumentException e) {
            return Attempt.error("Account " + id + ": its initial window cannot be used: " + e.getMessage(),
                    WINDOW_HINT, attemptedAt, managed.interval());
        }
        boolean oauth2 = summary.oauth2() || managed.account().credentials() instanceof Credentials.OAuth2;
        try {
            SyncReport report = accountEngine.sync(managed.account(), managed.folders());
            if (oauth2 && refusedLogin(report)) {
                LOG.info("scheduler {}: account {}: the OAuth2 token was refused; trying once more with a token"
                        + " from the supplier", node, id);
                report = accountEngine.sync(managed.account(), managed.folders());
            }
            Optional<Failure> failure = report.failure();
            return new Attempt(report.status(), Optional.of(report), failure.map(Failure::kind),
                    failure.map(Failure::message).orElse(""), failure.map(Failure::hint).orElse(""), attemptedAt,
                    false, managed.interval(), Optional.of(managed.account()));
        } catch (ImapSyncException e) {
            LOG.warn("scheduler {}: account {}: {}", node, id, e.getMessage());
            return Attempt.error(e.getMessage(), HOST_PART_HINT, attemptedAt, managed.interval());
        } catch (RuntimeException e) {
            LOG.warn("scheduler {}: account {}: the sync failed unexpectedly: {}", node, id, e.toString(), e);
            return Attempt.error("Account " + id + ": the sync failed unexpectedly: " + e, UNEXPECTED_HINT,
                    attemptedAt, managed.interval());
        }
    }

    /** The refused login an OAuth2 retry may cure: not IMAP_DISABLED, which a new token does not change. */
    private static boolean refusedLogin(SyncReport report) {
        return report.status() == SyncStatus.AUTH_FAILED
                && report.failure().map(Failure::kind).filter(k -> k == FailureKind.AUTH_FAILED).isPresent();
    }

    private SyncEngine engineFor(ManagedAccount managed) {
        if (managed.initialWindow().isEmpty()) {
            return engine;
        }
        return windowed.computeIfAbsent(managed.initialWindow().get(), window -> {
            SyncOptions base = engine.options();
            return engine.withOptions(SyncOptions.builder().initialWindow(window)
                    .batchSize(base.batchSize(), base.minBatchSize(), base.maxBatchSize()).build());
        });
    }
}
