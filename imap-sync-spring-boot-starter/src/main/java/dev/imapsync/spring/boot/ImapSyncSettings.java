package dev.imapsync.spring.boot;

import dev.imapsync.jdbc.JdbcContactMatcher;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.Retention;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.Backoff;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.sync.SyncOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Turns {@link ImapSyncProperties} into the core's settings. The core's builders check each
 * value; what they refuse becomes an {@link InvalidConfigurationPropertyValueException} naming
 * the property, so Spring Boot's start-up failure report says which line to fix.
 */
final class ImapSyncSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSyncSettings.class);

    /** The environment variable read when {@code imapsync.accounts.key} is not set, as the CLI does. */
    static final String KEY_ENV = "IMAPSYNC_KEY";
    static final String KEY_PROPERTY = "imapsync.accounts.key";
    static final String DEV_KEY_PROPERTY = "imapsync.accounts.generate-dev-key";

    private ImapSyncSettings() {
    }

    /** The sync options of {@code imapsync.sync.*}. */
    static SyncOptions syncOptions(ImapSyncProperties.Sync s) {
        SyncOptions.Builder b = SyncOptions.builder();
        apply("imapsync.sync.initial-window", s.getInitialWindow(), () -> b.initialWindow(s.getInitialWindow()));
        try {
            b.batchSize(s.getBatchSize(), s.getMinBatchSize(), s.getMaxBatchSize());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("imapsync.sync.batch-size", s.getBatchSize(),
                    e.getMessage() + " (imapsync.sync.min-batch-size=" + s.getMinBatchSize()
                            + ", imapsync.sync.batch-size=" + s.getBatchSize() + ", imapsync.sync.max-batch-size="
                            + s.getMaxBatchSize() + ")");
        }
        apply("imapsync.sync.max-duration", s.getMaxDuration(), () -> b.maxDuration(s.getMaxDuration()));
        b.previews(s.isPreviews());
        apply("imapsync.sync.preview-bytes", s.getPreviewBytes(), () -> b.previewBytes(s.getPreviewBytes()));
        apply("imapsync.sync.preview-length", s.getPreviewLength(), () -> b.previewLength(s.getPreviewLength()));
        return b.build();
    }

    /** Applies {@code imapsync.scheduler.*} (all but the parts: accounts, engine, leases, listener). */
    static SyncScheduler.Builder scheduler(ImapSyncProperties.Scheduler s, SyncScheduler.Builder b) {
        if (s.getNodeId() != null) {
            apply("imapsync.scheduler.node-id", s.getNodeId(), () -> b.nodeId(s.getNodeId()));
        }
        apply("imapsync.scheduler.default-interval", s.getDefaultInterval(),
                () -> b.defaultInterval(s.getDefaultInterval()));
        apply("imapsync.scheduler.max-concurrent-syncs", s.getMaxConcurrentSyncs(),
                () -> b.maxConcurrentSyncs(s.getMaxConcurrentSyncs()));
        apply("imapsync.scheduler.per-host-limit", s.getPerHostLimit(), () -> b.perHostLimit(s.getPerHostLimit()));
        apply("imapsync.scheduler.lease-duration", s.getLeaseDuration(), () -> b.leaseDuration(s.getLeaseDuration()));
        apply("imapsync.scheduler.shutdown-timeout", s.getShutdownTimeout(),
                () -> b.shutdownTimeout(s.getShutdownTimeout()));
        b.backoff(backoff(s.getBackoff()));
        b.idle(s.isIdle());
        apply("imapsync.scheduler.max-idle-connections", s.getMaxIdleConnections(),
                () -> b.maxIdleConnections(s.getMaxIdleConnections()));
        return b;
    }

    /** The company's domains of {@code imapsync.privacy.internal-domains}, each checked. */
    static Set<String> internalDomains(ImapSyncProperties.Privacy p) {
        Set<String> domains = new LinkedHashSet<>();
        for (String d : p.getInternalDomains()) {
            apply("imapsync.privacy.internal-domains", d, () -> domains.add(PrivacySettings.domain(d)));
        }
        return domains;
    }

    /**
     * The retention of {@code imapsync.privacy.retain-previews} and {@code retain-history}, or
     * empty when neither is set.
     */
    static Optional<Retention> retention(ImapSyncProperties.Privacy p) {
        if (p.getRetainPreviews() == null) {
            if (p.getRetainHistory() != null) {
                throw new InvalidConfigurationPropertyValueException("imapsync.privacy.retain-history",
                        p.getRetainHistory(), "History entries can only be dropped together with their previews:"
                                + " set imapsync.privacy.retain-previews too (at most as long)");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new Retention(p.getRetainPreviews(), Optional.ofNullable(p.getRetainHistory())));
        } catch (IllegalArgumentException e) {
            String property = p.getRetainHistory() != null && e.getMessage().startsWith("History")
                    ? "imapsync.privacy.retain-history" : "imapsync.privacy.retain-previews";
            Object value = property.endsWith("history") ? p.getRetainHistory() : p.getRetainPreviews();
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    private static Backoff backoff(ImapSyncProperties.BackoffSettings s) {
        // the record names the part it refuses ("Backoff max ...", "Backoff jitter ..."): name the property the same way
        try {
            return new Backoff(required("imapsync.scheduler.backoff.initial", s.getInitial()),
                    required("imapsync.scheduler.backoff.max", s.getMax()), s.getMultiplier(), s.getJitter());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String part = message.startsWith("Backoff max") ? "max" : message.startsWith("Backoff multiplier")
                    ? "multiplier" : message.startsWith("Backoff jitter") ? "jitter" : "initial";
            Object value = switch (part) {
                case "max" -> s.getMax();
                case "multiplier" -> s.getMultiplier();
                case "jitter" -> s.getJitter();
                default -> s.getInitial();
            };
            throw new InvalidConfigurationPropertyValueException("imapsync.scheduler.backoff." + part, value, message);
        }
    }

    /**
     * The contact matcher of {@code imapsync.contacts.*}: the names are validated as identifiers
     * and checked against the database.
     */
    static JdbcContactMatcher contactMatcher(ImapSyncProperties.Contacts c, DataSource dataSource) {
        JdbcContactMatcher.Builder b = JdbcContactMatcher.builder(dataSource);
        if (c.getSchema() != null) {
            b.schema(c.getSchema());
        }
        if (c.getTable() != null || c.getIdColumn() != null || !c.getEmailColumns().isEmpty()) {
            b.table(c.getTable()).idColumn(c.getIdColumn()).emailColumns(c.getEmailColumns().toArray(String[]::new));
        }
        if (c.getAddressTable() != null || c.getAddressContactIdColumn() != null || c.getAddressEmailColumn() != null) {
            b.addressTable(c.getAddressTable(), c.getAddressContactIdColumn(), c.getAddressEmailColumn());
        }
        b.storedLowerCase(c.isStoredLowerCase());
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ImapSyncConfigurationException("The contacts table of imapsync.contacts.* is not usable: "
                    + e.getMessage(), "Set imapsync.contacts.table, imapsync.contacts.id-column and"
                    + " imapsync.contacts.email-columns (or imapsync.contacts.address-table,"
                    + " imapsync.contacts.address-contact-id-column and imapsync.contacts.address-email-column),"
                    + " or define a ContactMatcher bean.", e);
        }
    }

    /**
     * The keys of the stored accounts' secrets: {@code imapsync.accounts.key}, else the
     * environment variable {@code IMAPSYNC_KEY}, else, only with
     * {@code imapsync.accounts.generate-dev-key}, a random key for this run. Never echoes key
     * material.
     */
    static SecretKeys keys(ImapSyncProperties.Accounts a, Environment environment) {
        if (a.getKey() != null && !a.getKey().isBlank()) {
            return parse(a.getKey(), KEY_PROPERTY);
        }
        String fromEnv = environment.getProperty(KEY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, "environment variable " + KEY_ENV);
        }
        if (a.isGenerateDevKey()) {
            if (a.getDevKeyFile() != null) {
                LOG.warn("{} is not set, and {}=true: account passwords are encrypted with the development key in {}."
                        + " For development only: whoever can read that file can decrypt them. Set {} (SecretKeys.generate"
                        + " makes a key) and remove {}.", KEY_PROPERTY, DEV_KEY_PROPERTY, a.getDevKeyFile(), KEY_PROPERTY,
                        DEV_KEY_PROPERTY);
                return DevKeys.inFile(a.getDevKeyFile());
            }
            LOG.warn("{} is not set, and {}=true: account passwords are encrypted with a random development key"
                    + " made for this run only, so accounts saved now cannot be read after a restart (set"
                    + " imapsync.accounts.dev-key-file to keep it). For development only: set {} (SecretKeys.generate"
                    + " makes a key) and remove {}.", KEY_PROPERTY, DEV_KEY_PROPERTY, KEY_PROPERTY, DEV_KEY_PROPERTY);
            return DevKeys.forThisRun();
        }
        throw new ImapSyncConfigurationException("No key to encrypt the stored accounts' passwords: " + KEY_PROPERTY
                + " is not set, nor the environment variable " + KEY_ENV + ".",
                "Make a key with SecretKeys.generate(\"2026-12\") (or 'java -jar imap-sync.jar accounts new-key'),"
                        + " keep it in your secrets store and set " + KEY_PROPERTY + " (or " + KEY_ENV + ") to it."
                        + " For development only, " + DEV_KEY_PROPERTY + "=true makes a random key at each start.",
                null);
    }

    private static SecretKeys parse(String text, String source) {
        try {
            return SecretKeys.parse(text);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // SecretKeys' messages never echo key material; the value is masked here too
            if (source.equals(KEY_PROPERTY)) {
                throw new InvalidConfigurationPropertyValueException(KEY_PROPERTY, "<masked>", e.getMessage());
            }
            throw new ImapSyncConfigurationException("The " + source + " is malformed: " + e.getMessage() + ".",
                    "Set it to id:base64key[,id:base64key...], the current key first (SecretKeys.generate makes"
                            + " one), or set " + KEY_PROPERTY + ", which is read first.", null);
        }
    }

    private static <T> T required(String property, T value) {
        if (value == null) {
            throw new InvalidConfigurationPropertyValueException(property, null, "give a value");
        }
        return value;
    }

    private static void apply(String property, Object value, Runnable setter) {
        if (value == null) {
            throw new InvalidConfigurationPropertyValueException(property, null, "give a value");
        }
        try {
            setter.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(property, value instanceof Duration d ? d : value,
                    e.getMessage());
        }
    }
}
