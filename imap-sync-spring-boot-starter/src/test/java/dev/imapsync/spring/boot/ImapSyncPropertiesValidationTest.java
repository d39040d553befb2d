package dev.imapsync.spring.boot;

import static dev.imapsync.spring.boot.ImapSyncAutoConfigurationTest.KEY;
import static dev.imapsync.spring.boot.ImapSyncAutoConfigurationTest.cause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.schedule.Backoff;
import dev.imapsync.sync.SyncOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Every imapsync.* value the core's builders refuse fails the start, naming the property and saying what to give. */
class ImapSyncPropertiesValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "imapsync.sync.initial-window|PT1H|imapsync.sync.initial-window|give 1 day to 100 years",
            "imapsync.sync.batch-size|0|imapsync.sync.batch-size|give 1 <= min <= start <= max <= 50000",
            "imapsync.sync.max-batch-size|60000|imapsync.sync.batch-size|imapsync.sync.max-batch-size=60000",
            "imapsync.sync.min-batch-size|600|imapsync.sync.batch-size|give 1 <= min <= start <= max <= 50000",
            "imapsync.sync.max-duration|PT0.5S|imapsync.sync.max-duration|give 1 second to 24 hours",
            "imapsync.sync.preview-bytes|100|imapsync.sync.preview-bytes|give 256 to 65536",
            "imapsync.sync.preview-length|5|imapsync.sync.preview-length|give 16 to 1000 characters",
            "imapsync.scheduler.node-id|''|imapsync.scheduler.node-id|give 1-200 characters",
            "imapsync.scheduler.default-interval|PT0S|imapsync.scheduler.default-interval|give a positive duration",
            "imapsync.scheduler.max-concurrent-syncs|0|imapsync.scheduler.max-concurrent-syncs|give 1 to 10000",
            "imapsync.scheduler.per-host-limit|0|imapsync.scheduler.per-host-limit|give 1 to 10000",
            "imapsync.scheduler.lease-duration|PT1S|imapsync.scheduler.lease-duration|give at least 3 seconds",
            "imapsync.scheduler.shutdown-timeout|-PT1S|imapsync.scheduler.shutdown-timeout|give 0 or more",
            "imapsync.scheduler.backoff.initial|PT0S|imapsync.scheduler.backoff.initial|is not positive",
            "imapsync.scheduler.backoff.max|PT10S|imapsync.scheduler.backoff.max|give a max of at least the initial delay",
            "imapsync.scheduler.backoff.multiplier|0.5|imapsync.scheduler.backoff.multiplier|give 1 (constant) or more",
            "imapsync.scheduler.backoff.jitter|1.5|imapsync.scheduler.backoff.jitter|give a fraction from 0",
            "imapsync.scheduler.max-idle-connections|0|imapsync.scheduler.max-idle-connections|give 1 to 100000",
            "imapsync.privacy.internal-domains|not a@domain|imapsync.privacy.internal-domains|expected e.g. example.com",
            "imapsync.privacy.retain-previews|PT0S|imapsync.privacy.retain-previews|must be positive",
            "imapsync.privacy.retain-history|P30D|imapsync.privacy.retain-history|set imapsync.privacy.retain-previews too",
    })
    void aRefusedValueFailsTheStartNamingTheProperty(String property, String value, String named, String advice) {
        ImapSyncAutoConfigurationTest.runner().withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withPropertyValues(KEY, property + "=" + value).run(context -> {
                    assertThat(context).hasFailed();
                    InvalidConfigurationPropertyValueException e = cause(context.getStartupFailure(),
                            InvalidConfigurationPropertyValueException.class);
                    assertThat(e.getName()).isEqualTo(named);
                    assertThat(e.getMessage()).startsWith("Property " + named + " with value '").contains(advice);
                });
    }

    @Test
    void historyKeptForLessTimeThanItsPreviewsIsRefused() {
        ImapSyncAutoConfigurationTest.runner().withUserConfiguration(ImapSyncAutoConfigurationTest.Contacts.class)
                .withPropertyValues(KEY, "imapsync.privacy.retain-previews=P90D", "imapsync.privacy.retain-history=P30D")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidConfigurationPropertyValueException e = cause(context.getStartupFailure(),
                            InvalidConfigurationPropertyValueException.class);
                    assertThat(e.getName()).isEqualTo("imapsync.privacy.retain-history");
                    assertThat(e.getMessage()).contains("cannot be kept for less time than their previews");
                });
    }

    @Test
    void theDefaultsAreTheCoresDefaults() {
        ImapSyncProperties properties = new ImapSyncProperties();
        assertThat(ImapSyncSettings.syncOptions(properties.getSync()).toString())
                .isEqualTo(SyncOptions.defaults().toString());
        ImapSyncProperties.BackoffSettings b = properties.getScheduler().getBackoff();
        assertThat(new Backoff(b.getInitial(), b.getMax(), b.getMultiplier(), b.getJitter()))
                .isEqualTo(Backoff.standard());
    }
}
