package dev.imapsync.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.folder.FolderChoice;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.policy.MessagePolicy;
import dev.imapsync.policy.Verdict;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.GreenMailExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The company-wide privacy properties and the application's own {@link MessagePolicy} beans reach
 * the engine: what they keep out is not in history, and the report counts it by rule.
 */
class PrivacyPropertiesTest {
    static final String OWNER = "owner@acme.example";

    @RegisterExtension
    final GreenMailExtension mail = GreenMailExtension.builder()
            .user(OWNER, "secret", m -> m.received("ann@example.com", "Offer")
                    .received("ann@example.com", "[HR] Salary review")
                    .received("bea@partner.example", "Our plan"))
            .build();

    /** The application's own rule: nothing marked for HR enters the CRM. */
    static class NoHrMail implements MessagePolicy {
        @Override
        public Verdict decide(dev.imapsync.policy.MessageFacts message) {
            return message.subject().startsWith("[HR]") ? Verdict.exclude("hr") : Verdict.record();
        }
    }

    @Test
    void internalDomainsAndTheApplicationsRulesKeepMailOut() throws Exception {
        String url = "jdbc:h2:mem:privacy" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE crm_contacts (id VARCHAR(40) PRIMARY KEY, email VARCHAR(200))");
            s.execute("INSERT INTO crm_contacts VALUES ('c-ann', 'ann@example.com'), ('c-bea', 'bea@partner.example')");
        }
        new ApplicationContextRunner()
                .withBean(NoHrMail.class)
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        ImapSyncAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url,
                        "imapsync.accounts.key=" + SecretKeys.generate("privacy"),
                        "imapsync.contacts.table=crm_contacts", "imapsync.contacts.id-column=id",
                        "imapsync.contacts.email-columns=email",
                        // partner.example is the company's second domain: bea is a colleague
                        "imapsync.privacy.internal-domains=partner.example",
                        "imapsync.privacy.retain-previews=P365D",
                        "imapsync.scheduler.shutdown-timeout=PT5S")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SyncScheduler.class);
                    SyncReport report = context.getBean(SyncEngine.class)
                            .sync(mail.account(OWNER).id("alice").build(), FolderChoice.named(List.of("INBOX")));

                    assertThat(report.excluded()).isEqualTo(Map.of(Verdict.INTERNAL, 1L, "hr", 1L));
                    assertThat(report.fetched()).isEqualTo(3);
                    JdbcSyncStore store = context.getBean(JdbcSyncStore.class);
                    assertThat(store.timeline(TimelineQuery.forContact("c-ann")).entries())
                            .extracting(TimelineEntry::subject).containsExactly("Offer");
                    assertThat(store.timeline(TimelineQuery.forContact("c-bea")).entries()).isEmpty();
                });
    }
}
