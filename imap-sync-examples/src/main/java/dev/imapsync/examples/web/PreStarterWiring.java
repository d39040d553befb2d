package dev.imapsync.examples.web;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcLeases;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.sync.SyncEngine;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** TEMPORARY until the starter is merged: the beans the starter will make. */
@Configuration
class PreStarterWiring {
    @Bean
    JdbcSyncStore jdbcSyncStore(DataSource dataSource) {
        JdbcSchema.migrate(dataSource);
        return JdbcSyncStore.create(dataSource);
    }

    @Bean
    JdbcAccountRepository jdbcAccountRepository(DataSource dataSource, SecretKeys keys, JdbcSyncStore store) {
        return JdbcAccountRepository.builder(dataSource).keys(keys).build();
    }

    @Bean
    SyncEngine syncEngine(JdbcSyncStore store, ContactMatcher matcher, SyncProgress progress) {
        return SyncEngine.builder().store(store).contactMatcher(matcher).listener(progress).build();
    }

    @Bean(destroyMethod = "close")
    SyncScheduler syncScheduler(JdbcAccountRepository accounts, SyncEngine engine, DataSource dataSource,
                                SyncProgress progress) {
        SyncScheduler scheduler = SyncScheduler.builder().accounts(accounts).engine(engine)
                .leases(JdbcLeases.create(dataSource)).listener(progress).build();
        scheduler.start();
        return scheduler;
    }
}
