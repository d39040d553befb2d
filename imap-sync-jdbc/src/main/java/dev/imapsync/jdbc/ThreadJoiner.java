package dev.imapsync.jdbc;

import dev.imapsync.store.SyncedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins threads that a broken References chain split, inside a batch's transaction, in a few
 * statements whatever the batch's size. A message without a server thread is keyed by its root
 * ({@code ref:<Message-ID>}: the first References id, else In-Reply-To, else its own id). Two
 * rules then make one key of what belongs together, across folders and accounts:
 * <ol>
 *   <li>a message keyed {@code ref:X} joins the thread of the recorded message whose Message-ID is
 *       X, when that one has another key (X is itself a reply, or has a server thread): every row
 *       keyed {@code ref:X} is re-keyed;</li>
 *   <li>a message whose Message-ID is B and whose key is not {@code ref:B} takes along the rows
 *       keyed {@code ref:B}: replies recorded before it that named only B.</li>
 * </ol>
 * One query per 500 roots finds the recorded parents, one the rows waiting for a batch's
 * messages, and one batched UPDATE re-keys (usually nothing). Messages keyed by X-GM-MSGID
 * (Gmail) carry no Message-ID in their key and keep Gmail's threads.
 */
final class ThreadJoiner {
    private static final int CHUNK = 500;
    private static final String REF = "ref:";
    private static final String MID = "mid:";

    /** Re-keys the threads the batch's (already inserted) messages join. */
    void join(Connection connection, List<SyncedMessage> messages) throws SQLException {
        Set<String> parents = new LinkedHashSet<>();
        for (SyncedMessage m : messages) {
            String thread = m.threadId().orElse("");
            if (thread.startsWith(REF) && !m.key().value().equals(MID + thread.substring(REF.length()))) {
                parents.add(MID + thread.substring(REF.length()));
            }
        }
        Map<String, String> renames = new LinkedHashMap<>();
        Map<String, String> parentThreads = select(connection, "SELECT message_key, thread_id FROM imapsync_message"
                + " WHERE thread_id IS NOT NULL AND message_key IN (", parents);
        parentThreads.forEach((key, thread) -> {
            String own = REF + key.substring(MID.length());
            if (!thread.equals(own)) {
                renames.put(own, thread);
            }
        });
        Map<String, String> waiting = new HashMap<>();
        for (SyncedMessage m : messages) {
            String key = m.key().value();
            if (key.startsWith(MID) && m.threadId().isPresent()) {
                String own = REF + key.substring(MID.length());
                String thread = resolve(renames, m.threadId().get());
                if (!thread.equals(own) && own.length() <= JdbcSyncStore.MAX_THREAD_ID) {
                    waiting.put(own, thread);
                }
            }
        }
        Map<String, String> found = select(connection, "SELECT thread_id, thread_id FROM imapsync_message"
                + " WHERE thread_id IN (", waiting.keySet());
        for (String own : found.keySet()) {
            renames.putIfAbsent(own, waiting.get(own));
        }
        if (renames.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE imapsync_message SET thread_id = ? WHERE thread_id = ?")) {
            for (Map.Entry<String, String> rename : renames.entrySet()) {
                update.setString(1, resolve(renames, rename.getValue()));
                update.setString(2, rename.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** Where a key ends up after the renames (a few steps at most; a loop of broken headers stops). */
    private static String resolve(Map<String, String> renames, String key) {
        String current = key;
        for (int i = 0; i < 8 && renames.containsKey(current); i++) {
            current = renames.get(current);
        }
        return current;
    }

    /** Column 1 to column 2 of the rows whose column matches one of the values, 500 values per query. */
    private static Map<String, String> select(Connection connection, String sqlBeforeList, Set<String> values)
            throws SQLException {
        Map<String, String> found = new HashMap<>();
        List<String> all = new ArrayList<>(values);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            StringBuilder sql = new StringBuilder(sqlBeforeList);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            try (PreparedStatement select = connection.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.putIfAbsent(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return found;
    }
}
