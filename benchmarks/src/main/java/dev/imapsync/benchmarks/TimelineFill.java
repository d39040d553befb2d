package dev.imapsync.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Fills the history tables of a migrated imap-sync schema for {@link TimelineBenchmark} with
 * set-based SQL ({@code INSERT ... SELECT} over a row generator: {@code generate_series} on
 * PostgreSQL, {@code SYSTEM_RANGE} on H2, the sequence engine's {@code seq_0_to_N} on MariaDB),
 * so that ten million rows take minutes and not the hours {@code JdbcSyncStore.commit} would.
 *
 * <p>The rows are what the store itself would have written. Message {@code i} (newest first,
 * 20 seconds apart) is held by account {@code rep(i mod 5)}, and every tenth also by the next
 * account (two copies, two rows per contact and role). Every third is outbound: sent by the
 * holding rep's own address (recorded in {@code imapsync_own_address}) to contact {@code X(i)};
 * the others come from {@code X(i)}. Each has contact {@code Y(i)} in CC. {@code X(i)} is the
 * busy contact {@code big} for 100,000 messages spread evenly over the whole history, else one
 * of {@link #contacts} ordinary contacts {@code c0, c1, ...}; {@code Y(i)} is always an
 * ordinary one. So a message gives about 2.2 activity rows, and {@code --rows} counts those.
 */
final class TimelineFill {
    /** The contact with 100,000 entries. */
    static final String BIG = "big";
    static final int BIG_ENTRIES = 100_000;
    static final int ACCOUNTS = 5;

    final long messages;
    /** Every {@code stride}-th message (below {@code stride * BIG_ENTRIES}) is the busy contact's. */
    final long stride;
    final long contacts;
    private final BenchDatabase kind;

    private TimelineFill(BenchDatabase kind, long rows) {
        this.kind = kind;
        this.messages = Math.round(rows / 2.2);
        this.stride = messages / BIG_ENTRIES;
        if (stride < 1) {
            throw new IllegalArgumentException("--rows " + rows + " is too few for a contact of " + BIG_ENTRIES
                    + " entries: give at least " + Math.round(BIG_ENTRIES * 2.2 + 1));
        }
        this.contacts = Math.max(1_000, messages / 20);
    }

    static TimelineFill plan(BenchDatabase kind, long rows) {
        return new TimelineFill(kind, rows);
    }

    /** Account {@code n}'s id, which is also its own address. */
    static String account(int n) {
        return "rep" + n + "@company.example";
    }

    /**
     * Inserts everything, then has the database analyze the tables (PostgreSQL: vacuum too); returns
     * the activity rows written. {@code c} must be in auto-commit mode.
     */
    long fill(Connection c) throws SQLException {
        long activities = 0;
        try (Statement s = c.createStatement()) {
            for (int a = 0; a < ACCOUNTS; a++) {
                s.executeUpdate("INSERT INTO imapsync_own_address (account_id, address) VALUES ('" + account(a)
                        + "', '" + account(a) + "')");
            }
            String[] copies = {
                // the first copy of every message, and the second of every tenth, at the next account
                "SELECT i, MOD(i, " + ACCOUNTS + ") AS acct FROM " + series(messages - 1),
                "SELECT i * 10 AS i, MOD(i * 10 + 1, " + ACCOUNTS + ") AS acct FROM " + series((messages - 1) / 10),
            };
            for (String copy : copies) {
                s.executeUpdate("INSERT INTO imapsync_message (account_id, message_key, folder, uid, msg_date,"
                        + " from_addr, subject, size, direction, thread_id, from_name, from_norm) SELECT "
                        + accountId() + ", " + key() + ", " + folder() + ", g.i + 1, " + date() + ", " + sender()
                        + ", " + subject() + ", 2000 + MOD(g.i, 5000), " + direction() + ", " + thread() + ", "
                        + senderName() + ", " + sender() + " FROM (" + copy + ") g");
                activities += s.executeUpdate(activity(copy, contactX(), "CASE WHEN " + outbound()
                        + " THEN 'TO' ELSE 'FROM' END"));
                activities += s.executeUpdate(activity(copy, contactY(), "'CC'"));
            }
            if (kind == BenchDatabase.MARIADB) {
                s.execute("ANALYZE TABLE imapsync_message, imapsync_activity, imapsync_own_address");
            } else if (kind == BenchDatabase.POSTGRESQL) {
                // what autovacuum does to a table that grew over months: hint bits and the visibility map set
                s.execute("VACUUM ANALYZE");
            } else {
                s.execute("ANALYZE");
            }
        }
        return activities;
    }

    private String activity(String copy, String contact, String role) {
        return "INSERT INTO imapsync_activity (account_id, message_key, contact_id, role, direction, msg_date, subject,"
                + " from_addr, thread_id, folder, from_norm) SELECT " + accountId() + ", " + key() + ", " + contact
                + ", " + role + ", " + direction() + ", " + date() + ", " + subject() + ", " + sender() + ", "
                + thread() + ", " + folder() + ", " + sender() + " FROM (" + copy + ") g";
    }

    /** Integers 0 to {@code last} as column {@code i}. */
    private String series(long last) {
        return switch (kind) {
            case POSTGRESQL -> "generate_series(0::BIGINT, " + last + "::BIGINT) AS s(i)";
            case MARIADB -> "(SELECT seq AS i FROM seq_0_to_" + last + ") s";
            default -> "(SELECT X AS i FROM SYSTEM_RANGE(0, " + last + ")) s";
        };
    }

    private String date() {
        String base = "2026-11-30 00:00:00";
        return switch (kind) {
            case POSTGRESQL -> "TIMESTAMPTZ '" + base + "+00' - g.i * INTERVAL '20 seconds'";
            case MARIADB -> "TIMESTAMP '" + base + "' - INTERVAL (20 * g.i) SECOND";
            default -> "DATEADD(SECOND, -20 * g.i, TIMESTAMP WITH TIME ZONE '" + base + "+00')";
        };
    }

    private static String outbound() {
        return "MOD(g.i, 3) = 0";
    }

    private static String accountId() {
        return "CONCAT('rep', g.acct, '@company.example')";
    }

    private static String key() {
        return "CONCAT('mid:m', g.i, '@bench.example')";
    }

    private static String folder() {
        return "CASE WHEN " + outbound() + " THEN 'Sent' ELSE 'INBOX' END";
    }

    private static String direction() {
        return "CASE WHEN " + outbound() + " THEN 'OUTBOUND' ELSE 'INBOUND' END";
    }

    private static String subject() {
        return "CONCAT('Quote ', g.i)";
    }

    private static String thread() {
        return "CONCAT('t', g.i - MOD(g.i, 4))";
    }

    private String contactX() {
        return String.format(Locale.ROOT, "CASE WHEN MOD(g.i, %d) = 0 AND g.i < %d THEN '%s'"
                + " ELSE CONCAT('c', MOD(g.i * 31 + 7, %d)) END", stride, stride * BIG_ENTRIES, BIG, contacts);
    }

    private String contactY() {
        return "CONCAT('c', MOD(g.i * 7919 + 3, " + contacts + "))";
    }

    /** The normalized sender: the first holder's own address when outbound, else contact X's address. */
    private String sender() {
        return "CASE WHEN " + outbound() + " THEN CONCAT('rep', MOD(g.i, " + ACCOUNTS + "), '@company.example')"
                + " ELSE CONCAT(" + contactX() + ", '@client.example') END";
    }

    private String senderName() {
        return "CASE WHEN " + outbound() + " THEN CONCAT('Rep ', MOD(g.i, " + ACCOUNTS + "))"
                + " ELSE CONCAT('Contact ', " + contactX() + ") END";
    }
}
