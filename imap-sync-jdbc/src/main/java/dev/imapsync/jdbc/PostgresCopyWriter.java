package dev.imapsync.jdbc;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes a batch of new messages on PostgreSQL with {@code COPY … FROM STDIN} (the driver's
 * {@link CopyManager}): the cheapest way into a table, with no {@code ON CONFLICT} check per row
 * and no arrays to parse. A first sync's batches are all new; everything else goes the way of
 * {@link PostgresBatchWriter}, which skips what is recorded:
 * <ul>
 *   <li>one query by the index on message keys first looks for the batch's messages; if the
 *       account has any of them already (a batch committed again after a crash, a Gmail
 *       message seen in another folder), the whole batch is written by
 *       {@link PostgresBatchWriter};</li>
 *   <li>the copies run under a savepoint: if one meets a unique key all the same (another node
 *       recorded a message in between, or a history entry is there without its message), the
 *       savepoint is rolled back and {@link PostgresBatchWriter} writes the batch.</li>
 * </ul>
 * So nothing is recorded twice, and the counts are exact: a copy that succeeded inserted every
 * row. Used only when the connection is (or unwraps to) the PostgreSQL driver's; see
 * {@link #usable}.
 */
final class PostgresCopyWriter implements BatchWriter {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COPY_MESSAGES = "COPY imapsync_message (" + SqlDialect.MESSAGE_COLUMNS + ", "
            + StoredPreview.COLUMNS + ") FROM STDIN";
    private static final String COPY_ACTIVITIES = "COPY imapsync_activity (" + SqlDialect.ACTIVITY_COLUMNS
            + ") FROM STDIN";
    /**
     * By the index on {@code message_key} alone, whatever the table's statistics: with the account
     * in the condition, the generic plan PostgreSQL caches after five executions read every row of
     * the account through the primary key while a first sync filled an unanalyzed table (measured:
     * a commit then slowed with each batch). Other accounts' copies of a message are passed over in
     * {@link #anyRecorded}.
     */
    private static final String ACCOUNTS_HOLDING = "SELECT account_id FROM imapsync_message"
            + " WHERE message_key = ANY(?::varchar[])";

    private final PostgresBatchWriter others = new PostgresBatchWriter();

    /**
     * Whether COPY can be used on this connection: the PostgreSQL driver is on the class path
     * and the connection (or the pool's wrapper around it) unwraps to it.
     */
    static boolean usable(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class);
        } catch (SQLException | LinkageError e) {
            return false;
        }
    }

    @Override
    public CommitResult write(Connection connection, String accountId, List<SyncedMessage> messages,
                              List<ContactActivity> activities, String batchFolder, long uidValidity)
            throws SQLException {
        if (messages.isEmpty() || !usable(connection) || anyRecorded(connection, accountId, messages)) {
            return others.write(connection, accountId, messages, activities, batchFolder, uidValidity);
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        Savepoint savepoint = connection.setSavepoint();
        try {
            long newMessages = copy(copy, COPY_MESSAGES, messageRows(accountId, messages, uidValidity));
            long newActivities = activities.isEmpty() ? 0
                    : copy(copy, COPY_ACTIVITIES, activityRows(accountId, activities,
                            SqlDialect.clean(batchFolder, JdbcSyncStore.MAX_FOLDER)));
            connection.releaseSavepoint(savepoint);
            return new CommitResult(Math.toIntExact(newMessages), Math.toIntExact(newActivities));
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            return others.write(connection, accountId, messages, activities, batchFolder, uidValidity);
        }
    }

    private static boolean anyRecorded(Connection connection, String accountId, List<SyncedMessage> messages)
            throws SQLException {
        String[] keys = new String[messages.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = messages.get(i).key().value();
        }
        try (PreparedStatement select = connection.prepareStatement(ACCOUNTS_HOLDING)) {
            select.setArray(1, connection.createArrayOf("varchar", keys));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (accountId.equals(rs.getString(1))) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static long copy(CopyManager copy, String sql, CopyText rows) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(rows.bytes(), 0, rows.length());
            return in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                // the connection must leave COPY mode before the rollback can be sent
                try {
                    in.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** The rows of {@link #COPY_MESSAGES}, in COPY's text format, the columns as {@link PortableBatchWriter} binds them. */
    static CopyText messageRows(String accountId, List<SyncedMessage> messages, long uidValidity) {
        CopyText out = new CopyText(messages.size() * 256);
        for (SyncedMessage m : messages) {
            out.text(accountId).text(m.key().value()).text(SqlDialect.clean(m.folder(), JdbcSyncStore.MAX_FOLDER))
                    .number(m.uid()).text(m.date().toString())
                    .text(SqlDialect.clean(m.from(), JdbcSyncStore.MAX_TEXT))
                    .text(SqlDialect.clean(m.subject(), JdbcSyncStore.MAX_TEXT)).number(m.size())
                    .text(m.direction().name())
                    .text(m.threadId().map(t -> SqlDialect.clean(t, JdbcSyncStore.MAX_THREAD_ID)).orElse(null))
                    .text(SqlDialect.clean(m.sender().displayName(), JdbcSyncStore.MAX_TEXT))
                    .text(SqlDialect.clean(m.sender().normalized(), JdbcSyncStore.MAX_TEXT)).bool(m.bulk())
                    .number(uidValidity);
            Optional<MessagePreview> preview = m.preview();
            if (preview.isEmpty()) {
                out.text(null).bool(false).bool(false).bool(false).text(null).last(null);
            } else {
                MessagePreview p = preview.get();
                out.text(StoredPreview.text(p)).bool(p.truncated()).bool(p.encrypted()).bool(p.signed())
                        .text(p.calendarMethod().map(c -> SqlDialect.clean(c, 32)).orElse(null))
                        .last(StoredPreview.encode(p.attachments()));
            }
        }
        return out;
    }

    /** The rows of {@link #COPY_ACTIVITIES}; every message is new, so each entry's folder is the batch's. */
    static CopyText activityRows(String accountId, List<ContactActivity> activities, String folder) {
        CopyText out = new CopyText(activities.size() * 200);
        for (ContactActivity a : activities) {
            out.text(accountId).text(a.messageKey().value()).text(a.contact().id()).text(a.role().name())
                    .text(a.direction().name()).text(a.date().toString())
                    .text(SqlDialect.clean(a.subject(), JdbcSyncStore.MAX_TEXT))
                    .text(SqlDialect.clean(a.from(), JdbcSyncStore.MAX_TEXT))
                    .text(a.threadId().map(t -> SqlDialect.clean(t, JdbcSyncStore.MAX_THREAD_ID)).orElse(null))
                    .text(folder)
                    .text(SqlDialect.clean(EmailAddress.normalize(a.from()), JdbcSyncStore.MAX_TEXT))
                    .last(PortableBatchWriter.contactAddress(a));
        }
        return out;
    }

    /**
     * COPY's text format, as UTF-8 bytes (pgjdbc always talks UTF-8): columns separated by tabs,
     * rows ended by a newline, {@code \N} for NULL, and a backslash, tab, newline or carriage
     * return in a value escaped. Values are cleaned before (no NUL, which COPY cannot carry).
     * Times go as ISO-8601 instants, which {@code timestamptz} reads whatever the session's time
     * zone.
     */
    static final class CopyText {
        private byte[] out;
        private int length;

        CopyText(int capacity) {
            out = new byte[capacity];
        }

        CopyText text(String value) {
            append(value);
            return put((byte) '\t');
        }

        CopyText number(long value) {
            ascii(Long.toString(value));
            return put((byte) '\t');
        }

        CopyText bool(boolean value) {
            put((byte) (value ? 't' : 'f'));
            return put((byte) '\t');
        }

        /** The row's last column. */
        CopyText last(String value) {
            append(value);
            return put((byte) '\n');
        }

        private void append(String value) {
            if (value == null) {
                ascii("\\N");
                return;
            }
            String escaped = needsEscape(value) ? escape(value) : value;
            byte[] bytes = escaped.getBytes(StandardCharsets.UTF_8);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, out, length, bytes.length);
            length += bytes.length;
        }

        private static boolean needsEscape(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                    return true;
                }
            }
            return false;
        }

        private static String escape(String value) {
            StringBuilder escaped = new StringBuilder(value.length() + 8);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> escaped.append("\\\\");
                    case '\t' -> escaped.append("\\t");
                    case '\n' -> escaped.append("\\n");
                    case '\r' -> escaped.append("\\r");
                    default -> escaped.append(c);
                }
            }
            return escaped.toString();
        }

        private void ascii(String value) {
            ensure(value.length());
            for (int i = 0; i < value.length(); i++) {
                out[length++] = (byte) value.charAt(i);
            }
        }

        private CopyText put(byte b) {
            ensure(1);
            out[length++] = b;
            return this;
        }

        private void ensure(int more) {
            if (length + more > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
            }
        }

        byte[] bytes() {
            return out;
        }

        int length() {
            return length;
        }

        @Override
        public String toString() {
            return new String(out, 0, length, StandardCharsets.UTF_8);
        }
    }
}
