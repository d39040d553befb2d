package dev.imapsync.jdbc;

import dev.imapsync.message.Attachment;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.SyncedMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a message's preview is kept in its {@code imapsync_message} row (schema version 5): the
 * text and its flags in columns, the attachment list in one text column, a line per attachment
 * with its fields tab-separated and escaped ({@code \\}, {@code \t}, {@code \n}). The list is
 * read with the row it belongs to (a page needs no join and no second query) and is deleted with
 * it; nothing searches it in SQL, so a child table would only add a statement to every commit.
 */
final class StoredPreview {
    /** The preview's columns, in the order {@link #bind} sets them. */
    static final String COLUMNS = "uid_validity, preview_text, preview_truncated, is_encrypted, is_signed,"
            + " calendar_method, attachments";
    /** The longest preview kept, in characters (the column's size). */
    static final int MAX_TEXT = 1000;
    /** The most attachments kept per message; a list longer than this is cut (rare: mailing a folder). */
    static final int MAX_ATTACHMENTS = 200;
    private static final int MAX_FIELD = 500;

    private StoredPreview() {
    }

    /** Binds {@link #COLUMNS} from {@code index + 1} on; returns the last index set. */
    static int bind(PreparedStatement statement, int index, SyncedMessage m, long uidValidity) throws SQLException {
        int i = index;
        statement.setLong(++i, uidValidity);
        Optional<MessagePreview> preview = m.preview();
        if (preview.isEmpty()) {
            statement.setNull(++i, Types.VARCHAR);
            statement.setBoolean(++i, false);
            statement.setBoolean(++i, false);
            statement.setBoolean(++i, false);
            statement.setNull(++i, Types.VARCHAR);
            statement.setNull(++i, Types.VARCHAR);
            return i;
        }
        MessagePreview p = preview.get();
        statement.setString(++i, text(p));
        statement.setBoolean(++i, p.truncated());
        statement.setBoolean(++i, p.encrypted());
        statement.setBoolean(++i, p.signed());
        PortableBatchWriter.setText(statement, ++i, p.calendarMethod(), 32);
        statement.setString(++i, encode(p.attachments()));
        return i;
    }

    /** The preview text as stored: cleaned, at most {@link #MAX_TEXT} characters. */
    static String text(MessagePreview p) {
        return SqlDialect.clean(p.text(), MAX_TEXT);
    }

    /** The preview of a row that has the preview's columns; empty when none was recorded. */
    static Optional<MessagePreview> read(ResultSet rs) throws SQLException {
        String text = rs.getString("preview_text");
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(new MessagePreview(text, rs.getBoolean("preview_truncated"),
                decode(rs.getString("attachments")), rs.getBoolean("is_encrypted"), rs.getBoolean("is_signed"),
                Optional.ofNullable(rs.getString("calendar_method"))));
    }

    /** The list as one text, null when empty. */
    static String encode(List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Attachment a : attachments) {
            if (n++ == MAX_ATTACHMENTS) {
                break;
            }
            field(out, a.part()).append('\t');
            field(out, a.name()).append('\t');
            field(out, a.mimeType()).append('\t');
            out.append(a.size()).append('\t').append(a.inline() ? '1' : '0').append('\t');
            field(out, a.contentId().orElse("")).append('\n');
        }
        return out.toString();
    }

    /** The list {@link #encode} wrote; lines that do not read are left out. */
    static List<Attachment> decode(String stored) {
        List<Attachment> attachments = new ArrayList<>();
        if (stored == null || stored.isEmpty()) {
            return attachments;
        }
        for (String line : stored.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length != 6) {
                continue;
            }
            try {
                String contentId = unescape(f[5]);
                attachments.add(new Attachment(unescape(f[0]), unescape(f[1]), unescape(f[2]), Long.parseLong(f[3]),
                        f[4].equals("1"), contentId.isEmpty() ? Optional.empty() : Optional.of(contentId)));
            } catch (RuntimeException e) {
                // a line damaged by hand: the others still show
            }
        }
        return attachments;
    }

    private static StringBuilder field(StringBuilder out, String value) {
        String v = SqlDialect.clean(value, MAX_FIELD);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    private static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char e = v.charAt(++i);
                out.append(e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
