package dev.imapsync.spring.boot;

import static dev.imapsync.spring.boot.ImapSyncAutoConfigurationTest.KEY;
import static dev.imapsync.spring.boot.ImapSyncAutoConfigurationTest.tableExists;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.jdbc.JdbcContactMatcher;
import dev.imapsync.jdbc.JdbcSyncStore;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beside the application's own database initialization (Spring Boot's SQL scripts here; its
 * Flyway and Liquibase are initializers of the same kind): the contacts table is checked after it
 * was made. And imap-sync's scripts under Flyway, as the README shows.
 */
class DatabaseInitializationTest {

    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        SqlInitializationAutoConfiguration.class, ImapSyncAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:fw" + UUID.randomUUID().toString().replace("-", "")
                                + ";DB_CLOSE_DELAY=-1", "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:crm-schema.sql", KEY,
                        "imapsync.contacts.table=crm_contacts", "imapsync.contacts.id-column=id",
                        "imapsync.contacts.email-columns=email", "imapsync.scheduler.enabled=false");
    }

    @Test
    void theContactsTableMadeByTheApplicationsInitializationIsCheckedAfterIt() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(JdbcContactMatcher.class).match("ann@example.com")).hasSize(1);
            assertThat(context.getBean(JdbcSyncStore.class).statuses()).isEmpty();
        });
    }

    /** The README's way: imap-sync's scripts with a history table of their own, in place of JdbcSchema.migrate. */
    @Configuration(proxyBeanMethods = false)
    static class ImapSyncUnderFlyway {
        @Bean
        ImapSyncSchema imapSyncSchema(DataSource dataSource) {
            Flyway.configure().dataSource(dataSource)
                    .locations("classpath:db/imapsync/h2")
                    .table("imapsync_flyway_history")
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
            return new ImapSyncSchema(List.of());
        }
    }

    @Test
    void imapSyncsScriptsUnderFlywayInsteadOfMigrate() {
        runner().withUserConfiguration(ImapSyncUnderFlyway.class).withPropertyValues("imapsync.schema.migrate=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThat(tableExists(dataSource, "imapsync_flyway_history")).isTrue();
                    assertThat(context.getBean(JdbcSyncStore.class).statuses()).isEmpty();
                });
    }
}
