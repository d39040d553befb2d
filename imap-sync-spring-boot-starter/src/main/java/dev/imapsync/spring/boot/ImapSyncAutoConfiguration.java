package dev.imapsync.spring.boot;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcContactMatcher;
import dev.imapsync.jdbc.JdbcLeases;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.OAuth2TokenSource;
import dev.imapsync.policy.MessagePolicy;
import dev.imapsync.schedule.AccountRepository;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.store.SyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncOptions;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;

/**
 * imap-sync from the application's {@link DataSource}: the schema migrated at start (unless
 * {@code imapsync.schema.migrate=false}), a {@link JdbcSyncStore}, a
 * {@link JdbcAccountRepository}, {@link JdbcLeases}, a {@link SyncEngine} and a
 * {@link SyncScheduler} started and stopped with the context. Each bean backs off when the
 * application defines its own of the same type. The application supplies the
 * {@link ContactMatcher} as a bean, or names its contacts table in {@code imapsync.contacts.*}.
 * Its {@link SyncListener} and {@link SchedulerListener} beans all hear the engine and the
 * scheduler, beside the metrics.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, afterName = {
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration"})
@ConditionalOnClass({JdbcSyncStore.class, DataSource.class})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "imapsync", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ImapSyncProperties.class)
public class ImapSyncAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSyncAutoConfiguration.class);

    /**
     * The imap-sync tables, migrated at start unless {@code imapsync.schema.migrate=false}; after
     * the application's own database initialization (Flyway, Liquibase, SQL scripts). Define a
     * bean of this type to migrate them another way (Flyway with imap-sync's scripts): the beans
     * that use the tables wait for it.
     */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public ImapSyncSchema imapSyncSchema(DataSource dataSource, ImapSyncProperties properties) {
        if (!properties.getSchema().isMigrate()) {
            LOG.info("imap-sync: imapsync.schema.migrate=false, the schema is left to the application"
                    + " (Flyway or Liquibase with the scripts in db/imapsync/)");
            return new ImapSyncSchema(List.of());
        }
        List<Integer> applied = JdbcSchema.migrate(dataSource);
        if (!applied.isEmpty()) {
            LOG.info("imap-sync: schema versions {} applied", applied);
        }
        return new ImapSyncSchema(applied);
    }

    /** Checkpoints, history and statuses in the application's database. */
    @Bean
    @ConditionalOnMissingBean(SyncStore.class)
    public JdbcSyncStore imapSyncStore(DataSource dataSource, ImapSyncSchema schema) {
        return JdbcSyncStore.create(dataSource);
    }

    /**
     * The stored accounts, their secrets encrypted with {@code imapsync.accounts.key} (or
     * {@code IMAPSYNC_KEY}); an {@link OAuth2TokenSource} bean, if any, gives OAuth 2.0 accounts
     * their access tokens.
     */
    @Bean
    @ConditionalOnMissingBean(AccountRepository.class)
    public JdbcAccountRepository imapSyncAccounts(DataSource dataSource, ImapSyncProperties properties,
                                                  Environment environment, ImapSyncSchema schema,
                                                  ObjectProvider<OAuth2TokenSource> oauth2) {
        JdbcAccountRepository.Builder builder = JdbcAccountRepository.builder(dataSource)
                .keys(ImapSyncSettings.keys(properties.getAccounts(), environment));
        oauth2.ifAvailable(builder::oauth2);
        return builder.build();
    }

    /** The schedule several nodes share through the database. */
    @Bean
    @ConditionalOnMissingBean(AccountLeases.class)
    public JdbcLeases imapSyncLeases(DataSource dataSource, ImapSyncSchema schema) {
        return JdbcLeases.create(dataSource);
    }

    /** The application's contacts table, when {@code imapsync.contacts.table} or {@code address-table} is set. */
    @Bean
    @ConditionalOnMissingBean(ContactMatcher.class)
    @Conditional(ContactsTableConfigured.class)
    @DependsOnDatabaseInitialization // the table is checked now: after the application's Flyway or Liquibase made it
    public JdbcContactMatcher imapSyncContactMatcher(DataSource dataSource, ImapSyncProperties properties) {
        return ImapSyncSettings.contactMatcher(properties.getContacts(), dataSource);
    }

    /** The options of {@code imapsync.sync.*}, checked at start. */
    @Bean
    @ConditionalOnMissingBean
    public SyncOptions imapSyncOptions(ImapSyncProperties properties) {
        return ImapSyncSettings.syncOptions(properties.getSync());
    }

    /**
     * The engine; every {@link SyncListener} bean hears it, every {@link MessagePolicy} bean is
     * applied after the built-in privacy rules, and {@code imapsync.privacy.internal-domains} are
     * the company's own domains.
     */
    @Bean
    @ConditionalOnMissingBean
    public SyncEngine imapSyncEngine(SyncStore store, ObjectProvider<ContactMatcher> matcher, SyncOptions options,
                                     ObjectProvider<SyncListener> listeners, ObjectProvider<MessagePolicy> policies,
                                     ImapSyncProperties properties) {
        ContactMatcher contacts = matcher.getIfAvailable();
        if (contacts == null) {
            throw new ImapSyncConfigurationException("imap-sync has no ContactMatcher: it cannot tell which of your"
                    + " contacts an email address belongs to.", "Define a bean implementing"
                    + " dev.imapsync.contact.ContactMatcher, or name your contacts table with"
                    + " imapsync.contacts.table, imapsync.contacts.id-column and imapsync.contacts.email-columns"
                    + " (or imapsync.contacts.address-table, ...address-contact-id-column, ...address-email-column).",
                    null);
        }
        SyncEngine.Builder engine = SyncEngine.builder()
                .store(store)
                .contactMatcher(contacts)
                .options(options)
                .listener(Listeners.sync(listeners.orderedStream().toList()))
                .internalDomains(ImapSyncSettings.internalDomains(properties.getPrivacy()));
        policies.orderedStream().forEach(engine::policy);
        return engine.build();
    }

    /** The scheduler and its lifecycle, unless {@code imapsync.scheduler.enabled=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "imapsync.scheduler", name = "enabled", havingValue = "true", matchIfMissing = true)
    public static class SchedulerConfiguration {

        /** The scheduler over the stored accounts; every {@link SchedulerListener} bean hears it. */
        @Bean
        @ConditionalOnMissingBean
        public SyncScheduler imapSyncScheduler(AccountRepository accounts, SyncEngine engine, AccountLeases leases,
                                               ObjectProvider<SchedulerListener> listeners,
                                               ImapSyncProperties properties) {
            SyncScheduler.Builder builder = SyncScheduler.builder()
                    .accounts(accounts)
                    .engine(engine)
                    .leases(leases)
                    .listener(Listeners.scheduler(listeners.orderedStream().toList()));
            ImapSyncSettings.retention(properties.getPrivacy()).ifPresent(builder::retention);
            return ImapSyncSettings.scheduler(properties.getScheduler(), builder).build();
        }

        /** Starts the scheduler with the context and closes it, bounded, when the context stops. */
        @Bean
        @ConditionalOnMissingBean
        public SchedulerLifecycle imapSyncSchedulerLifecycle(SyncScheduler scheduler) {
            return new SchedulerLifecycle(scheduler);
        }
    }

    /** {@code imapsync.contacts.table} or {@code imapsync.contacts.address-table} is set. */
    static class ContactsTableConfigured extends AnyNestedCondition {
        ContactsTableConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "imapsync.contacts", name = "table")
        static class Table {
        }

        @ConditionalOnProperty(prefix = "imapsync.contacts", name = "address-table")
        static class AddressTable {
        }
    }
}
