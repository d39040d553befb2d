package dev.imapsync.spring.boot;

import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.sync.SyncEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@link ImapSyncMetrics} when the application has a Micrometer {@link MeterRegistry} (Spring
 * Boot Actuator makes one), unless {@code imapsync.metrics.enabled=false}. The engine and the
 * scheduler made by {@link ImapSyncAutoConfiguration} tell it what they do; an engine the
 * application makes itself must be given it as (part of) its listener.
 */
@AutoConfiguration(after = ImapSyncAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, SyncEngine.class})
@ConditionalOnProperty(prefix = "imapsync.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ImapSyncMetricsAutoConfiguration {

    /** The meters; the engine and scheduler find it among the listener beans. */
    @Bean
    @ConditionalOnMissingBean
    public ImapSyncMetrics imapSyncMetrics(MeterRegistry registry, ObjectProvider<SyncEngine> engine,
                                           ObjectProvider<SyncScheduler> scheduler, ImapSyncProperties properties) {
        ImapSyncProperties.Metrics m = properties.getMetrics();
        return new ImapSyncMetrics(registry, () -> engine.getObject().statusStore(), scheduler::getIfAvailable,
                m.getStatusCache(), m.isPerAccount(), Clock.systemUTC());
    }
}
