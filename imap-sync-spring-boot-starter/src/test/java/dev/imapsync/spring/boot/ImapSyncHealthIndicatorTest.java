package dev.imapsync.spring.boot;

import static dev.imapsync.spring.boot.ImapSyncAutoConfigurationTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;

/** What the imapsync health shows for the statuses in the store, and when the store cannot be read. */
class ImapSyncHealthIndicatorTest {
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final ImapSyncHealthIndicator health = new ImapSyncHealthIndicator(() -> store);

    private void status(String account, SyncStatus status) {
        Instant now = Instant.now();
        store.saveStatus(new AccountStatus(account, status, now,
                status == SyncStatus.OK || status == SyncStatus.PARTIAL ? Optional.of(now) : Optional.empty(),
                "", "", Optional.empty(), 0, 0));
    }

    @Test
    void upWithNoAccounts() {
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("accounts", 0).containsEntry("failing", 0);
    }

    @Test
    void upWhenEveryAccountSynced() {
        status("alice", SyncStatus.OK);
        status("carol", SyncStatus.PARTIAL);
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("accounts", 2).containsEntry("failing", 0).containsEntry("partial", 1)
                .containsEntry("statuses", Map.of("OK", 1, "PARTIAL", 1)).containsEntry("failingAccounts", Map.of());
    }

    @Test
    void degradedWithTheFailingAccounts() {
        status("alice", SyncStatus.OK);
        status("bob", SyncStatus.AUTH_FAILED);
        status("dave", SyncStatus.CONNECTION_FAILED);
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(ImapSyncHealthIndicator.DEGRADED);
        assertThat(h.getDetails()).containsEntry("accounts", 3).containsEntry("failing", 2)
                .containsEntry("failingAccounts", Map.of("bob", "AUTH_FAILED", "dave", "CONNECTION_FAILED"));
    }

    @Test
    void theFailingAccountsListedAreBounded() {
        for (int i = 0; i < ImapSyncHealthIndicator.LISTED + 5; i++) {
            status("acct-" + i, SyncStatus.ERROR);
        }
        Health h = health.health();
        assertThat(h.getDetails()).containsEntry("failing", ImapSyncHealthIndicator.LISTED + 5);
        assertThat((Map<?, ?>) h.getDetails().get("failingAccounts")).hasSize(ImapSyncHealthIndicator.LISTED);
    }

    @Test
    void downWhenTheDatabaseCannotBeReached() {
        ImapSyncAutoConfigurationTest.runner()
                .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                        ImapSyncHealthAutoConfiguration.class))
                .withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withPropertyValues(KEY, "imapsync.scheduler.enabled=false").run(context -> {
                    ImapSyncHealthIndicator indicator = context.getBean("imapsyncHealthIndicator",
                            ImapSyncHealthIndicator.class);
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                    context.getBean(HikariDataSource.class).close();
                    Health h = indicator.health();
                    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(h.getDetails()).containsEntry("error",
                            "the account statuses could not be read (ImapSyncException): check the database");
                });
    }

    @Test
    void degradedInTheApplicationsHealthOnlyWhenTheOrderNamesIt() {
        store.saveStatus(new AccountStatus("bob", SyncStatus.AUTH_FAILED, Instant.now(), Optional.empty(), "", "",
                Optional.empty(), 0, 0));
        var runner = ImapSyncAutoConfigurationTest.runner()
                .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class, ImapSyncHealthAutoConfiguration.class))
                .withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withBean(InMemorySyncStore.class, () -> store)
                .withPropertyValues(KEY, "imapsync.scheduler.enabled=false");
        runner.run(context -> {
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            assertThat(((Health) endpoint.healthForPath("imapsync")).getStatus())
                    .isEqualTo(ImapSyncHealthIndicator.DEGRADED);
            assertThat(endpoint.health().getStatus()).as("Boot leaves unknown statuses out").isEqualTo(Status.UP);
        });
        runner.withPropertyValues("management.endpoint.health.status.order=DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN")
                .run(context -> assertThat(context.getBean(HealthEndpoint.class).health().getStatus())
                        .isEqualTo(ImapSyncHealthIndicator.DEGRADED));
    }

    @Test
    void offByManagementPropertyOrWithoutActuator() {
        var runner = ImapSyncAutoConfigurationTest.runner()
                .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                        ImapSyncHealthAutoConfiguration.class))
                .withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withPropertyValues(KEY, "imapsync.scheduler.enabled=false");
        runner.withPropertyValues("management.health.imapsync.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ImapSyncHealthIndicator.class));
        ImapSyncAutoConfigurationTest.runner()
                .withConfiguration(AutoConfigurations.of(ImapSyncHealthAutoConfiguration.class))
                .withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withPropertyValues(KEY, "imapsync.scheduler.enabled=false")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ImapSyncHealthIndicator.class));
    }
}
