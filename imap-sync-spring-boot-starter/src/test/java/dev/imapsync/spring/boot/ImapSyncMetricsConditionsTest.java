package dev.imapsync.spring.boot;

import static dev.imapsync.spring.boot.ImapSyncAutoConfigurationTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the metrics are there. */
class ImapSyncMetricsConditionsTest {

    static ApplicationContextRunner runner() {
        return ImapSyncAutoConfigurationTest.runner()
                .withConfiguration(AutoConfigurations.of(ImapSyncMetricsAutoConfiguration.class))
                .withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withPropertyValues(KEY, "imapsync.scheduler.enabled=false");
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void theMetricsAreThereWithARegistry() {
        runner().withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ImapSyncMetrics.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(ImapSyncMetrics.FETCHED).counter().count()).isZero();
            assertThat(meters.get(ImapSyncMetrics.IDLE_CONNECTIONS).gauge().value()).as("no scheduler").isZero();
            assertThat(meters.get(ImapSyncMetrics.OLDEST_SUCCESS_AGE).gauge().value()).as("no account synced").isNaN();
        });
    }

    @Test
    void noMetricsWithoutARegistryOrWhenTurnedOff() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ImapSyncMetrics.class));
        runner().withUserConfiguration(Registry.class).withPropertyValues("imapsync.metrics.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ImapSyncMetrics.class));
        runner().withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ImapSyncMetrics.class));
    }
}
