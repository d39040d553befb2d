package dev.imapsync.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcContactMatcher;
import dev.imapsync.jdbc.JdbcLeases;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.AccountRepository;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.schedule.ManagedAccount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which beans the auto-configuration makes, when it backs off, and what a start without a required part says. */
class ImapSyncAutoConfigurationTest {
    static final String KEY = "imapsync.accounts.key=" + SecretKeys.generate("test-1");

    /** A fresh in-memory H2 database per context, with a contacts table. */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        ImapSyncAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:boot" + UUID.randomUUID().toString().replace("-", "")
                        + ";DB_CLOSE_DELAY=-1;INIT=CREATE TABLE IF NOT EXISTS crm_contacts"
                        + "(id VARCHAR(40) PRIMARY KEY, email VARCHAR(200))");
    }

    @Configuration(proxyBeanMethods = false)
    static class Contacts {
        @Bean
        ContactMatcher contacts() {
            return InMemoryContactMatcher.builder().add("c-1", "ann@example.com").build();
        }
    }

    @Test
    void makesEveryPartFromTheDataSource() {
        runner().withUserConfiguration(Contacts.class).withPropertyValues(KEY).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(JdbcSyncStore.class).hasSingleBean(JdbcAccountRepository.class)
                    .hasSingleBean(JdbcLeases.class).hasSingleBean(SyncEngine.class)
                    .hasSingleBean(SyncScheduler.class).hasSingleBean(SchedulerLifecycle.class)
                    .doesNotHaveBean(JdbcContactMatcher.class);
            assertThat(context.getBean(ImapSyncSchema.class).applied()).endsWith(JdbcSchema.latestVersion());
            assertThat(context.getBean(SchedulerLifecycle.class).isRunning()).isTrue();
            assertThat(context.getBean(JdbcSyncStore.class).statuses()).isEmpty();
            assertThat(context.getBean(SyncEngine.class).options().toString()).isEqualTo(SyncOptions.defaults().toString());
        });
    }

    @Test
    void theContactsTableByProperties() {
        runner().withPropertyValues(KEY, "imapsync.contacts.table=crm_contacts", "imapsync.contacts.id-column=id",
                "imapsync.contacts.email-columns=email").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcContactMatcher.class);
            assertThat(context.getBean(JdbcContactMatcher.class).match("ann@example.com")).isEmpty();
        });
    }

    @Test
    void aContactsTableThatIsNotThereFailsTheStartNamingTheProperties() {
        runner().withPropertyValues(KEY, "imapsync.contacts.table=crm_people", "imapsync.contacts.id-column=id",
                "imapsync.contacts.email-columns=email").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("crm_people");
        });
    }

    @Test
    void noContactMatcherFailsTheStartSayingWhatToDo() {
        runner().withPropertyValues(KEY).run(context -> {
            assertThat(context).hasFailed();
            ImapSyncConfigurationException e = cause(context.getStartupFailure(), ImapSyncConfigurationException.class);
            assertThat(e.getMessage()).startsWith("imap-sync has no ContactMatcher")
                    .contains("dev.imapsync.contact.ContactMatcher", "imapsync.contacts.table");
        });
    }

    @Test
    void noKeyFailsTheStartNamingTheProperty() {
        runner().withUserConfiguration(Contacts.class).run(context -> {
            assertThat(context).hasFailed();
            ImapSyncConfigurationException e = cause(context.getStartupFailure(), ImapSyncConfigurationException.class);
            assertThat(e.getMessage()).startsWith("No key to encrypt the stored accounts' passwords:"
                    + " imapsync.accounts.key is not set, nor the environment variable IMAPSYNC_KEY.");
            assertThat(e.action()).contains("imapsync.accounts.generate-dev-key=true");
        });
    }

    @Test
    void theKeyFromTheEnvironmentVariableAsTheCommandLineReadsIt() {
        runner().withUserConfiguration(Contacts.class)
                .withPropertyValues("IMAPSYNC_KEY=" + SecretKeys.generate("from-env"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(JdbcAccountRepository.class));
        runner().withUserConfiguration(Contacts.class).withPropertyValues("IMAPSYNC_KEY=k1:not*base64*secretstuff")
                .run(context -> {
                    ImapSyncConfigurationException e = cause(context.getStartupFailure(),
                            ImapSyncConfigurationException.class);
                    assertThat(e.getMessage()).startsWith("The environment variable IMAPSYNC_KEY is malformed: Key 'k1'"
                            + " is not valid Base64").doesNotContain("secretstuff");
                });
    }

    @Test
    void theDevelopmentKeyOnlyWhenAskedFor() {
        runner().withUserConfiguration(Contacts.class).withPropertyValues("imapsync.accounts.generate-dev-key=true")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(JdbcAccountRepository.class));
    }

    @Test
    void theDevelopmentKeyFileKeepsSavedAccountsReadableAfterARestart(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("keys").resolve("imapsync-dev.key");
        ApplicationContextRunner runner = runner().withUserConfiguration(Contacts.class).withPropertyValues(
                "imapsync.accounts.generate-dev-key=true", "imapsync.accounts.dev-key-file=" + file,
                "imapsync.scheduler.enabled=false");
        ManagedAccount account = ManagedAccount.of(ImapAccount.builder().id("dev").emailAddress("dev@acme.example")
                .endpoint("imap.acme.example", 993, Security.SSL_TLS).password("dev@acme.example", "pw-1").build());
        runner.run(context -> context.getBean(JdbcAccountRepository.class).save(account));
        runner.run(context -> assertThat(context.getBean(JdbcAccountRepository.class).find("dev")).isPresent());
        assertThat(file).exists();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void aMalformedKeyFailsWithoutEchoingIt() {
        runner().withUserConfiguration(Contacts.class)
                .withPropertyValues("imapsync.accounts.key=k1:not*base64*secretstuff").run(context -> {
                    assertThat(context).hasFailed();
                    String message = rootMessage(context.getStartupFailure());
                    assertThat(message).contains("imapsync.accounts.key").doesNotContain("secretstuff");
                });
    }

    @Test
    void theApplicationsOwnBeansReplaceOurs() {
        runner().withUserConfiguration(Contacts.class, OwnStore.class).withPropertyValues(KEY).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcSyncStore.class);
            assertThat(context.getBean(SyncEngine.class).store()).isSameAs(context.getBean(SyncStore.class));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean
        InMemorySyncStore store() {
            return new InMemorySyncStore();
        }
    }

    @Test
    void withoutTheSchedulerTheEngineStaysAndNoKeyIsNeededWithOwnAccounts() {
        runner().withUserConfiguration(Contacts.class, OwnAccounts.class)
                .withPropertyValues("imapsync.scheduler.enabled=false").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SyncEngine.class)
                            .doesNotHaveBean(SyncScheduler.class).doesNotHaveBean(SchedulerLifecycle.class)
                            .doesNotHaveBean(JdbcAccountRepository.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAccounts {
        @Bean
        AccountRepository accounts() {
            return new AccountRepository() {
                @Override
                public java.util.List<AccountSummary> list() {
                    return java.util.List.of();
                }

                @Override
                public java.util.Optional<dev.imapsync.schedule.ManagedAccount> find(String accountId) {
                    return java.util.Optional.empty();
                }
            };
        }
    }

    @Test
    void offAltogether() {
        runner().withPropertyValues("imapsync.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(SyncEngine.class).doesNotHaveBean(ImapSyncProperties.class));
    }

    @Test
    void theSchemaLeftToTheApplication() {
        runner().withUserConfiguration(Contacts.class).withPropertyValues(KEY, "imapsync.schema.migrate=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ImapSyncSchema.class).applied()).isEmpty();
                    assertThat(tableExists(context.getBean(DataSource.class), "IMAPSYNC_ACCOUNT")).isFalse();
                });
    }

    static boolean tableExists(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
            return rs.next();
        }
    }

    static String rootMessage(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }
}
