package dev.imapsync.benchmarks;

import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar benchmarks.jar timeline [options]}: how fast {@link JdbcSyncStore}'s
 * {@code TimelineStore} answers a contact page, against the query a host application would
 * write on the same tables, measured in the same run.
 *
 * <p>Per database, a new schema is migrated ({@link JdbcSchema#migrate}) and filled with
 * {@code --rows} activity rows by {@link TimelineFill}, one contact ({@code big}) holding 100,000
 * entries. Then, each after warm-up and repeated (median and 95th percentile of the calls): (a)
 * the first page of 50 of {@code big}; (b) a deep page: the page after entry 50,000, reached by
 * following the cursors; (c) the summaries of 1,000 contacts in one call. <b>The baseline</b> is
 * the SQL a host would write without the API (as the demo did before it): {@code GROUP BY
 * message_key ORDER BY MAX(msg_date) DESC LIMIT 50 OFFSET n} on {@code imapsync_activity} for
 * the pages, and one {@code COUNT(DISTINCT ...)} query per contact for the summaries. The
 * baseline returns less than an entry (no accounts, roles or direction), so it is a lower bound
 * of a host's own code, not a strawman. The first and deep pages are checked to hold the same
 * messages as the baseline's. Finally the plans of the page queries are printed.
 */
final class TimelineBenchmark {
    private static final int PAGE = 50;
    private static final int DEEP = 50_000;
    private static final int SUMMARY_CONTACTS = 1_000;

    /** The walk of {@code JdbcTimeline} (keep in step with it): a page's rows, newest first. */
    private static final String WALK_FIRST = "SELECT a.msg_date, a.message_key FROM imapsync_activity a"
            + " WHERE a.contact_id = ? ORDER BY a.msg_date DESC, a.message_key DESC LIMIT ?";
    private static final String WALK_AFTER = "SELECT a.msg_date, a.message_key FROM imapsync_activity a"
            + " WHERE a.contact_id = ? AND a.msg_date <= ? AND (a.msg_date < ? OR a.message_key < ?)"
            + " ORDER BY a.msg_date DESC, a.message_key DESC LIMIT ?";
    /** The reads of {@code JdbcTimeline} (keep in step with it): the page's messages, and the contact's rows of them. */
    private static final String READ_MESSAGES = "SELECT m.message_key, m.account_id, m.folder, m.uid, m.from_addr,"
            + " m.from_name, m.from_norm, m.subject, m.thread_id FROM imapsync_message m WHERE m.message_key IN ($IN)"
            + " ORDER BY m.message_key, m.account_id";
    private static final String READ_ROLES = "SELECT m.message_key, a.role, a.msg_date, CASE WHEN EXISTS (SELECT 1"
            + " FROM imapsync_own_address o WHERE o.address = a.from_norm) THEN 1 ELSE 0 END AS own"
            + " FROM imapsync_message m JOIN imapsync_activity a ON a.account_id = m.account_id"
            + " AND a.message_key = m.message_key AND a.contact_id = ? WHERE m.message_key IN ($IN)";
    /** The baseline page: what a host writes on the table. */
    private static final String NAIVE_PAGE = "SELECT a.message_key, MAX(a.msg_date) AS msg_date,"
            + " MAX(a.subject) AS subject, MAX(a.from_addr) AS from_addr FROM imapsync_activity a"
            + " WHERE a.contact_id = ? GROUP BY a.message_key ORDER BY MAX(a.msg_date) DESC, a.message_key DESC"
            + " LIMIT ? OFFSET ?";
    /** The baseline summary, one contact per query. */
    private static final String NAIVE_SUMMARY = "SELECT COUNT(DISTINCT a.message_key) AS messages,"
            + " MAX(CASE WHEN a.direction = 'INBOUND' THEN a.msg_date END) AS last_in,"
            + " MAX(CASE WHEN a.direction = 'OUTBOUND' THEN a.msg_date END) AS last_out"
            + " FROM imapsync_activity a WHERE a.contact_id = ?";

    private TimelineBenchmark() {
    }

    static void run(String[] args) throws Exception {
        long rows = 1_000_000;
        int repetitions = 200;
        double maxSeconds = 20;
        List<BenchDatabase> databases = new ArrayList<>(BenchDatabase.available());
        databases.remove(BenchDatabase.H2_MEM);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i].replace(",", "").replace("_", ""));
                case "--repetitions" -> repetitions = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Double.parseDouble(args[++i]);
                case "--databases" -> databases = BenchDatabase.parse(args[++i]);
                default -> {
                    System.err.println("usage: timeline [--rows N (1000000)] [--repetitions N (200)]"
                            + " [--max-seconds S per case (20)] [--databases h2-file,postgresql,mariadb]");
                    System.exit(2);
                }
            }
        }
        System.out.printf("timeline: %,d activity rows per database; contact '%s' holds %,d entries; page of %d;"
                        + " %d calls per case after %d warm-up calls (fewer if a case passes %.0f s); one thread,"
                        + " one pooled connection%n", rows, TimelineFill.BIG, TimelineFill.BIG_ENTRIES, PAGE,
                repetitions, warmups(repetitions), maxSeconds);
        System.out.printf("databases: %s%n%n", databases.stream().map(d -> d.label).toList());
        List<String> table = new ArrayList<>();
        for (BenchDatabase database : databases) {
            try (BenchDatabase.Instance db = database.create(true)) {
                table.addAll(measure(db, rows, repetitions, maxSeconds));
            }
        }
        System.out.println();
        System.out.printf("%-12s %-34s %10s %10s %7s%n", "database", "case", "median ms", "p95 ms", "calls");
        table.forEach(System.out::println);
    }

    private static int warmups(int repetitions) {
        return Math.max(10, repetitions / 5);
    }

    private static List<String> measure(BenchDatabase.Instance db, long rows, int repetitions, double maxSeconds)
            throws Exception {
        String label = db.kind.label;
        JdbcSchema.migrate(db.dataSource());
        TimelineFill fill = TimelineFill.plan(db.kind, rows);
        long start = System.nanoTime();
        long written;
        try (Connection c = db.newConnection()) {
            written = fill.fill(c);
        }
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s (%s): %,d messages, %,d activity rows, %,d contacts filled and analyzed"
                        + " in %.1f s (%,.0f rows/s)%n", label, db.description, fill.messages, written,
                fill.contacts + 1, fillSeconds, written / fillSeconds);

        if (db.kind == BenchDatabase.H2_FILE) {
            // H2 hands back the last result of a query it has already run when no table changed: measure the query
            execute(db, "SET OPTIMIZE_REUSE_RESULTS 0");
        }
        printPlans(db);
        JdbcSyncStore store = JdbcSyncStore.create(db.dataSource());
        ContactSummary big = store.summaries(List.of(TimelineFill.BIG)).get(TimelineFill.BIG);
        if (big.messages() != TimelineFill.BIG_ENTRIES) {
            throw new IllegalStateException(label + ": contact " + TimelineFill.BIG + " has " + big.messages()
                    + " messages, not " + TimelineFill.BIG_ENTRIES + ": the fill is wrong");
        }
        TimelineQuery first = TimelineQuery.forContact(TimelineFill.BIG).pageSize(PAGE);
        // PostgreSQL: also through a connection whose statements are never prepared on the server (custom plans)
        java.util.Optional<javax.sql.DataSource> custom = db.customPlanDataSource();
        JdbcSyncStore walker = custom.map(JdbcSyncStore::create).orElse(store);
        long walkStart = System.nanoTime();
        Walk walk = cursorAt(walker, DEEP, maxSeconds * 6);
        double walkSeconds = (System.nanoTime() - walkStart) / 1e9;
        System.out.printf(Locale.ROOT, "  cursor at entry %,d reached in %.2f s (pages of %d%s)%n", walk.entry,
                walkSeconds, TimelineQuery.MAX_PAGE_SIZE, custom.isPresent() ? ", prepareThreshold=0" : "");
        TimelineQuery deep = first.after(walk.cursor);
        String at = String.format(Locale.ROOT, "%,d", walk.entry);

        List<String> lines = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            check(label, "first page", store.timeline(first), naivePage(c, 0));
            check(label, "deep page", store.timeline(deep), naivePage(c, walk.entry));
        }
        lines.add(line(label, "first page, TimelineStore", time(repetitions, maxSeconds, () -> store.timeline(first))));
        if (custom.isPresent()) {
            lines.add(line(label, "first page, prepareThreshold=0", time(repetitions, maxSeconds,
                    () -> walker.timeline(first))));
        }
        lines.add(line(label, "first page, baseline SQL", time(repetitions, maxSeconds,
                () -> naive(db, 0))));
        lines.add(line(label, "page at " + at + ", TimelineStore", time(repetitions, maxSeconds,
                () -> store.timeline(deep))));
        if (custom.isPresent()) {
            lines.add(line(label, "page at " + at + ", prepareThreshold=0", time(repetitions, maxSeconds,
                    () -> walker.timeline(deep))));
        }
        lines.add(line(label, "page at " + at + ", baseline OFFSET", time(repetitions, maxSeconds,
                () -> naive(db, walk.entry))));
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < SUMMARY_CONTACTS; n++) {
            ids.add("c" + n);
        }
        int summaryCalls = Math.max(10, repetitions / 10);
        lines.add(line(label, "1,000 summaries, TimelineStore", time(summaryCalls, maxSeconds,
                () -> store.summaries(ids))));
        lines.add(line(label, "1,000 summaries, baseline 1/query", time(Math.max(5, summaryCalls / 4), maxSeconds,
                () -> naiveSummaries(db, ids))));
        lines.forEach(l -> System.out.println("  " + l.substring(13).strip()));
        System.out.println();
        return lines;
    }

    /** The plans of the queries behind a page: JdbcTimeline's walk (first page, after a cursor), its reads, the baseline. */
    private static void printPlans(BenchDatabase.Instance db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            List<Instant> dates = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            try (PreparedStatement walk = c.prepareStatement(WALK_FIRST)) {
                walk.setString(1, TimelineFill.BIG);
                walk.setInt(2, PAGE * 3 + 3);
                try (ResultSet rs = walk.executeQuery()) {
                    while (rs.next()) {
                        dates.add(rs.getTimestamp(1).toInstant());
                        keys.add(rs.getString(2));
                    }
                }
            }
            List<String> distinct = keys.stream().distinct().toList();
            Object[] byKey = distinct.toArray();
            Object[] contactAndKeys = new Object[distinct.size() + 1];
            contactAndKeys[0] = TimelineFill.BIG;
            System.arraycopy(byKey, 0, contactAndKeys, 1, byKey.length);
            String in = String.join(", ", java.util.Collections.nCopies(distinct.size(), "?"));
            System.out.println("  plan, first page (JdbcTimeline's walk):");
            plan(c, db.kind, WALK_FIRST, TimelineFill.BIG, PAGE * 3 + 3);
            System.out.println("  plan, page after a cursor (JdbcTimeline's walk):");
            int last = keys.size() - 1;
            plan(c, db.kind, WALK_AFTER, TimelineFill.BIG, dates.get(last), dates.get(last), keys.get(last),
                    PAGE * 3 + 3);
            System.out.println("  plan, the page's " + distinct.size() + " messages by key (JdbcTimeline's read):");
            plan(c, db.kind, READ_MESSAGES.replace("$IN", in), byKey);
            System.out.println("  plan, the contact's rows of those messages (JdbcTimeline's read):");
            plan(c, db.kind, READ_ROLES.replace("$IN", in), contactAndKeys);
            System.out.println("  plan, baseline page at 50,000:");
            plan(c, db.kind, NAIVE_PAGE, TimelineFill.BIG, PAGE, DEEP);
        }
    }

    private static void execute(BenchDatabase.Instance db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private record Walk(String cursor, int entry) {
    }

    /**
     * Follows the cursors, pages as large as allowed, to the cursor after entry {@code entry}, or
     * as far as it got in {@code maxSeconds}.
     */
    private static Walk cursorAt(JdbcSyncStore store, int entry, double maxSeconds) {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        TimelineQuery query = TimelineQuery.forContact(TimelineFill.BIG).pageSize(TimelineQuery.MAX_PAGE_SIZE);
        String cursor = null;
        int read = 0;
        while (read < entry && (cursor == null || System.nanoTime() < deadline)) {
            TimelinePage page = store.timeline(cursor == null ? query : query.after(cursor));
            cursor = page.next().orElseThrow(() -> new IllegalStateException("the timeline ended before " + entry));
            read += page.entries().size();
        }
        if (read < entry) {
            System.out.printf(Locale.ROOT, "  the walk to entry %,d stopped at %,d after %.0f s%n", entry, read,
                    maxSeconds);
        }
        return new Walk(cursor, read);
    }

    /** The API's page must hold the baseline's messages, in its order. */
    private static void check(String label, String what, TimelinePage page, List<String> naiveKeys) {
        List<String> keys = page.entries().stream().map(TimelineEntry::messageKey).map(k -> k.value()).toList();
        if (!keys.equals(naiveKeys)) {
            throw new IllegalStateException(label + ": the " + what + " differs from the baseline's: " + keys
                    + " against " + naiveKeys);
        }
        System.out.printf("  %s: the same %d messages as the baseline's (%s ... %s)%n", what, keys.size(),
                keys.get(0), keys.get(keys.size() - 1));
    }

    private static List<String> naive(BenchDatabase.Instance db, int offset) {
        try (Connection c = db.dataSource().getConnection()) {
            return naivePage(c, offset);
        } catch (SQLException e) {
            throw new IllegalStateException(db.kind.label + ": the baseline page failed: " + e.getMessage(), e);
        }
    }

    private static List<String> naivePage(Connection c, int offset) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(NAIVE_PAGE)) {
            select.setString(1, TimelineFill.BIG);
            select.setInt(2, PAGE);
            select.setInt(3, offset);
            List<String> keys = new ArrayList<>(PAGE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString("message_key"));
                    rs.getObject("msg_date");
                    rs.getString("subject");
                    rs.getString("from_addr");
                }
            }
            return keys;
        }
    }

    private static long naiveSummaries(BenchDatabase.Instance db, List<String> ids) {
        long messages = 0;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(NAIVE_SUMMARY)) {
            for (String id : ids) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    messages += rs.getLong("messages");
                    rs.getObject("last_in");
                    rs.getObject("last_out");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(db.kind.label + ": the baseline summaries failed: " + e.getMessage(), e);
        }
        return messages;
    }

    private interface Call {
        Object call() throws Exception;
    }

    /** Milliseconds of each timed call, sorted; warm-up calls first, untimed; stops early past {@code maxSeconds}. */
    private static double[] time(int repetitions, double maxSeconds, Call call) throws Exception {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        int sink = 0;
        for (int i = 0; i < warmups(repetitions) && System.nanoTime() < deadline; i++) {
            sink += call.call().hashCode();
        }
        deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        double[] millis = new double[repetitions];
        int done = 0;
        while (done < repetitions && (done < 5 || System.nanoTime() < deadline)) {
            long start = System.nanoTime();
            sink += call.call().hashCode();
            millis[done++] = (System.nanoTime() - start) / 1e6;
        }
        if (sink == 42) {
            System.out.print("");
        }
        double[] out = Arrays.copyOf(millis, done);
        Arrays.sort(out);
        return out;
    }

    private static String line(String database, String what, double[] millis) {
        double median = millis[millis.length / 2];
        double p95 = millis[Math.min(millis.length - 1, (int) Math.ceil(millis.length * 0.95) - 1)];
        return String.format(Locale.ROOT, "%-12s %-34s %10.2f %10.2f %7d", database, what, median, p95, millis.length);
    }

    /** Prints the database's plan of {@code sql} with these parameters (PostgreSQL: executed, with buffers). */
    private static void plan(Connection c, BenchDatabase kind, String sql, Object... parameters) throws SQLException {
        String explain = (kind == BenchDatabase.POSTGRESQL ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ") + sql;
        try (PreparedStatement statement = c.prepareStatement(explain)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p instanceof Instant instant) {
                    statement.setObject(i + 1, kind == BenchDatabase.MARIADB
                            ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
                            : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
                } else {
                    statement.setObject(i + 1, p);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (kind == BenchDatabase.MARIADB) {
                        System.out.printf("    table=%s type=%s key=%s rows=%s Extra=%s%n", rs.getString("table"),
                                rs.getString("type"), rs.getString("key"), rs.getString("rows"),
                                rs.getString("Extra"));
                    } else {
                        for (String line : rs.getString(1).split("\n")) {
                            // the page's keys, abridged
                            line = line.replaceAll("('\\{[^,}]*,[^,}]*,)[^}]*(\\}')", "$1 …$2")
                                    .replaceAll("(ARRAY\\[\\$\\d+, \\$\\d+,)[^\\]]*\\]", "$1 …]")
                                    .replaceAll("(IN\\(\\?\\d+, \\?\\d+,)[^)]*\\)", "$1 …)");
                            System.out.println("    " + line);
                        }
                    }
                }
            }
        }
    }
}
