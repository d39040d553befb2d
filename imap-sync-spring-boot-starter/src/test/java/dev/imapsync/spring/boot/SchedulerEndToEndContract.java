package dev.imapsync.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.folder.FolderChoice;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailExtension;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncReport.FolderReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The whole starter in a running context, per database: the scheduler started with the context
 * syncs a GreenMail mailbox into history, the metrics and the health show it, a failing account
 * (wrong password) shows in both, and closing the context ends every scheduler thread.
 */
abstract class SchedulerEndToEndContract {
    static final String OWNER = "owner@acme.example";
    static final String OTHER = "other@acme.example";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final GreenMailExtension mail = GreenMailExtension.builder()
            .user(OWNER, "secret", m -> m.received("ann@example.com", "Offer").sent("ann@example.com", "Re: Offer")
                    .received("nobody@example.org", "Newsletter"))
            .user(OTHER, "right-password")
            .build();

    /** The JDBC URL of an empty database of the test's own, with the contacts table {@code crm_contacts} (id, email) holding ann. */
    abstract String databaseUrl() throws Exception;

    /** Drops what {@link #databaseUrl()} made. */
    abstract void dropDatabase() throws Exception;

    private String url;

    @BeforeEach
    void database() throws Exception {
        url = databaseUrl();
    }

    @AfterEach
    void drop() throws Exception {
        dropDatabase();
    }

    /** The application's own listener, which hears the engine beside the metrics. */
    static class FolderLog implements SyncListener {
        final List<String> folders = new CopyOnWriteArrayList<>();

        @Override
        public void folderFinished(String accountId, FolderReport report) {
            folders.add(accountId + "/" + report.folder() + ": " + report.fetched());
        }
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withBean(FolderLog.class)
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class, ImapSyncAutoConfiguration.class,
                        ImapSyncMetricsAutoConfiguration.class, ImapSyncHealthAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url,
                        "imapsync.accounts.key=" + SecretKeys.generate("e2e"),
                        "imapsync.contacts.table=crm_contacts", "imapsync.contacts.id-column=id",
                        "imapsync.contacts.email-columns=email",
                        "imapsync.scheduler.idle=true",
                        "imapsync.scheduler.shutdown-timeout=PT10S",
                        "imapsync.metrics.status-cache=PT0S",
                        "imapsync.metrics.per-account=true",
                        "management.endpoint.health.show-details=always");
    }

    @Test
    void theSchedulerSyncsIntoHistoryAndMetricsAndHealthShowItThenStopsCleanly() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            JdbcAccountRepository accounts = context.getBean(JdbcAccountRepository.class);
            accounts.save(ManagedAccount.of(mail.account(OWNER).id("alice").build())
                    .withFolders(FolderChoice.named(List.of("INBOX", "Sent"))));
            accounts.save(ManagedAccount.of(mail.account(OTHER).id("bob").password(OTHER, "wrong-password").build())
                    .withFolders(FolderChoice.named(List.of("INBOX"))));
            SyncScheduler scheduler = context.getBean(SyncScheduler.class);
            assertThat(scheduler.syncNow("alice")).isTrue();
            assertThat(scheduler.syncNow("bob")).isTrue();

            JdbcSyncStore store = context.getBean(JdbcSyncStore.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            // the listener hears of a sync after its status is written: wait for the counters
            Await.until("both syncs are counted and alice is watched with IDLE", WAIT,
                    () -> meters.find(ImapSyncMetrics.SYNCS).counters().stream().mapToDouble(c -> c.count()).sum() == 2
                            && scheduler.idleConnections() == 1);

            Map<String, SyncStatus> statuses = store.statuses().stream()
                    .collect(Collectors.toMap(AccountStatus::accountId, AccountStatus::status));
            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(
                    Map.of("alice", SyncStatus.OK, "bob", SyncStatus.AUTH_FAILED));
            assertThat(store.timeline(TimelineQuery.forContact("c-ann")).entries()).extracting(TimelineEntry::subject)
                    .containsExactlyInAnyOrder("Offer", "Re: Offer");

            assertThat(meters.get(ImapSyncMetrics.SYNCS).tags("status", "OK", "failure.kind", "NONE").counter().count())
                    .isEqualTo(1.0);
            assertThat(meters.get(ImapSyncMetrics.SYNCS).tags("status", "AUTH_FAILED", "failure.kind", "AUTH_FAILED")
                    .counter().count()).isEqualTo(1.0);
            assertThat(meters.get(ImapSyncMetrics.SYNC_DURATION).tags("status", "OK").timer().count()).isEqualTo(1);
            assertThat(meters.get(ImapSyncMetrics.FETCHED).counter().count()).as("3 messages in 2 folders").isEqualTo(3.0);
            assertThat(meters.get(ImapSyncMetrics.MATCHED).counter().count()).as("ann's two").isEqualTo(2.0);
            assertThat(meters.get(ImapSyncMetrics.BATCH_COMMIT).timer().count()).isEqualTo(2);
            assertThat(meters.get(ImapSyncMetrics.ACCOUNTS).tags("status", "OK").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get(ImapSyncMetrics.ACCOUNTS).tags("status", "AUTH_FAILED").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get(ImapSyncMetrics.ACCOUNTS).tags("status", "ERROR").gauge().value()).isZero();
            double age = meters.get(ImapSyncMetrics.OLDEST_SUCCESS_AGE).gauge().value();
            assertThat(age).as("alice synced moments ago").isBetween(0.0, WAIT.toSeconds() * 2.0);
            assertThat(meters.get(ImapSyncMetrics.ACCOUNT_SUCCESS_AGE).tags("account", "alice").gauge().value())
                    .isBetween(0.0, WAIT.toSeconds() * 2.0);
            assertThat(meters.get(ImapSyncMetrics.ACCOUNT_SUCCESS_AGE).tags("account", "bob").gauge().value())
                    .as("bob never synced").isNaN();
            assertThat(meters.get(ImapSyncMetrics.IDLE_CONNECTIONS).gauge().value()).isEqualTo(1.0);

            assertThat(context.getBean(FolderLog.class).folders).containsExactlyInAnyOrder(
                    "alice/INBOX: 2", "alice/Sent: 1");

            HealthComponent component = context.getBean(HealthEndpoint.class).healthForPath("imapsync");
            assertThat(component).isInstanceOf(Health.class);
            Health health = (Health) component;
            assertThat(health.getStatus()).isEqualTo(ImapSyncHealthIndicator.DEGRADED);
            assertThat(health.getDetails()).containsEntry("accounts", 2).containsEntry("failing", 1)
                    .containsEntry("partial", 0)
                    .containsEntry("failingAccounts", Map.of("bob", "AUTH_FAILED"))
                    .containsEntry("statuses", Map.of("OK", 1, "AUTH_FAILED", 1));
            assertThat(context.getBean(HealthEndpoint.class).health().getStatus())
                    .as("a failing account does not take the application down").isEqualTo(Status.UP);
        });
        Await.until("no scheduler, sync or IDLE thread is left", WAIT, () -> schedulerThreads().isEmpty());
    }

    /** The threads of a SyncScheduler and its IDLE watcher that are alive. */
    static Set<String> schedulerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.equals(SyncScheduler.LOOP_THREAD) || n.equals(SyncScheduler.HEARTBEAT_THREAD)
                        || n.startsWith(SyncScheduler.SYNC_THREAD_PREFIX) || n.startsWith("imap-sync-idle-"))
                .collect(Collectors.toSet());
    }
}
