package dev.imapsync.jdbc;

import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The {@link TimelineStore} of {@link JdbcSyncStore}: reads the tables the commits write, with
 * prepared statements only.
 *
 * <p>A page is found by walking the contact's activity rows newest first on the index
 * {@code imapsync_activity_timeline (contact_id, msg_date, message_key)}, from the cursor's
 * (date, key) down (a keyset, so a deep page costs what the first does, and rows committed
 * meanwhile above the cursor never shift it). A message has one row per account and role; rows
 * of one message are adjacent and collapse into one entry. The page's messages are then read
 * by key ({@code imapsync_message (message_key)}): every account that holds one (its
 * locations), and the contact's roles in every copy. Whether its sender is one of the own
 * addresses of any account ({@code imapsync_own_address}, looked up by address) is read from the
 * contact's activity rows, which keep the sender's normalized address: the summaries and the
 * direction filter need no other table. An entry's date is the newest of its rows for the
 * contact; should the copies of a message disagree on its date, it is shown once, at that date.
 * Its subject and sender are those of the copy of the first account by id.
 */
final class JdbcTimeline implements TimelineStore {
    /** The most contact ids one {@link #summaries} call takes. */
    static final int MAX_CONTACTS = 1000;
    /** Rows read per walk step, per entry wanted: a message usually has a row or two per contact. */
    private static final int ROWS_PER_ENTRY = 3;
    /** Whether activity row {@code a}'s sender is an own address of any account. */
    private static final String OWN_SENDER = "SELECT 1 FROM imapsync_own_address o WHERE o.address = a.from_norm";

    private final DataSource dataSource;
    private final SqlDialect dialect;

    JdbcTimeline(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    @Override
    public TimelinePage timeline(TimelineQuery query) {
        Objects.requireNonNull(query, "query");
        Optional<TimelineCursor> after = query.after().map(TimelineCursor::decode);
        int wanted = query.pageSize() + 1; // one more says whether a next page exists
        int rowsPerStep = wanted * ROWS_PER_ENTRY;
        List<TimelineEntry> entries = new ArrayList<>();
        // one read transaction: the walk and the reads see one snapshot, and PostgreSQL plans each query
        try (Connection connection = dataSource.getConnection()) {
            Transactions.inTransaction(connection, -1, c -> {
                dialect.planEachExecution(c);
                collect(c, query, after, wanted, rowsPerStep, entries);
                return null;
            });
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the timeline of contact " + query.contactId(),
                    Transactions.HINT);
        }
        if (entries.size() <= query.pageSize()) {
            return new TimelinePage(entries, Optional.empty());
        }
        TimelineEntry last = entries.get(query.pageSize() - 1);
        return new TimelinePage(entries.subList(0, query.pageSize()),
                Optional.of(new TimelineCursor(last.date(), last.messageKey().value()).encode()));
    }

    /** Adds to {@code entries} the contact's entries after {@code after}, until there are {@code wanted}. */
    private void collect(Connection connection, TimelineQuery query, Optional<TimelineCursor> after, int wanted,
                         int rowsPerStep, List<TimelineEntry> entries) throws SQLException {
        Optional<TimelineCursor> from = after;
        boolean exhausted = false;
        while (entries.size() < wanted && !exhausted) {
            List<TimelineCursor> rows = walk(connection, query, from, rowsPerStep);
            exhausted = rows.size() < rowsPerStep;
            if (rows.isEmpty()) {
                break;
            }
            from = Optional.of(rows.get(rows.size() - 1));
            List<TimelineCursor> candidates = rows.stream().distinct().toList();
            Map<String, Message> messages = read(connection, query.contactId(), candidates);
            for (TimelineCursor c : candidates) {
                Message m = messages.get(c.messageKey());
                // a message whose copies disagree on the date is shown at its newest date only
                if (m != null && m.newest.equals(c.date()) && entries.size() < wanted) {
                    entries.add(m.entry());
                }
            }
        }
    }

    /** Up to {@code limit} (date, key) rows of the contact below {@code from}, in timeline order, filters applied. */
    private List<TimelineCursor> walk(Connection connection, TimelineQuery query, Optional<TimelineCursor> from,
                                      int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT a.msg_date, a.message_key FROM imapsync_activity a"
                + " WHERE a.contact_id = ?");
        if (from.isPresent()) {
            // the first bound lets every database seek the index; the second is exact
            sql.append(" AND a.msg_date <= ? AND (a.msg_date < ? OR a.message_key < ?)");
        }
        query.since().ifPresent(s -> sql.append(" AND a.msg_date >= ?"));
        query.until().ifPresent(u -> sql.append(" AND a.msg_date < ?"));
        List<String> accounts = query.accounts().stream().sorted().toList();
        if (!accounts.isEmpty()) {
            sql.append(" AND EXISTS (SELECT 1 FROM imapsync_message h WHERE h.message_key = a.message_key"
                    + " AND h.account_id IN (").append(placeholders(accounts.size())).append("))");
        }
        query.direction().ifPresent(d -> sql.append(d == Direction.OUTBOUND ? " AND EXISTS (" : " AND NOT EXISTS (")
                .append(OWN_SENDER).append(')'));
        sql.append(" ORDER BY a.msg_date DESC, a.message_key DESC LIMIT ?");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int i = 0;
            select.setString(++i, query.contactId());
            if (from.isPresent()) {
                dialect.setInstant(select, ++i, from.get().date());
                dialect.setInstant(select, ++i, from.get().date());
                select.setString(++i, from.get().messageKey());
            }
            if (query.since().isPresent()) {
                dialect.setInstant(select, ++i, query.since().get());
            }
            if (query.until().isPresent()) {
                dialect.setInstant(select, ++i, query.until().get());
            }
            for (String account : accounts) {
                select.setString(++i, account);
            }
            select.setInt(++i, limit);
            List<TimelineCursor> rows = new ArrayList<>(limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TimelineCursor(dialect.getInstant(rs, "msg_date").orElseThrow(),
                            rs.getString("message_key")));
                }
            }
            return rows;
        }
    }

    /** The candidates' messages as the contact's timeline shows them, by key. */
    private Map<String, Message> read(Connection connection, String contactId, List<TimelineCursor> candidates)
            throws SQLException {
        List<String> keys = candidates.stream().map(TimelineCursor::messageKey).distinct().toList();
        Map<String, Message> messages = new HashMap<>();
        String in = placeholders(keys.size());
        try (PreparedStatement select = connection.prepareStatement("SELECT m.message_key, m.account_id, m.folder,"
                + " m.uid, m.from_addr, m.from_name, m.from_norm, m.subject, m.thread_id, m.is_bulk, " + StoredPreview.COLUMNS
                + " FROM imapsync_message m WHERE m.message_key IN (" + in + ") ORDER BY m.message_key, m.account_id")) {
            bind(select, keys, 0);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    messages.computeIfAbsent(rs.getString("message_key"), Message::new).addCopy(rs);
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT m.message_key, a.role, a.msg_date,"
                + " CASE WHEN EXISTS (" + OWN_SENDER + ") THEN 1 ELSE 0 END AS own FROM imapsync_message m"
                + " JOIN imapsync_activity a ON a.account_id = m.account_id AND a.message_key = m.message_key AND a.contact_id = ? WHERE m.message_key IN (" + in + ")")) {
            select.setString(1, contactId);
            bind(select, keys, 1);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Message m = messages.get(rs.getString("message_key"));
                    if (m != null) {
                        m.addRole(ParticipantRole.valueOf(rs.getString("role")),
                                dialect.getInstant(rs, "msg_date").orElseThrow(), rs.getInt("own") == 1);
                    }
                }
            }
        }
        messages.values().removeIf(m -> m.roles.isEmpty() || m.locations.isEmpty());
        return messages;
    }

    @Override
    public Map<String, ContactSummary> summaries(Collection<String> contactIds) {
        List<String> ids = checkIds(contactIds);
        Map<String, ContactSummary> summaries = new LinkedHashMap<>();
        for (String id : ids) {
            summaries.put(id, ContactSummary.none(id));
        }
        if (ids.isEmpty()) {
            return summaries;
        }
        String sql = "SELECT t.contact_id, COUNT(DISTINCT t.message_key) AS messages,"
                + " MAX(CASE WHEN t.own = 0 THEN t.msg_date END) AS last_in,"
                + " MAX(CASE WHEN t.own = 1 THEN t.msg_date END) AS last_out"
                + " FROM (SELECT a.contact_id, a.message_key, a.msg_date, CASE WHEN EXISTS (" + OWN_SENDER
                + ") THEN 1 ELSE 0 END AS own FROM imapsync_activity a WHERE a.contact_id IN ("
                + placeholders(ids.size()) + ")) t GROUP BY t.contact_id";
        try (Connection connection = dataSource.getConnection()) {
            Transactions.inTransaction(connection, -1, c -> {
                dialect.planEachExecution(c);
                try (PreparedStatement select = c.prepareStatement(sql)) {
                    bind(select, ids, 0);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString("contact_id");
                            summaries.put(id, new ContactSummary(id, rs.getLong("messages"),
                                    dialect.getInstant(rs, "last_in"), dialect.getInstant(rs, "last_out")));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the summaries of " + ids.size() + " contacts (the first "
                    + ids.get(0) + ")", Transactions.HINT);
        }
        return summaries;
    }

    @Override
    public List<ContactSummary> busiest(int limit) {
        if (limit < 1 || limit > MAX_CONTACTS) {
            throw new IllegalArgumentException("The busiest contacts are read 1 to " + MAX_CONTACTS + " at a time, not "
                    + limit);
        }
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT a.contact_id,"
                     + " COUNT(DISTINCT a.message_key) AS messages FROM imapsync_activity a GROUP BY a.contact_id"
                     + " ORDER BY messages DESC, a.contact_id LIMIT ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString("contact_id"));
                }
            }
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read the busiest contacts", Transactions.HINT);
        }
        Map<String, ContactSummary> summaries = summaries(ids);
        return ids.stream().map(summaries::get).toList();
    }

    /**
     * Every account's copy of the message, by account id, with the UIDVALIDITY its UID was
     * recorded under (0 for rows recorded before schema V5). The checkpoint's is not used: a
     * rescan after a UIDVALIDITY change keeps older rows' UIDs, with the UIDVALIDITY they were
     * recorded under.
     */
    @Override
    public List<Location> locations(MessageKey key) {
        Objects.requireNonNull(key, "key");
        List<Location> locations = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT m.account_id, m.folder, m.uid,"
                     + " m.uid_validity FROM imapsync_message m WHERE m.message_key = ? ORDER BY m.account_id")) {
            select.setString(1, key.value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    locations.add(new Location(rs.getString("account_id"), rs.getString("folder"), rs.getLong("uid"),
                            Math.max(0, rs.getLong("uid_validity"))));
                }
            }
        } catch (SQLException e) {
            throw MissingSchema.failure(e, dialect, "read where message " + key + " is", Transactions.HINT);
        }
        return List.copyOf(locations);
    }

    private static List<String> checkIds(Collection<String> contactIds) {
        Objects.requireNonNull(contactIds, "contactIds");
        if (contactIds.size() > MAX_CONTACTS) {
            throw new IllegalArgumentException(contactIds.size() + " contact ids were given: summaries are read "
                    + MAX_CONTACTS + " at most at a time, so split the list");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : contactIds) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("A contact id is " + (id == null ? "null" : "blank")
                        + ": give the ids your ContactMatcher answers");
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    private static String placeholders(int count) {
        StringBuilder in = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        return in.toString();
    }

    private static void bind(PreparedStatement statement, List<String> values, int before) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setString(before + i + 1, values.get(i));
        }
    }

    /** One message as read for a page: its copies (one per account, by account id) and the contact's rows. */
    private static final class Message {
        private final String key;
        private final List<Location> locations = new ArrayList<>();
        private final Set<ParticipantRole> roles = EnumSet.noneOf(ParticipantRole.class);
        private Instant newest;
        private String subject;
        private EmailAddress sender;
        private Optional<String> thread = Optional.empty();
        private Optional<MessagePreview> preview = Optional.empty();
        private boolean own;
        private boolean bulk;

        Message(String key) {
            this.key = key;
        }

        /** A copy; the first (smallest account id) gives subject, sender and the bulk flag, the first with one the thread. */
        void addCopy(ResultSet rs) throws SQLException {
            locations.add(new Location(rs.getString("account_id"), rs.getString("folder"), rs.getLong("uid"),
                    Math.max(0, rs.getLong("uid_validity"))));
            if (subject == null) {
                subject = rs.getString("subject");
                sender = new EmailAddress(rs.getString("from_name"), rs.getString("from_addr"),
                        rs.getString("from_norm"));
                bulk = rs.getBoolean("is_bulk");
            }
            if (thread.isEmpty()) {
                thread = Optional.ofNullable(rs.getString("thread_id"));
            }
            if (preview.isEmpty()) {
                preview = StoredPreview.read(rs);
            }
        }

        /** One of the contact's rows: its role, its copy's date, and whether its sender is an own address. */
        void addRole(ParticipantRole role, Instant date, boolean ownSender) {
            roles.add(role);
            own |= ownSender;
            if (newest == null || date.isAfter(newest)) {
                newest = date;
            }
        }

        TimelineEntry entry() {
            return new TimelineEntry(new MessageKey(key), newest, subject, sender, roles,
                    own ? Direction.OUTBOUND : Direction.INBOUND, locations, thread, preview, bulk);
        }
    }
}
