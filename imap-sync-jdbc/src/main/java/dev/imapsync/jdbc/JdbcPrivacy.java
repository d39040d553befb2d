package dev.imapsync.jdbc;

import dev.imapsync.message.EmailAddress;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.RemovalCounts;
import dev.imapsync.policy.Retention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PrivacyStore} of {@link JdbcSyncStore}: block entries, revisits, suppression
 * entries, erasure and retention in the tables of schema version 6.
 *
 * <p>Purges, erasures and retention run in bounded batches: a page of at most {@link #BATCH}
 * messages is found by walking the table in the order of its key ({@code account_id,
 * message_key}) from where the last page ended, and each page is changed in a transaction of its
 * own. A page's rows no longer match once changed, so a rerun after a crash starts again at the
 * beginning and finds only what is left. An erasure adds what each page removed to
 * {@code imapsync_erasure} in the page's own transaction: a rerun after a crash answers the whole
 * erasure, every row counted once. All SQL is prepared; LIKE patterns are escaped with {@code !}.
 */
final class JdbcPrivacy implements PrivacyStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPrivacy.class);

    /** The most messages a purge, erasure or retention changes in one transaction. */
    static final int BATCH = 1000;
    private static final int MAX_IN = 500;
    private static final String COMPANY = "";
    private static final String NO_PREVIEW = "preview_text = NULL, preview_truncated = ?, is_encrypted = ?,"
            + " is_signed = ?, calendar_method = NULL, attachments = NULL";
    private static final String HAS_PREVIEW = "(preview_text IS NOT NULL OR attachments IS NOT NULL)";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Transactions transactions;
    private final int batch;

    JdbcPrivacy(DataSource dataSource, SqlDialect dialect, Transactions transactions) {
        this(dataSource, dialect, transactions, BATCH);
    }

    /** With another page size (tests make pages small to cross their boundaries). */
    JdbcPrivacy(DataSource dataSource, SqlDialect dialect, Transactions transactions, int batch) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.transactions = transactions;
        this.batch = batch;
    }

    // ---------------------------------------------------------------------------------------------- rules

    @Override
    public PrivacyRules rules(String accountId) {
        checkAccountId(accountId);
        return transactions.run("read the privacy rules of account " + accountId, connection -> {
            List<BlockEntry> blocked = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT account_id, entry_kind, entry_value"
                    + " FROM imapsync_block WHERE account_id = ? OR account_id = ?")) {
                select.setString(1, COMPANY);
                select.setString(2, accountId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        blocked.add(entry(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            blocked.sort(ENTRY_ORDER);
            Set<String> hashes = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT address_hash FROM imapsync_suppression");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    hashes.add(rs.getString(1));
                }
            }
            return new PrivacyRules(blocked, hashes, companyAddresses(connection));
        });
    }

    /** Every connected account's own addresses: those recorded with the syncs, and the stored accounts' addresses and aliases. */
    private static Set<String> companyAddresses(Connection connection) throws SQLException {
        Set<String> addresses = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT address FROM imapsync_own_address");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                addresses.add(rs.getString(1));
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT email, aliases FROM imapsync_account");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                addAddress(addresses, rs.getString(1));
                for (String alias : rs.getString(2).split("\n")) {
                    addAddress(addresses, alias);
                }
            }
        }
        return addresses;
    }

    private static void addAddress(Set<String> addresses, String address) {
        if (address != null && address.indexOf('@') > 0) {
            addresses.add(EmailAddress.normalize(address));
        }
    }

    // ---------------------------------------------------------------------------------------------- block entries

    /**
     * Adds the entry (and forgets a revisit of it), then purges in pages: the messages whose
     * sender, or whose matched contact of a history entry, the entry blocks, with all their
     * entries. Other participants are not stored, so mail in which the blocked address was only
     * one of them cannot be found, and stays. History entries recorded before schema version 6
     * do not know their matched address; their messages are found by their sender only.
     */
    @Override
    public BlockResult block(BlockEntry entry) {
        Objects.requireNonNull(entry, "entry");
        entry.accountId().ifPresent(JdbcPrivacy::checkAccountId);
        checkValue(entry.value());
        String scope = entry.accountId().orElse(COMPANY);
        boolean added = transactions.run("block " + describe(entry), connection -> {
            deleteRevisits(connection, entry);
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM imapsync_block"
                    + " WHERE account_id = ? AND entry_kind = ? AND entry_value = ?")) {
                bindEntry(select, 1, scope, entry);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            // two nodes adding the same entry: the loser's duplicate key reruns this and finds it
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_block"
                    + " (account_id, entry_kind, entry_value, created_at) VALUES (?, ?, ?, ?)")) {
                bindEntry(insert, 1, scope, entry);
                dialect.setInstant(insert, 4, Instant.now());
                insert.executeUpdate();
            }
            return true;
        });
        Optional<String> account = entry.accountId();
        String what = "purge the mail of " + describe(entry);
        // the messages of the contacts it matched, then those it sent
        Condition matched = blocked(entry, "contact_addr");
        Map<String, RemovalCounts> purged = walk("imapsync_activity", account, matched.sql(), matched.parameters(), what,
                JdbcPrivacy::purgeMessages);
        Condition sent = blocked(entry, "from_norm");
        walk("imapsync_message", account, sent.sql(), sent.parameters(), what, JdbcPrivacy::purgeMessages)
                .forEach((id, counts) -> purged.merge(id, counts, RemovalCounts::plus));
        BlockResult result = new BlockResult(entry, added, withoutNothing(purged));
        LOG.info("Blocked {} ({}): purged {}", describe(entry), added ? "added" : "already there", result.total());
        return result;
    }

    /** Deletes a page's messages with all their history entries. */
    private static Map<String, RemovalCounts> purgeMessages(Connection connection, Map<String, List<String>> keys)
            throws SQLException {
        Map<String, RemovalCounts> purged = new HashMap<>();
        for (Map.Entry<String, List<String>> account : keys.entrySet()) {
            long entries = 0;
            long messages = 0;
            for (List<String> chunk : chunks(account.getValue())) {
                entries += update(connection, "DELETE FROM imapsync_activity WHERE account_id = ? AND message_key IN ("
                        + placeholders(chunk.size()) + ")", account.getKey(), chunk);
                messages += update(connection, "DELETE FROM imapsync_message WHERE account_id = ? AND message_key IN ("
                        + placeholders(chunk.size()) + ")", account.getKey(), chunk);
            }
            purged.put(account.getKey(), new RemovalCounts(entries, messages, 0));
        }
        return purged;
    }

    @Override
    public boolean unblock(BlockEntry entry) {
        Objects.requireNonNull(entry, "entry");
        entry.accountId().ifPresent(JdbcPrivacy::checkAccountId);
        String scope = entry.accountId().orElse(COMPANY);
        boolean removed = transactions.run("unblock " + describe(entry), connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM imapsync_block"
                    + " WHERE account_id = ? AND entry_kind = ? AND entry_value = ?")) {
                bindEntry(delete, 1, scope, entry);
                if (delete.executeUpdate() == 0) {
                    return false;
                }
            }
            Set<String> accounts = entry.accountId().isPresent() ? Set.of(entry.accountId().get()) : knownAccounts(connection);
            deleteRevisits(connection, entry);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_revisit"
                    + " (account_id, entry_account, entry_kind, entry_value, created_at) VALUES (?, ?, ?, ?, ?)")) {
                Instant now = Instant.now();
                for (String account : new TreeSet<>(accounts)) {
                    insert.setString(1, account);
                    bindEntry(insert, 2, scope, entry);
                    dialect.setInstant(insert, 5, now);
                    insert.addBatch();
                }
                if (!accounts.isEmpty()) {
                    insert.executeBatch();
                }
            }
            return true;
        });
        LOG.info("Unblocked {}: {}", describe(entry), removed ? "its mail comes back with the next syncs" : "it was not blocked");
        return removed;
    }

    /** The accounts this database knows: stored, synced, or with recorded own addresses. */
    private static Set<String> knownAccounts(Connection connection) throws SQLException {
        Set<String> accounts = new HashSet<>();
        for (String sql : List.of("SELECT account_id FROM imapsync_account", "SELECT DISTINCT account_id FROM imapsync_checkpoint",
                "SELECT DISTINCT account_id FROM imapsync_own_address")) {
            try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    accounts.add(rs.getString(1));
                }
            }
        }
        return accounts;
    }

    private static void deleteRevisits(Connection connection, BlockEntry entry) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM imapsync_revisit"
                + " WHERE entry_account = ? AND entry_kind = ? AND entry_value = ?")) {
            bindEntry(delete, 1, entry.accountId().orElse(COMPANY), entry);
            delete.executeUpdate();
        }
    }

    @Override
    public List<BlockEntry> blockEntries() {
        return transactions.run("read the block entries", connection -> {
            List<BlockEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT account_id, entry_kind, entry_value FROM imapsync_block");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            entries.sort(ENTRY_ORDER);
            return List.copyOf(entries);
        });
    }

    @Override
    public List<BlockEntry> revisits(String accountId) {
        checkAccountId(accountId);
        return transactions.run("read the revisits of account " + accountId, connection -> {
            List<BlockEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT entry_account, entry_kind, entry_value"
                    + " FROM imapsync_revisit WHERE account_id = ? ORDER BY created_at, entry_account, entry_kind, entry_value")) {
                select.setString(1, accountId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        entries.add(entry(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return List.copyOf(entries);
        });
    }

    @Override
    public void revisited(String accountId, List<BlockEntry> entries) {
        checkAccountId(accountId);
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return;
        }
        transactions.run("record the revisits of account " + accountId, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM imapsync_revisit WHERE account_id = ?"
                    + " AND entry_account = ? AND entry_kind = ? AND entry_value = ?")) {
                for (BlockEntry entry : entries) {
                    delete.setString(1, accountId);
                    bindEntry(delete, 2, entry.accountId().orElse(COMPANY), entry);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------- erasure

    /**
     * Keeps the suppression entry first (so that syncs starting from now on keep the address
     * out), then removes in pages: the history entries the address matched (a message left
     * without any goes too), its address on the other entries of the messages it sent, the
     * sender's address and name and the preview of those messages, and every preview or
     * attachment list that contains the address. An erasure cut short by a crash is resumed by
     * the next call and answers all it removed; a finished one is started anew (and finds nothing).
     */
    @Override
    public ErasureResult erase(String address) {
        Objects.requireNonNull(address, "address");
        String given = address.strip();
        int at = given.lastIndexOf('@');
        if (at <= 0 || at == given.length() - 1) {
            throw new IllegalArgumentException("Not an email address: '" + given + "': give the address of the person"
                    + " to erase (e.g. ann@example.com)");
        }
        String normalized = EmailAddress.normalize(address);
        String hash = PrivacyRules.addressHash(normalized);
        String what = "erase an address (suppression entry " + hash.substring(0, 12) + "…)";
        transactions.run(what, connection -> {
            startErasure(connection, hash);
            return null;
        });
        walk("imapsync_activity", Optional.empty(), "(contact_addr = ? OR from_norm = ?)", List.of(normalized, normalized),
                what, (connection, keys) -> eraseEntries(connection, keys, normalized, hash));
        String contains = "%" + escapeLike(normalized) + "%";
        walk("imapsync_message", Optional.empty(), "(from_norm = ? OR LOWER(preview_text) LIKE ? ESCAPE '!'"
                        + " OR LOWER(attachments) LIKE ? ESCAPE '!')", List.of(normalized, contains, contains),
                what, (connection, keys) -> eraseFromMessages(connection, keys, normalized, contains, hash));
        Map<String, RemovalCounts> counts = transactions.run(what, connection -> finishErasure(connection, hash));
        ErasureResult result = new ErasureResult(normalized, counts);
        LOG.info("Erased an address (suppression entry {}…) from {} accounts: {}", hash.substring(0, 12),
                counts.size(), result.total());
        return result;
    }

    private void startErasure(Connection connection, String hash) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT finished_at FROM imapsync_suppression WHERE address_hash = ? FOR UPDATE")) {
            select.setString(1, hash);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    if (dialect.getInstant(rs, "finished_at").isEmpty()) {
                        return; // cut short: resumed, with what it removed so far
                    }
                    try (PreparedStatement restart = connection.prepareStatement(
                            "UPDATE imapsync_suppression SET erased_at = ?, finished_at = NULL WHERE address_hash = ?")) {
                        dialect.setInstant(restart, 1, now);
                        restart.setString(2, hash);
                        restart.executeUpdate();
                    }
                    try (PreparedStatement forget = connection.prepareStatement(
                            "DELETE FROM imapsync_erasure WHERE address_hash = ?")) {
                        forget.setString(1, hash);
                        forget.executeUpdate();
                    }
                    return;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO imapsync_suppression (address_hash, erased_at, finished_at) VALUES (?, ?, NULL)")) {
            insert.setString(1, hash);
            dialect.setInstant(insert, 2, now);
            insert.executeUpdate();
        }
    }

    /** A page of entries: the address's own go (and messages left without any), its address goes from the others. */
    private static Map<String, RemovalCounts> eraseEntries(Connection connection, Map<String, List<String>> keys,
                                                           String address, String hash) throws SQLException {
        for (Map.Entry<String, List<String>> account : keys.entrySet()) {
            String accountId = account.getKey();
            long entries = 0;
            long messages = 0;
            for (List<String> chunk : chunks(account.getValue())) {
                String in = placeholders(chunk.size());
                List<String> matched = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT message_key FROM imapsync_activity"
                        + " WHERE account_id = ? AND contact_addr = ? AND message_key IN (" + in + ")")) {
                    select.setString(1, accountId);
                    select.setString(2, address);
                    bind(select, 3, chunk);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            matched.add(rs.getString(1));
                        }
                    }
                }
                entries += update(connection, "DELETE FROM imapsync_activity WHERE account_id = ? AND contact_addr = ?"
                        + " AND message_key IN (" + in + ")", accountId, address, chunk);
                update(connection, "UPDATE imapsync_activity SET from_addr = '', from_norm = '' WHERE account_id = ?"
                        + " AND from_norm = ? AND message_key IN (" + in + ")", accountId, address, chunk);
                if (!matched.isEmpty()) {
                    messages += update(connection, "DELETE FROM imapsync_message WHERE account_id = ? AND message_key IN ("
                            + placeholders(matched.size()) + ") AND NOT EXISTS (SELECT 1 FROM imapsync_activity a"
                            + " WHERE a.account_id = imapsync_message.account_id"
                            + " AND a.message_key = imapsync_message.message_key)", accountId, matched);
                }
            }
            addErased(connection, hash, accountId, new RemovalCounts(entries, messages, 0));
        }
        return Map.of();
    }

    /**
     * A page of messages: those it sent that keep no entry go; the others it sent lose the
     * sender's address and name and their previews; previews naming it go.
     */
    private static Map<String, RemovalCounts> eraseFromMessages(Connection connection, Map<String, List<String>> keys,
                                                                String address, String contains, String hash)
            throws SQLException {
        for (Map.Entry<String, List<String>> account : keys.entrySet()) {
            String accountId = account.getKey();
            long messages = 0;
            long previews = 0;
            for (List<String> chunk : chunks(account.getValue())) {
                String in = placeholders(chunk.size());
                // what it sent and no contact's entry keeps (a message recorded without a matched contact)
                messages += update(connection, "DELETE FROM imapsync_message WHERE account_id = ? AND from_norm = ?"
                        + " AND message_key IN (" + in + ") AND NOT EXISTS (SELECT 1 FROM imapsync_activity a"
                        + " WHERE a.account_id = imapsync_message.account_id"
                        + " AND a.message_key = imapsync_message.message_key)", accountId, address, chunk);
                try (PreparedStatement drop = connection.prepareStatement("UPDATE imapsync_message SET " + NO_PREVIEW
                        + " WHERE account_id = ? AND message_key IN (" + in + ") AND " + HAS_PREVIEW + " AND (from_norm = ?"
                        + " OR LOWER(preview_text) LIKE ? ESCAPE '!' OR LOWER(attachments) LIKE ? ESCAPE '!')")) {
                    int i = bindNoPreview(drop);
                    drop.setString(++i, accountId);
                    i = bind(drop, i + 1, chunk);
                    drop.setString(i, address);
                    drop.setString(++i, contains);
                    drop.setString(++i, contains);
                    previews += drop.executeUpdate();
                }
                update(connection, "UPDATE imapsync_message SET from_addr = '', from_name = '', from_norm = ''"
                        + " WHERE account_id = ? AND from_norm = ? AND message_key IN (" + in + ")", accountId, address, chunk);
            }
            addErased(connection, hash, accountId, new RemovalCounts(0, messages, previews));
        }
        return Map.of();
    }

    /** Adds a page's removals to the erasure's counts, in the page's transaction. */
    private static void addErased(Connection connection, String hash, String accountId, RemovalCounts counts)
            throws SQLException {
        if (counts.equals(RemovalCounts.NONE)) {
            return;
        }
        int updated;
        try (PreparedStatement add = connection.prepareStatement("UPDATE imapsync_erasure SET entries = entries + ?,"
                + " messages = messages + ?, previews = previews + ? WHERE address_hash = ? AND account_id = ?")) {
            add.setLong(1, counts.entries());
            add.setLong(2, counts.messages());
            add.setLong(3, counts.previews());
            add.setString(4, hash);
            add.setString(5, accountId);
            updated = add.executeUpdate();
        }
        if (updated == 0) {
            // two erasures of one address at once: the loser's duplicate key reruns its page, which then finds less
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_erasure"
                    + " (address_hash, account_id, entries, messages, previews) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, hash);
                insert.setString(2, accountId);
                insert.setLong(3, counts.entries());
                insert.setLong(4, counts.messages());
                insert.setLong(5, counts.previews());
                insert.executeUpdate();
            }
        }
    }

    private Map<String, RemovalCounts> finishErasure(Connection connection, String hash) throws SQLException {
        try (PreparedStatement finish = connection.prepareStatement(
                "UPDATE imapsync_suppression SET finished_at = ? WHERE address_hash = ?")) {
            dialect.setInstant(finish, 1, Instant.now());
            finish.setString(2, hash);
            finish.executeUpdate();
        }
        Map<String, RemovalCounts> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT account_id, entries, messages, previews"
                + " FROM imapsync_erasure WHERE address_hash = ?")) {
            select.setString(1, hash);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), new RemovalCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return withoutNothing(counts);
    }

    // ---------------------------------------------------------------------------------------------- retention

    /**
     * With {@code entries}: the messages dated before its start go with their history entries,
     * then history entries dated before it; then previews and attachment lists of messages
     * dated before the start of {@code previews} go. Counted in all accounts.
     */
    @Override
    public Retention.Result applyRetention(Retention retention, Instant now) {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(now, "now");
        String what = "apply the retention";
        RemovalCounts total = RemovalCounts.NONE;
        if (retention.entries().isPresent()) {
            Instant before = now.minus(retention.entries().get());
            total = total.plus(sum(walk("imapsync_message", Optional.empty(), "msg_date < ?", List.of(before), what,
                    (connection, keys) -> {
                        Map<String, RemovalCounts> removed = new HashMap<>();
                        for (Map.Entry<String, List<String>> account : keys.entrySet()) {
                            for (List<String> chunk : chunks(account.getValue())) {
                                String in = placeholders(chunk.size());
                                long entries = update(connection, "DELETE FROM imapsync_activity WHERE account_id = ?"
                                        + " AND message_key IN (" + in + ")", account.getKey(), chunk);
                                long messages = updateWithInstant(connection, "DELETE FROM imapsync_message"
                                        + " WHERE account_id = ? AND message_key IN (" + in + ") AND msg_date < ?",
                                        account.getKey(), chunk, before);
                                removed.merge(account.getKey(), new RemovalCounts(entries, messages, 0), RemovalCounts::plus);
                            }
                        }
                        return removed;
                    })));
            // entries whose message is gone or dated otherwise (not written by this library, but possible)
            total = total.plus(sum(walk("imapsync_activity", Optional.empty(), "msg_date < ?", List.of(before), what,
                    (connection, keys) -> {
                        Map<String, RemovalCounts> removed = new HashMap<>();
                        for (Map.Entry<String, List<String>> account : keys.entrySet()) {
                            for (List<String> chunk : chunks(account.getValue())) {
                                long entries = updateWithInstant(connection, "DELETE FROM imapsync_activity"
                                        + " WHERE account_id = ? AND message_key IN (" + placeholders(chunk.size())
                                        + ") AND msg_date < ?", account.getKey(), chunk, before);
                                removed.merge(account.getKey(), new RemovalCounts(entries, 0, 0), RemovalCounts::plus);
                            }
                        }
                        return removed;
                    })));
        }
        Instant before = now.minus(retention.previews());
        total = total.plus(sum(walk("imapsync_message", Optional.empty(), "msg_date < ? AND " + HAS_PREVIEW,
                List.of(before), what, (connection, keys) -> {
                    Map<String, RemovalCounts> removed = new HashMap<>();
                    for (Map.Entry<String, List<String>> account : keys.entrySet()) {
                        for (List<String> chunk : chunks(account.getValue())) {
                            try (PreparedStatement drop = connection.prepareStatement("UPDATE imapsync_message SET "
                                    + NO_PREVIEW + " WHERE account_id = ? AND message_key IN (" + placeholders(chunk.size())
                                    + ") AND msg_date < ? AND " + HAS_PREVIEW)) {
                                int i = bindNoPreview(drop);
                                drop.setString(++i, account.getKey());
                                i = bind(drop, i + 1, chunk);
                                dialect.setInstant(drop, i, before);
                                removed.merge(account.getKey(), new RemovalCounts(0, 0, drop.executeUpdate()),
                                        RemovalCounts::plus);
                            }
                        }
                    }
                    return removed;
                })));
        Retention.Result result = new Retention.Result(total.previews(), total.entries(), total.messages());
        LOG.info("Applied the retention ({}): {}", retention, result);
        return result;
    }

    private static RemovalCounts sum(Map<String, RemovalCounts> counts) {
        return counts.values().stream().reduce(RemovalCounts.NONE, RemovalCounts::plus);
    }

    // ---------------------------------------------------------------------------------------------- pages

    /** Changes one page of messages (keys by account, in key order) inside the page's transaction. */
    @FunctionalInterface
    private interface Page {
        /** @return what it removed, by account (counted after its transaction committed) */
        Map<String, RemovalCounts> change(Connection connection, Map<String, List<String>> keys) throws SQLException;
    }

    /**
     * Finds the next page of at most {@link #batch} rows of {@code table} matching
     * {@code condition} after the last page's end, and changes their messages in a transaction;
     * until no row is left. A page is changed message by message (all rows of a message key at
     * once), so rows of the page's last message beyond its end are changed with it.
     */
    private Map<String, RemovalCounts> walk(String table, Optional<String> account, String condition, List<?> parameters,
                                            String what, Page page) {
        Map<String, RemovalCounts> removed = new HashMap<>();
        String[] after = null;
        while (true) {
            String[] from = after;
            Found found = transactions.run(what, connection -> nextPage(connection, table, account, condition,
                    parameters, from));
            if (found.keys().isEmpty()) {
                return removed;
            }
            transactions.run(what, connection -> page.change(connection, found.keys()))
                    .forEach((id, counts) -> removed.merge(id, counts, RemovalCounts::plus));
            if (found.rows() < batch) {
                return removed;
            }
            after = found.last();
        }
    }

    /** A page: its message keys by account, in key order; how many rows it read; its last (account, key). */
    private record Found(Map<String, List<String>> keys, int rows, String[] last) {
    }

    private Found nextPage(Connection connection, String table, Optional<String> account, String condition,
                           List<?> parameters, String[] after) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT account_id, message_key FROM ").append(table).append(" WHERE ")
                .append(condition);
        if (account.isPresent()) {
            sql.append(" AND account_id = ?");
        }
        if (after != null) {
            sql.append(" AND (account_id > ? OR (account_id = ? AND message_key > ?))");
        }
        sql.append(" ORDER BY account_id, message_key LIMIT ?");
        Map<String, List<String>> keys = new LinkedHashMap<>();
        int rows = 0;
        String[] last = null;
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int i = 0;
            for (Object p : parameters) {
                if (p instanceof Instant instant) {
                    dialect.setInstant(select, ++i, instant);
                } else {
                    select.setString(++i, (String) p);
                }
            }
            if (account.isPresent()) {
                select.setString(++i, account.get());
            }
            if (after != null) {
                select.setString(++i, after[0]);
                select.setString(++i, after[0]);
                select.setString(++i, after[1]);
            }
            select.setInt(++i, batch);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    last = new String[] {rs.getString(1), rs.getString(2)};
                    List<String> of = keys.computeIfAbsent(last[0], a -> new ArrayList<>());
                    if (of.isEmpty() || !of.get(of.size() - 1).equals(last[1])) {
                        of.add(last[1]);
                    }
                }
            }
        }
        return new Found(keys, rows, last);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** An entry's condition on an address column, prepared. */
    private record Condition(String sql, List<String> parameters) {
    }

    /**
     * Where a normalized address column holds an address the entry blocks, exactly as
     * {@link BlockEntry#blocks}: the address, or one whose domain is the entry's or ends with
     * {@code .}domain (the part after the last {@code @} holds the suffix, which has no {@code @}).
     */
    static Condition blocked(BlockEntry entry, String column) {
        if (entry.kind() == BlockEntry.Kind.ADDRESS) {
            return new Condition(column + " = ?", List.of(entry.value()));
        }
        String domain = escapeLike(entry.value());
        return new Condition("(" + column + " LIKE ? ESCAPE '!' OR " + column + " LIKE ? ESCAPE '!')",
                List.of("%@" + domain, "%@%." + domain));
    }

    /** A LIKE pattern's literal text, with {@code !} as the escape character. */
    static String escapeLike(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!' || c == '%' || c == '_') {
                out.append('!');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static int bindNoPreview(PreparedStatement statement) throws SQLException {
        statement.setBoolean(1, false);
        statement.setBoolean(2, false);
        statement.setBoolean(3, false);
        return 3;
    }

    private static long update(Connection connection, String sql, String accountId, List<String> keys)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, accountId);
            bind(statement, 2, keys);
            return statement.executeUpdate();
        }
    }

    private static long update(Connection connection, String sql, String accountId, String address, List<String> keys)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, accountId);
            statement.setString(2, address);
            bind(statement, 3, keys);
            return statement.executeUpdate();
        }
    }

    private long updateWithInstant(Connection connection, String sql, String accountId, List<String> keys, Instant instant)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, accountId);
            int next = bind(statement, 2, keys);
            dialect.setInstant(statement, next, instant);
            return statement.executeUpdate();
        }
    }

    /** Binds values from {@code index} on; returns the next index. */
    private static int bind(PreparedStatement statement, int index, List<String> values) throws SQLException {
        int i = index;
        for (String v : values) {
            statement.setString(i++, v);
        }
        return i;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static List<List<String>> chunks(List<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += MAX_IN) {
            chunks.add(values.subList(from, Math.min(values.size(), from + MAX_IN)));
        }
        return chunks;
    }

    private static void bindEntry(PreparedStatement statement, int index, String scope, BlockEntry entry)
            throws SQLException {
        statement.setString(index, scope);
        statement.setString(index + 1, entry.kind().name());
        statement.setString(index + 2, entry.value());
    }

    private static BlockEntry entry(String scope, String kind, String value) {
        return new BlockEntry(BlockEntry.Kind.valueOf(kind), value,
                scope.isEmpty() ? Optional.empty() : Optional.of(scope));
    }

    /** Company-wide entries first, then by account, kind and value. */
    private static final Comparator<BlockEntry> ENTRY_ORDER = Comparator
            .comparing((BlockEntry e) -> e.accountId().orElse(COMPANY))
            .thenComparing(BlockEntry::kind).thenComparing(BlockEntry::value);

    private static Map<String, RemovalCounts> withoutNothing(Map<String, RemovalCounts> counts) {
        Map<String, RemovalCounts> some = new HashMap<>();
        counts.forEach((account, c) -> {
            if (!c.equals(RemovalCounts.NONE)) {
                some.put(account, c);
            }
        });
        return some;
    }

    private static String describe(BlockEntry entry) {
        return (entry.kind() == BlockEntry.Kind.ADDRESS ? "address " : "domain ") + entry.value()
                + entry.accountId().map(a -> " for account " + a).orElse(" for every account");
    }

    private static void checkValue(String value) {
        if (value.length() > PortableBatchWriter.MAX_ADDRESS) {
            throw new IllegalArgumentException("The blocked address or domain has " + value.length()
                    + " characters; the JDBC store keeps at most " + PortableBatchWriter.MAX_ADDRESS);
        }
    }

    private static void checkAccountId(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        if (accountId.isBlank() || accountId.length() > JdbcSyncStore.MAX_ACCOUNT_ID) {
            throw new IllegalArgumentException("The account id '" + accountId + "' is empty or longer than "
                    + JdbcSyncStore.MAX_ACCOUNT_ID + " characters: give the id of an account");
        }
    }
}
