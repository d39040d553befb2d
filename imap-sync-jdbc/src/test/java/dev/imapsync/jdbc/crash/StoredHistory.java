package dev.imapsync.jdbc.crash;

import dev.imapsync.jdbc.crash.ExpectedHistory.Activity;
import dev.imapsync.jdbc.crash.ExpectedHistory.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The history and checkpoints of one account as the tables hold them, read with plain SQL
 * (lists, not sets, so that a row stored twice would show).
 *
 * @param messages    the rows of {@code imapsync_message}
 * @param activities  the rows of {@code imapsync_activity}
 * @param checkpoints the last UID of each folder in {@code imapsync_checkpoint}
 */
public record StoredHistory(List<Message> messages, List<Activity> activities, Map<String, Long> checkpoints) {

    public static StoredHistory read(DataSource dataSource, String accountId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, accountId);
        }
    }

    public static StoredHistory read(Connection c, String accountId) throws SQLException {
        List<Message> messages = new ArrayList<>();
        query(c, "SELECT message_key, direction FROM imapsync_message WHERE account_id = ?", accountId,
                rs -> messages.add(new Message(rs.getString(1), rs.getString(2))));
        List<Activity> activities = new ArrayList<>();
        query(c, "SELECT message_key, contact_id, role, direction FROM imapsync_activity WHERE account_id = ?",
                accountId, rs -> activities.add(new Activity(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4))));
        Map<String, Long> checkpoints = new HashMap<>();
        query(c, "SELECT folder, last_uid FROM imapsync_checkpoint WHERE account_id = ?", accountId,
                rs -> checkpoints.put(rs.getString(1), rs.getLong(2)));
        return new StoredHistory(List.copyOf(messages), List.copyOf(activities), Map.copyOf(checkpoints));
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, String accountId, Row row) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, accountId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }
}
