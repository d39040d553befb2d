package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.MessageKey;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.Retention;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncStore.ResetResult;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SyncStore} and {@link TimelineStore} in an SQL database (H2, PostgreSQL, MariaDB/MySQL),
 * with exactly the semantics of {@link dev.imapsync.store.InMemorySyncStore}.
 *
 * <p>{@link #create} does not touch the schema: call {@link JdbcSchema#migrate} first (or run
 * the scripts with your own migration tool). Each {@link #commit} is one transaction: one
 * query per 500 keys finds which of the batch's messages (and their activities) are recorded
 * already, then plain batched inserts write the rest, and the checkpoint moves. On PostgreSQL a
 * batch whose messages are all new (a first sync's) is written with {@code COPY}, and any other
 * in two statements that skip what is recorded ({@code ON CONFLICT DO NOTHING}). A transaction
 * that loses a race with another node (a duplicate key on a row the other inserted first, a
 * deadlock, a lock timeout) is run again a few times, and sees the other's rows; any other
 * failure rolls back and throws {@link ImapSyncException}. Plain inserts let drivers send a
 * batch at once: with PostgreSQL, set {@code reWriteBatchedInserts=true} on the connection URL.
 * The batch's own addresses of the account are recorded in the same transaction, by one
 * statement that inserts only those missing.
 *
 * <p>The timeline ({@link #timeline}, {@link #summaries}, {@link #busiest}) reads the same
 * tables by their indexes; a page costs the same however deep it is. The tables are internal:
 * their shape may change with any schema version, so read them through these methods.
 *
 * <p>Text is stored cleaned (see {@link SqlDialect}): NUL characters removed, unpaired
 * surrogates replaced, and subjects and senders cut to 1,000 characters, thread ids to 255,
 * status messages and hints to 4,000. Times are stored in UTC to the microsecond. Account ids
 * may have up to 200 characters, folder names 500 and contact ids 255; longer ones are rejected
 * before anything is written, and so are own addresses longer than 320.
 *
 * <p>As a {@link PrivacyStore} it keeps block entries, revisits and suppression entries (only
 * the SHA-256 of an erased address) beside the accounts; {@link #block}, {@link #erase} and
 * {@link #applyRetention} change at most 1,000 messages per transaction and are safe to run
 * again after a crash. Each history entry keeps the normalized address that matched its contact
 * (schema version 6), which is how an erasure or a block finds it.
 *
 * <p>Thread-safe: it holds only the {@link DataSource}, and takes a connection per call.
 */
public final class JdbcSyncStore implements SyncStore, StatusStore, TimelineStore, PrivacyStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSyncStore.class);

    static final int MAX_ACCOUNT_ID = 200;
    static final int MAX_FOLDER = 500;
    static final int MAX_CONTACT_ID = 255;
    static final int MAX_TEXT = 1000;
    static final int MAX_THREAD_ID = 255;
    static final int MAX_STATUS_TEXT = 4000;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final BatchWriter writer;
    private final ThreadJoiner threads;
    private final Transactions transactions;
    private final OwnAddresses ownAddresses;
    private final JdbcTimeline timeline;
    private final JdbcPrivacy privacy;

    private JdbcSyncStore(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.transactions = new Transactions(dataSource, dialect);
        this.ownAddresses = new OwnAddresses(dialect);
        this.timeline = new JdbcTimeline(dataSource, dialect);
        this.privacy = new JdbcPrivacy(dataSource, dialect, transactions);
        this.writer = dialect != SqlDialect.POSTGRESQL ? new PortableBatchWriter(dialect)
                : copyAvailable() ? new PostgresCopyWriter() : new PostgresBatchWriter();
        this.threads = new ThreadJoiner();
    }

    /**
     * A store in the database behind {@code dataSource}, whose dialect is detected (and logged)
     * now. The schema must already be there: see {@link JdbcSchema#migrate(DataSource)}.
     *
     * @throws ImapSyncException if the database cannot be reached or is not supported
     */
    public static JdbcSyncStore create(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            SqlDialect dialect = SqlDialect.ofProductName(product);
            LOG.info("imap-sync stores into {} {} with the {} dialect", product,
                    connection.getMetaData().getDatabaseProductVersion(), dialect);
            return new JdbcSyncStore(dataSource, dialect);
        } catch (SQLException e) {
            throw new ImapSyncException("Could not connect to the database of the imap-sync store: check the DataSource", e);
        } catch (IllegalArgumentException e) {
            throw new ImapSyncException(e.getMessage(), e);
        }
    }

    /** A store in the database behind {@code dataSource}, in the given dialect; nothing is checked now. */
    public static JdbcSyncStore create(DataSource dataSource, SqlDialect dialect) {
        return new JdbcSyncStore(Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(dialect, "dialect"));
    }

    /** Whether the PostgreSQL driver's COPY API is there to be used (the application brings the driver). */
    private static boolean copyAvailable() {
        try {
            Class.forName("org.postgresql.copy.CopyManager", false, JdbcSyncStore.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The dialect this store speaks. */
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
        checkAccountId(accountId);
        Objects.requireNonNull(folder, "folder");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                     + " FROM imapsync_checkpoint WHERE account_id = ? AND folder = ?")) {
            statement.setString(1, accountId);
            statement.setString(2, SqlDialect.clean(folder, MAX_FOLDER));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(readCheckpoint(rs, folder, dialect)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the checkpoint of folder " + folder + " of account "
                    + accountId, "check the database");
        }
    }

    /**
     * Records one batch in one transaction and returns what was new; the rules of
     * {@link dev.imapsync.store.InMemorySyncStore#commit} are checked before anything is written.
     */
    @Override
    public CommitResult commit(String accountId, SyncBatch batch) {
        checkAccountId(accountId);
        Objects.requireNonNull(batch, "batch");
        check(batch);
        List<SyncedMessage> messages = firstOfEachMessage(batch.messages());
        List<ContactActivity> activities = firstOfEachActivity(batch.activities());
        String what = "store a batch of " + batch.messages().size() + " messages of folder " + batch.folder()
                + " of account " + accountId;
        CommitResult result;
        try {
            result = transactions.retrying(what, -1, connection -> {
                CommitResult written = writer.write(connection, accountId, messages, activities,
                        batch.checkpoint().folder(), batch.checkpoint().uidValidity());
                threads.join(connection, messages);
                ownAddresses.record(connection, accountId, batch.ownAddresses());
                saveCheckpoint(connection, accountId, batch.checkpoint());
                return written;
            });
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, what).orElseGet(() -> new ImapSyncException("Could not " + what
                    + " (SQLState " + e.getSQLState() + "): nothing of the batch was stored. The next sync tries it"
                    + " again; if this repeats, check the database.", e));
        }
        LOG.debug("Account {}, folder {}: committed {} messages ({} new), {} activities ({} new)", accountId,
                batch.folder(), messages.size(), result.newMessages(), activities.size(), result.newActivities());
        return result;
    }

    /** Within one UIDVALIDITY the last UID never goes back; a new UIDVALIDITY starts over. */
    private void saveCheckpoint(Connection connection, String accountId, FolderCheckpoint committed)
            throws SQLException {
        String folder = SqlDialect.clean(committed.folder(), MAX_FOLDER);
        FolderCheckpoint recorded = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                + " FROM imapsync_checkpoint WHERE account_id = ? AND folder = ? FOR UPDATE")) {
            select.setString(1, accountId);
            select.setString(2, folder);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    recorded = readCheckpoint(rs, committed.folder(), dialect);
                }
            }
        }
        if (recorded == null) {
            // two first commits of one folder: the loser's duplicate key reruns its transaction
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_checkpoint"
                    + " (uid_validity, last_uid, highest_modseq, window_start, lowest_uid, account_id, folder)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bindCheckpoint(insert, committed, accountId, folder);
                insert.executeUpdate();
            }
            return;
        }
        FolderCheckpoint next = recorded.merged(committed);
        if (!next.equals(recorded)) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE imapsync_checkpoint SET uid_validity = ?,"
                    + " last_uid = ?, highest_modseq = ?, window_start = ?, lowest_uid = ?"
                    + " WHERE account_id = ? AND folder = ?")) {
                bindCheckpoint(update, next, accountId, folder);
                update.executeUpdate();
            }
        }
    }

    private void bindCheckpoint(PreparedStatement statement, FolderCheckpoint checkpoint, String accountId,
                                String folder) throws SQLException {
        statement.setLong(1, checkpoint.uidValidity());
        statement.setLong(2, checkpoint.lastUid());
        if (checkpoint.highestModSeq().isPresent()) {
            statement.setLong(3, checkpoint.highestModSeq().getAsLong());
        } else {
            statement.setNull(3, Types.BIGINT);
        }
        dialect.setInstant(statement, 4, checkpoint.windowStart().orElse(null));
        statement.setLong(5, checkpoint.lowestUid());
        statement.setString(6, accountId);
        statement.setString(7, folder);
    }

    private static final String CHECKPOINT_COLUMNS = "uid_validity, last_uid, highest_modseq, window_start, lowest_uid";

    private static FolderCheckpoint readCheckpoint(ResultSet rs, String folder, SqlDialect dialect)
            throws SQLException {
        long modSeq = rs.getLong("highest_modseq");
        OptionalLong highestModSeq = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(modSeq);
        Optional<Instant> windowStart = dialect.getInstant(rs, "window_start");
        return new FolderCheckpoint(folder, rs.getLong("uid_validity"), rs.getLong("last_uid"), highestModSeq,
                windowStart, windowStart.isPresent() ? rs.getLong("lowest_uid") : 0);
    }

    /**
     * Forgets the account's checkpoints and revisits and, with {@code purgeHistory}, its messages
     * and history entries, in one transaction.
     */
    @Override
    public ResetResult reset(String accountId, boolean purgeHistory) {
        checkAccountId(accountId);
        String what = (purgeHistory ? "reset account " + accountId + " and purge its history"
                : "reset the checkpoints of account " + accountId);
        try {
            return transactions.retrying(what, -1, connection -> {
                int folders = deleteOfAccount(connection, "imapsync_checkpoint", accountId);
                deleteOfAccount(connection, "imapsync_revisit", accountId); // the next sync reads every window afresh
                if (!purgeHistory) {
                    return new ResetResult(folders, 0, 0);
                }
                int activities = deleteOfAccount(connection, "imapsync_activity", accountId);
                int messages = deleteOfAccount(connection, "imapsync_message", accountId);
                return new ResetResult(folders, messages, activities);
            });
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, what).orElseGet(() -> new ImapSyncException("Could not " + what
                    + " (SQLState " + e.getSQLState() + "): nothing was changed. Check the database and try again.", e));
        }
    }

    private static int deleteOfAccount(Connection connection, String table, String accountId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
            delete.setString(1, accountId);
            return delete.executeUpdate();
        }
    }

    /**
     * A contact's history across all accounts, newest first (by date; equal dates by message
     * key, compared bytewise, then role, then account id), at most {@code limit} entries.
     */
    @Override
    public List<ContactActivity> history(String contactId, int limit) {
        Objects.requireNonNull(contactId, "contactId");
        if (contactId.isBlank()) {
            throw new IllegalArgumentException("The contact id is empty: give the id of a contact");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("The history limit is " + limit + ": give at least 1");
        }
        String sql = "SELECT message_key, contact_id, role, direction, msg_date, subject, from_addr, folder, thread_id,"
                + " contact_addr"
                + " FROM imapsync_activity WHERE contact_id = ? ORDER BY msg_date DESC, message_key,"
                + " CASE role WHEN 'FROM' THEN 0 WHEN 'TO' THEN 1 WHEN 'CC' THEN 2 ELSE 3 END, account_id LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, contactId);
            select.setInt(2, limit);
            List<ContactActivity> history = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    history.add(new ContactActivity(new MessageKey(rs.getString("message_key")),
                            ContactRef.of(rs.getString("contact_id")), ParticipantRole.valueOf(rs.getString("role")),
                            Direction.valueOf(rs.getString("direction")), dialect.getInstant(rs, "msg_date").orElseThrow(),
                            rs.getString("subject"), rs.getString("from_addr"), rs.getString("folder"),
                            Optional.ofNullable(rs.getString("thread_id")), rs.getString("contact_addr")));
                }
            }
            return List.copyOf(history);
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the history of contact " + contactId, "check the database");
        }
    }

    /**
     * One page of a contact's timeline; see {@link JdbcSyncStore} for how it is read.
     *
     * @throws IllegalArgumentException if the query's cursor was not made by a JDBC store
     */
    @Override
    public TimelinePage timeline(TimelineQuery query) {
        return timeline.timeline(query);
    }

    /** The summaries of up to 1,000 contacts, in one query. */
    @Override
    public Map<String, ContactSummary> summaries(Collection<String> contactIds) {
        return timeline.summaries(contactIds);
    }

    /**
     * The contacts with the most messages. It counts every contact's messages, so it reads the
     * whole activity table: for dashboards and tools, not for every page view.
     */
    @Override
    public List<ContactSummary> busiest(int limit) {
        return timeline.busiest(limit);
    }

    /** Every account's copy of the message, in one query; UIDVALIDITY 0 until the message rows keep it. */
    @Override
    public List<TimelineEntry.Location> locations(MessageKey key) {
        return timeline.locations(key);
    }

    // The privacy store: see JdbcPrivacy for how each works in bounded batches.

    @Override
    public PrivacyRules rules(String accountId) {
        return privacy.rules(accountId);
    }

    /** Adds the entry and purges its mail in pages of 1,000 messages; a rerun after a crash finishes the purge. */
    @Override
    public BlockResult block(BlockEntry entry) {
        return privacy.block(entry);
    }

    @Override
    public boolean unblock(BlockEntry entry) {
        return privacy.unblock(entry);
    }

    @Override
    public List<BlockEntry> blockEntries() {
        return privacy.blockEntries();
    }

    @Override
    public List<BlockEntry> revisits(String accountId) {
        return privacy.revisits(accountId);
    }

    @Override
    public void revisited(String accountId, List<BlockEntry> entries) {
        privacy.revisited(accountId, entries);
    }

    /**
     * Erases the address in pages of 1,000 messages; an erasure cut short (a crash, a lost
     * connection) is resumed by calling again, which answers everything it removed.
     */
    @Override
    public ErasureResult erase(String address) {
        return privacy.erase(address);
    }

    @Override
    public Retention.Result applyRetention(Retention retention, Instant now) {
        return privacy.applyRetention(retention, now);
    }

    @Override
    public void saveStatus(AccountStatus status) {
        Objects.requireNonNull(status, "status");
        checkAccountId(status.accountId());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(dialect.upsertStatus())) {
            upsert.setString(1, status.accountId());
            upsert.setString(2, status.status().name());
            dialect.setInstant(upsert, 3, status.lastAttemptAt());
            dialect.setInstant(upsert, 4, status.lastSyncedAt().orElse(null));
            upsert.setString(5, SqlDialect.clean(status.message(), MAX_STATUS_TEXT));
            upsert.setString(6, SqlDialect.clean(status.hint(), MAX_STATUS_TEXT));
            dialect.setInstant(upsert, 7, status.nextRunAt().orElse(null));
            upsert.setLong(8, status.fetched());
            upsert.setLong(9, status.activities());
            if (!connection.getAutoCommit()) {
                upsert.executeUpdate();
                connection.commit();
            } else {
                upsert.executeUpdate();
            }
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "save the status of account " + status.accountId(),
                    "check the database");
        }
    }

    @Override
    public Optional<AccountStatus> status(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        List<AccountStatus> found = selectStatuses(" WHERE account_id = ?", accountId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<AccountStatus> statuses() {
        return selectStatuses(" ORDER BY account_id", null);
    }

    private List<AccountStatus> selectStatuses(String where, String accountId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + SqlDialect.STATUS_COLUMNS
                     + " FROM imapsync_account_status" + where)) {
            if (accountId != null) {
                select.setString(1, accountId);
            }
            List<AccountStatus> statuses = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    statuses.add(new AccountStatus(rs.getString("account_id"), SyncStatus.valueOf(rs.getString("status")),
                            dialect.getInstant(rs, "last_attempt_at").orElseThrow(),
                            dialect.getInstant(rs, "last_synced_at"), rs.getString("message"), rs.getString("hint"),
                            dialect.getInstant(rs, "next_run_at"), rs.getLong("last_fetched"),
                            rs.getLong("last_activities")));
                }
            }
            return List.copyOf(statuses);
        } catch (SQLException e) {
            String of = accountId == null ? "" : " of account " + accountId;
            throw MissingSchema.failure(e, dialect, "read account statuses" + of, "check the database");
        }
    }

    @Override
    public String toString() {
        return "JdbcSyncStore{" + dialect + "}";
    }

    private static void checkAccountId(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        if (accountId.isBlank()) {
            throw new IllegalArgumentException("The account id is empty: give the id of the account being synced");
        }
        if (accountId.length() > MAX_ACCOUNT_ID) {
            throw new IllegalArgumentException("The account id has " + accountId.length() + " characters: give one of at most "
                    + MAX_ACCOUNT_ID);
        }
    }

    /** The rules of {@link #commit}, checked before anything is written. */
    private static void check(SyncBatch batch) {
        if (batch.folder().length() > MAX_FOLDER) {
            throw new IllegalArgumentException("The folder name has " + batch.folder().length()
                    + " characters; the JDBC store keeps folder names of at most " + MAX_FOLDER);
        }
        for (String address : batch.ownAddresses()) {
            if (address.isBlank() || address.length() > OwnAddresses.MAX_ADDRESS) {
                throw new IllegalArgumentException("The account's own address '" + abbreviate(address) + "' has "
                        + address.length() + " characters; the JDBC store keeps own addresses of 1 to "
                        + OwnAddresses.MAX_ADDRESS + ": check the account's address and aliases");
            }
        }
        // folder, UIDs and activities are consistent by construction (SyncBatch); what remains is what the columns hold
        for (ContactActivity activity : batch.activities()) {
            if (activity.contact().id().length() > MAX_CONTACT_ID) {
                throw new IllegalArgumentException("The contact id " + activity.contact().id().substring(0, 20)
                        + "… has " + activity.contact().id().length() + " characters; the JDBC store keeps contact ids"
                        + " of at most " + MAX_CONTACT_ID);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /**
     * One message per key, the first of the batch winning, sorted by key: every transaction
     * locks rows in the same order, which keeps concurrent overlapping commits from deadlocking.
     */
    private static List<SyncedMessage> firstOfEachMessage(List<SyncedMessage> messages) {
        Map<String, SyncedMessage> first = new LinkedHashMap<>();
        for (SyncedMessage m : messages) {
            first.putIfAbsent(m.key().value(), m);
        }
        List<SyncedMessage> sorted = new ArrayList<>(first.values());
        sorted.sort(Comparator.comparing(m -> m.key().value()));
        return sorted;
    }

    private static List<ContactActivity> firstOfEachActivity(List<ContactActivity> activities) {
        Map<List<String>, ContactActivity> first = new LinkedHashMap<>();
        for (ContactActivity a : activities) {
            first.putIfAbsent(List.of(a.messageKey().value(), a.contact().id(), a.role().name()), a);
        }
        List<ContactActivity> sorted = new ArrayList<>(first.values());
        sorted.sort(Comparator.comparing((ContactActivity a) -> a.messageKey().value())
                .thenComparing(a -> a.contact().id()).thenComparing(a -> a.role().name()));
        return sorted;
    }
}
