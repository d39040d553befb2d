package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.SettableClock;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Throttling servers, played by a scripted server that refuses the login the way Office 365 and
 * Gmail do; and the builder's checks.
 */
class SyncSchedulerThrottlingTest {
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    private final SettableClock clock = SettableClock.at(NOW);
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final AccountLeases leases = AccountLeases.inMemory();
    private final InMemoryAccountRepository repository = new InMemoryAccountRepository();

    @Test
    void office365sSuggestedBackoffTimeIsWaitedExactly() {
        AccountStatus status = throttledBy("{tag} NO Request is throttled. Suggested Backoff Time: 28000 milliseconds",
                Backoff.standard());

        assertThat(status.status()).isEqualTo(SyncStatus.THROTTLED);
        assertThat(status.message()).contains("Suggested Backoff Time: 28000 milliseconds");
        assertThat(status.nextRunAt()).contains(NOW.plusSeconds(28));
        assertThat(leases.state("alice").orElseThrow().failures()).isEqualTo(1);
    }

    @Test
    void gmailsConnectionLimitWaitsAtLeastAMinute() {
        AccountStatus status = throttledBy("{tag} NO [UNAVAILABLE] Too many simultaneous connections. (Failure)",
                Backoff.exponential(Duration.ofSeconds(5), Duration.ofHours(1)));

        assertThat(status.status()).isEqualTo(SyncStatus.THROTTLED);
        assertThat(status.nextRunAt()).contains(NOW.plusSeconds(60));
    }

    @Test
    void otherThrottlingUsesTheBackoff() {
        AccountStatus status = throttledBy("{tag} NO [LIMIT] bandwidth limit exceeded",
                Backoff.exponential(Duration.ofSeconds(5), Duration.ofHours(1)).withJitter(0));

        assertThat(status.status()).isEqualTo(SyncStatus.THROTTLED);
        assertThat(status.nextRunAt()).contains(NOW.plusSeconds(5));
    }

    private AccountStatus throttledBy(String refusal, Backoff backoff) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)\\S+ CAPABILITY", List.of("* CAPABILITY IMAP4rev1", "{tag} OK CAPABILITY completed"));
        answers.put("(?i)\\S+ AUTHENTICATE PLAIN", List.of("+ ", refusal));
        answers.put("(?is)\\S+ LOGIN .*", List.of(refusal));
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(),
                new Script().send("* OK IMAP4rev1 ready").answerCommands(answers))) {
            repository.put(ManagedAccount.of(ImapAccount.builder().id("alice")
                            .endpoint(server.host(), server.port(), Security.SSL_TLS)
                            .password("alice@example.com", "secret-password")
                            .trustCertificatePem(TestCertificates.localhost().pem()).build())
                    .withFolders(FolderChoice.named(List.of("INBOX"))));
            try (SyncScheduler scheduler = scheduler(backoff)) {
                clock.set(NOW.minusSeconds(60));
                scheduler.tick();
                clock.set(NOW);
                PassReport pass = scheduler.runPass();
                assertThat(pass.failed()).as(String.valueOf(pass.outcomes())).isEqualTo(1);
            }
            server.close();
            assertThat(server.commandsMatching("(?is)\\S+ (LOGIN|AUTHENTICATE) .*")).as("one login, no retry").isEqualTo(1);
        }
        AccountStatus status = store.status("alice").orElseThrow();
        assertThat(status.nextRunAt()).contains(leases.state("alice").orElseThrow().nextRunAt());
        return status;
    }

    private SyncScheduler scheduler(Backoff backoff) {
        return SyncScheduler.builder().accounts(repository).engine(engine()).leases(leases).nodeId("node-1")
                .clock(clock).random(new SplittableRandom(42)).backoff(backoff).build();
    }

    private SyncEngine engine() {
        return SyncEngine.builder().store(store).contactMatcher(InMemoryContactMatcher.builder().build()).clock(clock)
                .build();
    }

    @Test
    void theBuilderSaysWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> SyncScheduler.builder().engine(engine()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No accounts: call accounts(...)");
        assertThatThrownBy(() -> SyncScheduler.builder().accounts(repository).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No engine");
        assertThatThrownBy(() -> SyncScheduler.builder().nodeId("node\n1"))
                .hasMessageContaining("without control characters");
        assertThatThrownBy(() -> SyncScheduler.builder().nodeId("")).hasMessageContaining("1-200 characters");
        assertThatThrownBy(() -> SyncScheduler.builder().nodeId("n".repeat(201))).hasMessageContaining("1-200");
        assertThatThrownBy(() -> SyncScheduler.builder().maxConcurrentSyncs(0)).hasMessageContaining("maxConcurrentSyncs 0");
        assertThatThrownBy(() -> SyncScheduler.builder().perHostLimit(0)).hasMessageContaining("perHostLimit 0");
        assertThatThrownBy(() -> SyncScheduler.builder().defaultInterval(Duration.ZERO))
                .hasMessageContaining("defaultInterval PT0S is out of range: give a positive duration");
        assertThatThrownBy(() -> SyncScheduler.builder().leaseDuration(Duration.ofSeconds(1)))
                .hasMessageContaining("at least 3 seconds");
        assertThatThrownBy(() -> SyncScheduler.builder().shutdownTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("give 0 or more");
    }

    @Test
    void theDefaultNodeIdNamesTheHostAndTheProcess() {
        try (SyncScheduler scheduler = SyncScheduler.builder().accounts(repository).engine(engine()).build()) {
            assertThat(scheduler.nodeId()).endsWith("-" + ProcessHandle.current().pid())
                    .hasSizeBetween(3, 200).doesNotContainPattern("\\p{Cntrl}");
            assertThat(scheduler.statuses()).isEmpty();
        }
    }

    @Test
    void aClosedSchedulerDoesNotStartOrPass() {
        SyncScheduler scheduler = SyncScheduler.builder().accounts(repository).engine(engine()).build();
        scheduler.close();
        assertThatThrownBy(scheduler::start).hasMessageContaining("closed");
        assertThatThrownBy(scheduler::runPass).hasMessageContaining("closed");
        assertThat(scheduler.tick()).isZero();
    }
}
