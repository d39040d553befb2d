package dev.imapsync.spring.boot;

import dev.imapsync.schedule.SyncScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code imapsync.*} settings of the auto-configuration. Every setting of
 * {@code SyncOptions.Builder} and {@code SyncScheduler.Builder} has a property here, with the
 * same default; values are checked at start by those builders, and a value they refuse fails
 * the start with a message naming the property ({@link ImapSyncSettings}).
 */
@ConfigurationProperties(prefix = "imapsync")
public class ImapSyncProperties {
    /** Whether imap-sync is configured at all. */
    private boolean enabled = true;

    private final Schema schema = new Schema();
    private final Accounts accounts = new Accounts();
    private final Contacts contacts = new Contacts();
    private final Sync sync = new Sync();
    private final Scheduler scheduler = new Scheduler();
    private final Metrics metrics = new Metrics();
    private final Privacy privacy = new Privacy();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Schema getSchema() {
        return schema;
    }

    public Accounts getAccounts() {
        return accounts;
    }

    public Contacts getContacts() {
        return contacts;
    }

    public Sync getSync() {
        return sync;
    }

    public Scheduler getScheduler() {
        return scheduler;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Privacy getPrivacy() {
        return privacy;
    }

    /** The imap-sync tables. */
    public static class Schema {
        /**
         * Whether imap-sync's tables are created and upgraded at start with JdbcSchema.migrate.
         * Turn it off when Flyway or Liquibase runs the scripts in db/imapsync/ instead.
         */
        private boolean migrate = true;

        public boolean isMigrate() {
            return migrate;
        }

        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }
    }

    /** The stored accounts and the key their secrets are encrypted with. */
    public static class Accounts {
        /**
         * The keys that encrypt stored passwords and refresh tokens: id:base64key[,id:base64key...],
         * the current key first (SecretKeys.generate makes one). Without it, the environment
         * variable IMAPSYNC_KEY is read. Required unless generate-dev-key is on.
         */
        private String key;

        /**
         * Development only: when no key is configured, use a development key instead of failing:
         * kept in dev-key-file when set, else random at each start (accounts saved under it cannot
         * be read after a restart). Never in production.
         */
        private boolean generateDevKey = false;

        /**
         * Development only, with generate-dev-key: the file the development key is made in once
         * and read from at each start, so that saved accounts survive a restart. Owner-only.
         */
        private Path devKeyFile;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public Path getDevKeyFile() {
            return devKeyFile;
        }

        public void setDevKeyFile(Path devKeyFile) {
            this.devKeyFile = devKeyFile;
        }

        public boolean isGenerateDevKey() {
            return generateDevKey;
        }

        public void setGenerateDevKey(boolean generateDevKey) {
            this.generateDevKey = generateDevKey;
        }
    }

    /**
     * The application's contacts table, looked up by JdbcContactMatcher when the application
     * defines no ContactMatcher bean: either table, id-column and email-columns, or
     * address-table, address-contact-id-column and address-email-column.
     */
    public static class Contacts {
        /** The schema of the contacts table (the database on MariaDB/MySQL); default: the connection's. */
        private String schema;
        /** The contacts table whose own columns hold the addresses. */
        private String table;
        /** The contact id column of the table. */
        private String idColumn;
        /** The address columns of the table, one or more. */
        private List<String> emailColumns = new ArrayList<>();
        /** Instead of table: a table with one row per address. */
        private String addressTable;
        /** The contact id column of address-table. */
        private String addressContactIdColumn;
        /** The address column of address-table. */
        private String addressEmailColumn;
        /** Whether the address columns hold lower-case addresses (a generated column), so a plain index serves. */
        private boolean storedLowerCase = false;

        /** Whether any setting of the contacts table is given. */
        boolean configured() {
            return table != null || idColumn != null || !emailColumns.isEmpty() || addressTable != null
                    || addressContactIdColumn != null || addressEmailColumn != null;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public String getIdColumn() {
            return idColumn;
        }

        public void setIdColumn(String idColumn) {
            this.idColumn = idColumn;
        }

        public List<String> getEmailColumns() {
            return emailColumns;
        }

        public void setEmailColumns(List<String> emailColumns) {
            this.emailColumns = emailColumns;
        }

        public String getAddressTable() {
            return addressTable;
        }

        public void setAddressTable(String addressTable) {
            this.addressTable = addressTable;
        }

        public String getAddressContactIdColumn() {
            return addressContactIdColumn;
        }

        public void setAddressContactIdColumn(String addressContactIdColumn) {
            this.addressContactIdColumn = addressContactIdColumn;
        }

        public String getAddressEmailColumn() {
            return addressEmailColumn;
        }

        public void setAddressEmailColumn(String addressEmailColumn) {
            this.addressEmailColumn = addressEmailColumn;
        }

        public boolean isStoredLowerCase() {
            return storedLowerCase;
        }

        public void setStoredLowerCase(boolean storedLowerCase) {
            this.storedLowerCase = storedLowerCase;
        }
    }

    /** How a sync reads a mailbox (SyncOptions). */
    public static class Sync {
        /** How far back a folder's history reaches: 1 day to 100 years, in whole days. */
        private Duration initialWindow = Duration.ofDays(90);
        /** Messages per UID FETCH at the start; it adapts between min-batch-size and max-batch-size. */
        private int batchSize = 500;
        /** The smallest batch the engine adapts down to (at least 1). */
        private int minBatchSize = 50;
        /** The largest batch the engine adapts up to (at most 50000). */
        private int maxBatchSize = 5000;
        /** The longest one sync may take, 1 second to 24 hours; then it stops with a TIMEOUT. */
        private Duration maxDuration = Duration.ofHours(1);
        /** Whether matched messages get a preview (structure, attachments and the start of their text). */
        private boolean previews = true;
        /** How many bytes of a message's text part are read at most for its preview: 256 to 65536. */
        private int previewBytes = 4096;
        /** The longest preview, 16 to 1000 characters. */
        private int previewLength = 256;

        public Duration getInitialWindow() {
            return initialWindow;
        }

        public void setInitialWindow(Duration initialWindow) {
            this.initialWindow = initialWindow;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getMinBatchSize() {
            return minBatchSize;
        }

        public void setMinBatchSize(int minBatchSize) {
            this.minBatchSize = minBatchSize;
        }

        public int getMaxBatchSize() {
            return maxBatchSize;
        }

        public void setMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
        }

        public Duration getMaxDuration() {
            return maxDuration;
        }

        public void setMaxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
        }

        public boolean isPreviews() {
            return previews;
        }

        public void setPreviews(boolean previews) {
            this.previews = previews;
        }

        public int getPreviewBytes() {
            return previewBytes;
        }

        public void setPreviewBytes(int previewBytes) {
            this.previewBytes = previewBytes;
        }

        public int getPreviewLength() {
            return previewLength;
        }

        public void setPreviewLength(int previewLength) {
            this.previewLength = previewLength;
        }
    }

    /** The scheduler that syncs the stored accounts (SyncScheduler). */
    public static class Scheduler {
        /** Whether a SyncScheduler runs with the application context. */
        private boolean enabled = true;
        /** This node's id in the leases, unique per node: 1-200 characters; default host name and process id. */
        private String nodeId;
        /** How often an account syncs unless its own settings say: positive, at most 366 days. */
        private Duration defaultInterval = Duration.ofMinutes(5);
        /** How many syncs run at once on this node: 1 to 10000. */
        private int maxConcurrentSyncs = 4;
        /** How many connections at once this node opens to one IMAP host: 1 to 10000. */
        private int perHostLimit = 4;
        /** How long a claim holds without a heartbeat: 3 seconds to 1 day. */
        private Duration leaseDuration = Duration.ofMinutes(10);
        /**
         * How long stopping the application waits for running syncs before interrupting them
         * (a batch is committed whole or not at all): 0 to 1 day.
         */
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        /** Whether new mail announced by IMAP IDLE syncs an account at once (one connection per account). */
        private boolean idle = false;
        /**
         * With idle: the most IDLE connections (each with a thread) this node holds, 1 to 100000;
         * accounts past it are polled at their interval.
         */
        private int maxIdleConnections = SyncScheduler.DEFAULT_MAX_IDLE_CONNECTIONS;
        private final BackoffSettings backoff = new BackoffSettings();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getNodeId() {
            return nodeId;
        }

        public void setNodeId(String nodeId) {
            this.nodeId = nodeId;
        }

        public Duration getDefaultInterval() {
            return defaultInterval;
        }

        public void setDefaultInterval(Duration defaultInterval) {
            this.defaultInterval = defaultInterval;
        }

        public int getMaxConcurrentSyncs() {
            return maxConcurrentSyncs;
        }

        public void setMaxConcurrentSyncs(int maxConcurrentSyncs) {
            this.maxConcurrentSyncs = maxConcurrentSyncs;
        }

        public int getPerHostLimit() {
            return perHostLimit;
        }

        public void setPerHostLimit(int perHostLimit) {
            this.perHostLimit = perHostLimit;
        }

        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        public void setLeaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        public boolean isIdle() {
            return idle;
        }

        public void setIdle(boolean idle) {
            this.idle = idle;
        }

        public int getMaxIdleConnections() {
            return maxIdleConnections;
        }

        public void setMaxIdleConnections(int maxIdleConnections) {
            this.maxIdleConnections = maxIdleConnections;
        }

        public BackoffSettings getBackoff() {
            return backoff;
        }
    }

    /**
     * Company-wide privacy settings: the domains that are the company's own, and how long
     * previews and history entries are kept. Per-account settings (visibility, internal mail,
     * bulk mail) are stored with each account; the application's MessagePolicy beans are added to
     * the built-in rules.
     */
    public static class Privacy {
        /** Domains of the company (with their subdomains): mail among them only is internal and not recorded. */
        private List<String> internalDomains = new ArrayList<>();
        /** How long previews and attachment lists are kept (measured from each message's date); unset keeps them. */
        private Duration retainPreviews;
        /** How long history entries are kept; unset keeps them. Needs retain-previews, and at least as long. */
        private Duration retainHistory;

        public List<String> getInternalDomains() {
            return internalDomains;
        }

        public void setInternalDomains(List<String> internalDomains) {
            this.internalDomains = internalDomains;
        }

        public Duration getRetainPreviews() {
            return retainPreviews;
        }

        public void setRetainPreviews(Duration retainPreviews) {
            this.retainPreviews = retainPreviews;
        }

        public Duration getRetainHistory() {
            return retainHistory;
        }

        public void setRetainHistory(Duration retainHistory) {
            this.retainHistory = retainHistory;
        }
    }

    /** The wait after failed syncs (Backoff): initial x multiplier^(failures-1), capped at max, +/- jitter. */
    public static class BackoffSettings {
        /** The delay after the first failure. */
        private Duration initial = Duration.ofMinutes(1);
        /** The longest delay before jitter: at least initial, at most 7 days. */
        private Duration max = Duration.ofHours(1);
        /** How much each further failure multiplies the delay: 1 or more. */
        private double multiplier = 2.0;
        /** The spread as a fraction of the delay: 0 to below 1. */
        private double jitter = 0.2;

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** The Micrometer metrics. */
    public static class Metrics {
        /** Whether imapsync.* metrics are registered (when the application has a MeterRegistry). */
        private boolean enabled = true;
        /**
         * Whether imapsync.account.last.success.age is also published per account, tagged with
         * the account id: one time series per account, so keep it off for many accounts.
         */
        private boolean perAccount = false;
        /**
         * How long the account statuses read for the gauges are reused: one query per this
         * period at most, however many gauges are read.
         */
        private Duration statusCache = Duration.ofSeconds(10);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isPerAccount() {
            return perAccount;
        }

        public void setPerAccount(boolean perAccount) {
            this.perAccount = perAccount;
        }

        public Duration getStatusCache() {
            return statusCache;
        }

        public void setStatusCache(Duration statusCache) {
            this.statusCache = statusCache;
        }
    }
}
