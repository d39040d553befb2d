package dev.imapsync.spring.boot;

import dev.imapsync.sync.SyncEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code imapsync} {@link ImapSyncHealthIndicator} when Spring Boot Actuator is present,
 * unless {@code management.health.imapsync.enabled=false}.
 */
@AutoConfiguration(after = ImapSyncAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator")
@ConditionalOnBean(SyncEngine.class)
public class ImapSyncHealthAutoConfiguration {

    /** Nested, so that its Actuator condition is read only once the Actuator classes are known to be there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("imapsync")
    static class Indicator {
        /** Named so that the health endpoint shows it as {@code imapsync}. */
        @Bean(name = "imapsyncHealthIndicator")
        @ConditionalOnMissingBean(name = "imapsyncHealthIndicator")
        ImapSyncHealthIndicator imapsyncHealthIndicator(ObjectProvider<SyncEngine> engine) {
            return new ImapSyncHealthIndicator(() -> engine.getObject().statusStore());
        }
    }
}
