package dev.imapsync.jdbc;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch on PostgreSQL in two statements, whatever its size: the rows travel as arrays
 * and {@code unnest} turns them into rows; {@code ON CONFLICT DO NOTHING} skips what is there,
 * and {@code RETURNING} says which messages were new. No query has to find existing rows first,
 * so a table whose statistics are not yet gathered (the first sync) cannot lead the planner to
 * a scan.
 */
final class PostgresBatchWriter implements BatchWriter {
    private static final String INSERT_MESSAGES = "INSERT INTO imapsync_message (" + SqlDialect.MESSAGE_COLUMNS + ", "
            + StoredPreview.COLUMNS + ")"
            + " SELECT ?, v.k, v.f, v.u, v.d::timestamptz, v.fr, v.s, v.z, v.dir, v.th, v.fn, v.fo, v.bu, ?::bigint, v.pt, v.ptr,"
            + " v.enc, v.sig, v.cal, v.att FROM unnest(?::varchar[],"
            + " ?::varchar[], ?::bigint[], ?::text[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[], ?::varchar[], ?::boolean[], ?::varchar[], ?::boolean[], ?::boolean[], ?::boolean[], ?::varchar[],"
            + " ?::text[]) AS v(k, f, u, d, fr, s, z, dir, th, fn, fo, bu, pt, ptr, enc, sig, cal, att)"
            + " ON CONFLICT DO NOTHING RETURNING message_key";
    private static final String INSERT_ACTIVITIES = "INSERT INTO imapsync_activity (" + SqlDialect.ACTIVITY_COLUMNS + ")"
            + " SELECT ?, v.k, v.c, v.r, v.dir, v.d::timestamptz, v.s, v.fr, v.th, v.f, v.fo, v.ca FROM unnest(?::varchar[],"
            + " ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[], ?::varchar[]) AS v(k, c, r, dir, d, s, fr, th, f, fo, ca) ON CONFLICT DO NOTHING";
    private static final String RECORDED_FOLDERS = "SELECT message_key, folder FROM imapsync_message"
            + " WHERE account_id = ? AND message_key = ANY(?::varchar[])";

    @Override
    public CommitResult write(Connection connection, String accountId, List<SyncedMessage> messages,
                              List<ContactActivity> activities, String batchFolder, long uidValidity)
            throws SQLException {
        Set<String> inserted = insertMessages(connection, accountId, messages, uidValidity);
        Map<String, String> recorded = new HashMap<>();
        List<String> old = new ArrayList<>();
        for (SyncedMessage m : messages) {
            if (!inserted.contains(m.key().value())) {
                old.add(m.key().value());
            }
        }
        if (!old.isEmpty()) {
            recorded = recordedFolders(connection, accountId, old);
        }
        int newActivities = insertActivities(connection, accountId, activities, recorded,
                SqlDialect.clean(batchFolder, JdbcSyncStore.MAX_FOLDER));
        return new CommitResult(inserted.size(), newActivities);
    }

    private static Set<String> insertMessages(Connection connection, String accountId, List<SyncedMessage> messages,
                                              long uidValidity) throws SQLException {
        Set<String> inserted = new HashSet<>();
        if (messages.isEmpty()) {
            return inserted;
        }
        int n = messages.size();
        String[] keys = new String[n];
        String[] folders = new String[n];
        Long[] uids = new Long[n];
        String[] dates = new String[n];
        String[] froms = new String[n];
        String[] subjects = new String[n];
        Long[] sizes = new Long[n];
        String[] directions = new String[n];
        String[] threads = new String[n];
        String[] names = new String[n];
        String[] normalized = new String[n];
        Boolean[] bulk = new Boolean[n];
        String[] previews = new String[n];
        Boolean[] truncated = new Boolean[n];
        Boolean[] encrypted = new Boolean[n];
        Boolean[] signed = new Boolean[n];
        String[] calendar = new String[n];
        String[] attachments = new String[n];
        for (int i = 0; i < n; i++) {
            SyncedMessage m = messages.get(i);
            MessagePreview p = m.preview().orElse(null);
            previews[i] = p == null ? null : StoredPreview.text(p);
            truncated[i] = p != null && p.truncated();
            encrypted[i] = p != null && p.encrypted();
            signed[i] = p != null && p.signed();
            calendar[i] = p == null ? null : p.calendarMethod().map(c -> SqlDialect.clean(c, 32)).orElse(null);
            attachments[i] = p == null ? null : StoredPreview.encode(p.attachments());
            keys[i] = m.key().value();
            folders[i] = SqlDialect.clean(m.folder(), JdbcSyncStore.MAX_FOLDER);
            uids[i] = m.uid();
            dates[i] = m.date().toString();
            froms[i] = SqlDialect.clean(m.from(), JdbcSyncStore.MAX_TEXT);
            subjects[i] = SqlDialect.clean(m.subject(), JdbcSyncStore.MAX_TEXT);
            sizes[i] = m.size();
            directions[i] = m.direction().name();
            threads[i] = m.threadId().map(t -> SqlDialect.clean(t, JdbcSyncStore.MAX_THREAD_ID)).orElse(null);
            names[i] = SqlDialect.clean(m.sender().displayName(), JdbcSyncStore.MAX_TEXT);
            normalized[i] = SqlDialect.clean(m.sender().normalized(), JdbcSyncStore.MAX_TEXT);
            bulk[i] = m.bulk();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGES)) {
            insert.setString(1, accountId);
            insert.setLong(2, uidValidity);
            List<Array> arrays = List.of(varchars(connection, keys), varchars(connection, folders),
                    connection.createArrayOf("bigint", uids), texts(connection, dates), varchars(connection, froms),
                    varchars(connection, subjects), connection.createArrayOf("bigint", sizes),
                    varchars(connection, directions), varchars(connection, threads), varchars(connection, names),
                    varchars(connection, normalized), connection.createArrayOf("boolean", bulk),
                    varchars(connection, previews),
                    connection.createArrayOf("boolean", truncated), connection.createArrayOf("boolean", encrypted),
                    connection.createArrayOf("boolean", signed), varchars(connection, calendar),
                    texts(connection, attachments));
            for (int i = 0; i < arrays.size(); i++) {
                insert.setArray(i + 3, arrays.get(i));
            }
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    private static int insertActivities(Connection connection, String accountId, List<ContactActivity> activities,
                                        Map<String, String> recorded, String newFolder) throws SQLException {
        if (activities.isEmpty()) {
            return 0;
        }
        int n = activities.size();
        String[] keys = new String[n];
        String[] contacts = new String[n];
        String[] roles = new String[n];
        String[] directions = new String[n];
        String[] dates = new String[n];
        String[] subjects = new String[n];
        String[] froms = new String[n];
        String[] threads = new String[n];
        String[] folders = new String[n];
        String[] normalized = new String[n];
        String[] matched = new String[n];
        for (int i = 0; i < n; i++) {
            ContactActivity a = activities.get(i);
            keys[i] = a.messageKey().value();
            contacts[i] = a.contact().id();
            roles[i] = a.role().name();
            directions[i] = a.direction().name();
            dates[i] = a.date().toString();
            subjects[i] = SqlDialect.clean(a.subject(), JdbcSyncStore.MAX_TEXT);
            froms[i] = SqlDialect.clean(a.from(), JdbcSyncStore.MAX_TEXT);
            threads[i] = a.threadId().map(t -> SqlDialect.clean(t, JdbcSyncStore.MAX_THREAD_ID)).orElse(null);
            folders[i] = recorded.getOrDefault(keys[i], newFolder);
            normalized[i] = SqlDialect.clean(EmailAddress.normalize(a.from()), JdbcSyncStore.MAX_TEXT);
            matched[i] = PortableBatchWriter.contactAddress(a);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ACTIVITIES)) {
            insert.setString(1, accountId);
            List<Array> arrays = List.of(varchars(connection, keys), varchars(connection, contacts),
                    varchars(connection, roles), varchars(connection, directions), texts(connection, dates),
                    varchars(connection, subjects), varchars(connection, froms), varchars(connection, threads),
                    varchars(connection, folders), varchars(connection, normalized), varchars(connection, matched));
            for (int i = 0; i < arrays.size(); i++) {
                insert.setArray(i + 2, arrays.get(i));
            }
            return insert.executeUpdate();
        }
    }

    private static Map<String, String> recordedFolders(Connection connection, String accountId, List<String> keys)
            throws SQLException {
        Map<String, String> recorded = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(RECORDED_FOLDERS)) {
            select.setString(1, accountId);
            select.setArray(2, varchars(connection, keys.toArray(new String[0])));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    recorded.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return recorded;
    }

    private static Array varchars(Connection connection, String[] values) throws SQLException {
        return connection.createArrayOf("varchar", values);
    }

    private static Array texts(Connection connection, String[] values) throws SQLException {
        return connection.createArrayOf("text", values);
    }
}
