package dev.imapsync.jdbc;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a batch with statements every dialect has (H2, MariaDB/MySQL): one query per 500 keys
 * finds which messages (and their activities) are recorded already, then plain batched inserts
 * write the rest. A concurrent transaction that records the same row first makes an insert
 * fail on the unique key; the store runs the transaction again, and this query then sees it.
 */
final class PortableBatchWriter implements BatchWriter {
    private static final int MAX_KEYS_PER_QUERY = 500;
    /** The longest matched address kept with an activity (RFC 5321's limit on a path is 256; 320 as the own addresses). */
    static final int MAX_ADDRESS = 320;

    private final SqlDialect dialect;

    PortableBatchWriter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public CommitResult write(Connection connection, String accountId, List<SyncedMessage> messages,
                              List<ContactActivity> activities, String batchFolder, long uidValidity)
            throws SQLException {
        Map<String, String> recorded = recordedFolders(connection, accountId, messages);
        List<SyncedMessage> newMessages = new ArrayList<>();
        for (SyncedMessage m : messages) {
            if (!recorded.containsKey(m.key().value())) {
                newMessages.add(m);
            }
        }
        List<ContactActivity> newActivities = newActivities(connection, accountId, activities, recorded);
        insertMessages(connection, accountId, newMessages, uidValidity);
        insertActivities(connection, accountId, newActivities, recorded, batchFolder);
        return new CommitResult(newMessages.size(), newActivities.size());
    }

    /** The messages of the batch already recorded, with the folder each was first recorded from. */
    Map<String, String> recordedFolders(Connection connection, String accountId,
                                                       List<SyncedMessage> messages) throws SQLException {
        Map<String, String> recorded = new HashMap<>();
        List<String> keys = messages.stream().map(m -> m.key().value()).toList();
        for (List<String> chunk : chunks(keys)) {
            try (PreparedStatement select = connection.prepareStatement(dialect.selectByMessageKeys(
                    "t.message_key, t.folder", "imapsync_message", chunk.size()))) {
                bindKeys(select, chunk, accountId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        recorded.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return recorded;
    }

    /** The activities not yet recorded; only a message recorded before can have recorded activities. */
    List<ContactActivity> newActivities(Connection connection, String accountId,
                                                       List<ContactActivity> activities, Map<String, String> recorded)
            throws SQLException {
        List<String> keys = activities.stream().map(a -> a.messageKey().value()).filter(recorded::containsKey)
                .distinct().toList();
        Set<List<String>> existing = new HashSet<>();
        for (List<String> chunk : chunks(keys)) {
            try (PreparedStatement select = connection.prepareStatement(dialect.selectByMessageKeys(
                    "t.message_key, t.contact_id, t.role", "imapsync_activity", chunk.size()))) {
                bindKeys(select, chunk, accountId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        existing.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        List<ContactActivity> fresh = new ArrayList<>();
        for (ContactActivity a : activities) {
            if (!existing.contains(List.of(a.messageKey().value(), a.contact().id(), a.role().name()))) {
                fresh.add(a);
            }
        }
        return fresh;
    }

    private void insertMessages(Connection connection, String accountId, List<SyncedMessage> messages,
                                long uidValidity) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_message ("
                + SqlDialect.MESSAGE_COLUMNS + ", " + StoredPreview.COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SyncedMessage m : messages) {
                int i = 0;
                insert.setString(++i, accountId);
                insert.setString(++i, m.key().value());
                insert.setString(++i, SqlDialect.clean(m.folder(), JdbcSyncStore.MAX_FOLDER));
                insert.setLong(++i, m.uid());
                dialect.setInstant(insert, ++i, m.date());
                insert.setString(++i, SqlDialect.clean(m.from(), JdbcSyncStore.MAX_TEXT));
                insert.setString(++i, SqlDialect.clean(m.subject(), JdbcSyncStore.MAX_TEXT));
                insert.setLong(++i, m.size());
                insert.setString(++i, m.direction().name());
                setText(insert, ++i, m.threadId(), JdbcSyncStore.MAX_THREAD_ID);
                insert.setString(++i, SqlDialect.clean(m.sender().displayName(), JdbcSyncStore.MAX_TEXT));
                insert.setString(++i, SqlDialect.clean(m.sender().normalized(), JdbcSyncStore.MAX_TEXT));
                insert.setBoolean(++i, m.bulk());
                StoredPreview.bind(insert, i, m, uidValidity);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Each activity with the folder its message was first recorded from (this batch's, for a new message). */
    private void insertActivities(Connection connection, String accountId, List<ContactActivity> activities,
                                  Map<String, String> recorded, String batchFolder) throws SQLException {
        if (activities.isEmpty()) {
            return;
        }
        String newFolder = SqlDialect.clean(batchFolder, JdbcSyncStore.MAX_FOLDER);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imapsync_activity ("
                + SqlDialect.ACTIVITY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ContactActivity a : activities) {
                int i = 0;
                insert.setString(++i, accountId);
                insert.setString(++i, a.messageKey().value());
                insert.setString(++i, a.contact().id());
                insert.setString(++i, a.role().name());
                insert.setString(++i, a.direction().name());
                dialect.setInstant(insert, ++i, a.date());
                insert.setString(++i, SqlDialect.clean(a.subject(), JdbcSyncStore.MAX_TEXT));
                insert.setString(++i, SqlDialect.clean(a.from(), JdbcSyncStore.MAX_TEXT));
                setText(insert, ++i, a.threadId(), JdbcSyncStore.MAX_THREAD_ID);
                insert.setString(++i, recorded.getOrDefault(a.messageKey().value(), newFolder));
                insert.setString(++i, SqlDialect.clean(EmailAddress.normalize(a.from()), JdbcSyncStore.MAX_TEXT));
                insert.setString(++i, contactAddress(a));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static List<List<String>> chunks(List<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += MAX_KEYS_PER_QUERY) {
            chunks.add(values.subList(from, Math.min(values.size(), from + MAX_KEYS_PER_QUERY)));
        }
        return chunks;
    }

    private static void bindKeys(PreparedStatement select, List<String> keys, String accountId) throws SQLException {
        for (int i = 0; i < keys.size(); i++) {
            select.setString(i + 1, keys.get(i));
        }
        select.setString(keys.size() + 1, accountId);
    }

    /** The activity's matched address as stored: '' when unknown or too long to be an address. */
    static String contactAddress(ContactActivity activity) {
        String address = SqlDialect.clean(activity.address(), MAX_ADDRESS + 1);
        return address.length() > MAX_ADDRESS ? "" : address;
    }

    static void setText(PreparedStatement statement, int index, Optional<String> text, int max) throws SQLException {
        if (text.isPresent()) {
            statement.setString(index, SqlDialect.clean(text.get(), max));
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }
}
