package dev.imapsync.benchmarks;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.jdbc.JdbcContactMatcher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code java -jar benchmarks.jar jdbc-matcher [options]}: look-ups per second of
 * {@link JdbcContactMatcher} against a contacts table of {@code --contacts} (1,000,000) rows,
 * and of {@link InMemoryContactMatcher} over the same contacts in the same run, as the baseline.
 *
 * <p>Contact {@code n} (id {@code n}) has the first one or two addresses of
 * {@link MatchingData#addresses} (about two thirds have two; every other contact's are stored
 * capitalized, as people type them, so the look-up depends on {@code LOWER(..)}). Two layouts
 * are filled, once per run, with batched inserts in a database made for the run and removed
 * after it, then indexed as the JDBC module's README recommends ({@code LOWER(email)} expression indexes on
 * PostgreSQL; on MariaDB a stored generated lower-case column with an index; on H2, which has no
 * expression indexes, the same generated column with an index) and analyzed; the plan of a
 * one-address look-up is printed, so a table scan shows:
 * <ul>
 *   <li>{@code columns}: {@code bench_contacts(id, name, email, email2)},
 *   {@code .table("bench_contacts").idColumn("id").emailColumns("email", "email2")};</li>
 *   <li>{@code address-table}: {@code bench_contact_emails(contact_id, email)}, one row per
 *   address, {@code .addressTable("bench_contact_emails", "contact_id", "email")}.</li>
 * </ul>
 * Look-ups: 65,536 normalized addresses in random order, {@code --hit-percent} (30) of them a
 * contact's and the rest nobody's. {@code matchAll} is given {@code --batch-addresses} (1,000)
 * distinct addresses per call, what a 500-message batch of about three addresses per message
 * asks after repeated correspondents are merged, as the sync asks once per batch; {@code match}
 * one address per call. Each case runs {@code --warmup} seconds untimed, then {@code --seconds}
 * timed. Before timing, the JDBC answers are compared with the in-memory ones on the first
 * batches.
 */
final class JdbcMatcherBenchmark {
    private static final int LOOKUPS = 1 << 16;
    private static final int MESSAGES_PER_BATCH = 500;
    private static final int FILL_BATCH = 1_000;
    private static final int FILL_COMMIT = 50_000;

    private JdbcMatcherBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int contacts = MatchingData.CONTACTS;
        double seconds = 5;
        double warmup = 2;
        int hitPercent = 30;
        int batchAddresses = 1_000;
        List<BenchDatabase> databases = new ArrayList<>(BenchDatabase.available());
        databases.remove(BenchDatabase.H2_MEM); // the file database is the CLI's kind; --databases h2-mem to add it
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--hit-percent" -> hitPercent = Integer.parseInt(args[++i]);
                case "--batch-addresses" -> batchAddresses = Integer.parseInt(args[++i]);
                case "--databases" -> databases = BenchDatabase.parse(args[++i]);
                default -> {
                    System.err.println("usage: jdbc-matcher [--contacts N (1000000)] [--seconds S (5)] [--warmup S (2)]"
                            + " [--hit-percent P (30)] [--batch-addresses N (1000)]"
                            + " [--databases h2-mem,h2-file,postgresql,mariadb]");
                    System.exit(2);
                }
            }
        }
        String[] lookups = lookups(contacts, hitPercent);
        List<Set<String>> batches = batches(lookups, batchAddresses);
        System.out.printf("jdbc-matcher: %,d contacts; %,d look-ups, %d%% a contact's; matchAll with %,d distinct"
                        + " addresses per call (a %d-message batch); %.0f s warm-up + %.0f s per case; one thread%n",
                contacts, LOOKUPS, hitPercent, batchAddresses, MESSAGES_PER_BATCH, warmup, seconds);
        System.out.printf("databases: %s%n%n", databases.stream().map(d -> d.label).toList());

        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder().gmailCanonicalization(false);
        long rows = 0;
        for (int n = 0; n < contacts; n++) {
            String[] own = stored(n);
            builder.add(ContactRef.of(Long.toString(n)), Arrays.asList(own));
            rows += own.length;
        }
        InMemoryContactMatcher memory = builder.build();
        System.out.printf("in-memory: %s (%,d addresses)%n", memory, rows);

        List<Result> results = new ArrayList<>();
        results.add(measure("in-memory", "-", memory, batches, lookups, warmup, seconds));
        List<String> fills = new ArrayList<>();
        for (BenchDatabase database : databases) {
            try (BenchDatabase.Instance db = database.create(true)) {
                fills.add(fill(db, contacts));
                // as the JDBC README says: PostgreSQL an expression index on LOWER(email); H2 and MariaDB a generated
                // lower-case column with a plain index, compared as it is (storedLowerCase)
                boolean lowered = db.kind != BenchDatabase.POSTGRESQL;
                JdbcContactMatcher columns = JdbcContactMatcher.builder(db.dataSource()).table("bench_contacts")
                        .idColumn("id").emailColumns(lowered ? new String[] {"email_lower", "email2_lower"}
                                : new String[] {"email", "email2"})
                        .storedLowerCase(lowered).build();
                JdbcContactMatcher table = JdbcContactMatcher.builder(db.dataSource())
                        .addressTable("bench_contact_emails", "contact_id", lowered ? "email_lower" : "email")
                        .storedLowerCase(lowered).build();
                for (Object[] layout : new Object[][] {{"columns", columns}, {"address-table", table}}) {
                    JdbcContactMatcher matcher = (JdbcContactMatcher) layout[1];
                    check(database.label + " " + layout[0], matcher, memory, batches);
                    results.add(measure(database.label, (String) layout[0], matcher, batches, lookups, warmup, seconds));
                }
            }
        }
        print(results, fills, batchAddresses);
    }

    /** Contact {@code n}'s addresses as the host stored them: one or two, every other contact's capitalized. */
    static String[] stored(int n) {
        String[] all = MatchingData.addresses(n);
        String[] own = Arrays.copyOf(all, Math.min(2, all.length));
        if (n % 2 == 1) {
            own = MatchingData.capitalized(own);
        }
        return own;
    }

    private static String[] lookups(int contacts, int hitPercent) {
        SplittableRandom random = new SplittableRandom(7);
        int hits = LOOKUPS * hitPercent / 100;
        List<String> targets = new ArrayList<>(LOOKUPS);
        for (int i = 0; i < LOOKUPS; i++) {
            String[] own = i < hits ? Arrays.copyOf(MatchingData.addresses(random.nextInt(contacts)), 2)
                    : MatchingData.addresses(MatchingData.CONTACTS + random.nextInt(MatchingData.CONTACTS));
            String pick = own[random.nextInt(own.length)];
            targets.add(pick != null ? pick : own[0]);
        }
        Collections.shuffle(targets, new Random(7));
        String[] out = new String[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            out[i] = new String(targets.get(i).getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        }
        return out;
    }

    private static List<Set<String>> batches(String[] lookups, int size) {
        List<Set<String>> batches = new ArrayList<>();
        Set<String> batch = new LinkedHashSet<>();
        for (String lookup : lookups) {
            batch.add(lookup);
            if (batch.size() == size) {
                batches.add(batch);
                batch = new LinkedHashSet<>();
            }
        }
        return batches;
    }

    /** Creates, fills, indexes and analyzes both layouts; returns the line that reports the times. */
    private static String fill(BenchDatabase.Instance db, int contacts) throws SQLException {
        boolean maria = db.kind == BenchDatabase.MARIADB;
        long rows = 0;
        long start = System.nanoTime();
        double insertSeconds;
        try (Connection c = db.newConnection()) {
            boolean generated = maria || db.kind == BenchDatabase.H2_MEM || db.kind == BenchDatabase.H2_FILE;
            // H2 and MariaDB: the JDBC README's advice, a generated lower-case column with a plain index, which the
            // matcher compares as it is (storedLowerCase); PostgreSQL: an expression index on LOWER(email)
            String gen = !generated ? "" : maria ? ", %s_lower VARCHAR(320) AS (LOWER(%s)) STORED"
                    : ", %s_lower VARCHAR(320) GENERATED ALWAYS AS (LOWER(%s))";
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench_contacts (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
                        + " email VARCHAR(320), email2 VARCHAR(320)" + gen.formatted("email", "email")
                        + gen.formatted("email2", "email2") + ")");
                s.execute("CREATE TABLE bench_contact_emails (contact_id BIGINT NOT NULL, email VARCHAR(320) NOT NULL"
                        + gen.formatted("email", "email") + ")");
            }
            c.setAutoCommit(false);
            try (PreparedStatement contact = c.prepareStatement(
                    "INSERT INTO bench_contacts (id, name, email, email2) VALUES (?, ?, ?, ?)");
                 PreparedStatement address = c.prepareStatement(
                         "INSERT INTO bench_contact_emails (contact_id, email) VALUES (?, ?)")) {
                for (int n = 0; n < contacts; n++) {
                    String[] own = stored(n);
                    contact.setLong(1, n);
                    contact.setString(2, "Contact " + n);
                    contact.setString(3, own[0]);
                    if (own.length > 1) {
                        contact.setString(4, own[1]);
                    } else {
                        contact.setNull(4, Types.VARCHAR);
                    }
                    contact.addBatch();
                    for (String a : own) {
                        address.setLong(1, n);
                        address.setString(2, a);
                        address.addBatch();
                        rows++;
                    }
                    if ((n + 1) % FILL_BATCH == 0 || n + 1 == contacts) {
                        contact.executeBatch();
                        address.executeBatch();
                    }
                    if ((n + 1) % FILL_COMMIT == 0 || n + 1 == contacts) {
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            insertSeconds = (System.nanoTime() - start) / 1e9;
            long indexStart = System.nanoTime();
            try (Statement s = c.createStatement()) {
                if (generated) {
                    s.execute("CREATE INDEX bench_contacts_email_lower ON bench_contacts (email_lower)");
                    s.execute("CREATE INDEX bench_contacts_email2_lower ON bench_contacts (email2_lower)");
                    s.execute("CREATE INDEX bench_contact_emails_lower ON bench_contact_emails (email_lower)");
                    s.execute(maria ? "ANALYZE TABLE bench_contacts, bench_contact_emails" : "ANALYZE");
                } else {
                    s.execute("CREATE INDEX bench_contacts_email_lower ON bench_contacts (LOWER(email))");
                    s.execute("CREATE INDEX bench_contacts_email2_lower ON bench_contacts (LOWER(email2))");
                    s.execute("CREATE INDEX bench_contact_emails_lower ON bench_contact_emails (LOWER(email))");
                    s.execute("ANALYZE");
                }
            }
            double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
            String line = String.format(Locale.ROOT, "%-14s fill: %,d contacts + %,d address rows inserted in %.1f s"
                            + " (%,.0f rows/s), indexed and analyzed in %.1f s",
                    db.kind.label, contacts, rows, insertSeconds, (contacts + rows) / insertSeconds, indexSeconds);
            System.out.println(line);
            String compared = generated ? "email_lower" : "LOWER(email)";
            System.out.println("  plan (columns, 1 address): " + plan(c, db.kind,
                    "SELECT id FROM bench_contacts WHERE " + compared + " IN ('anna.schmidt.1@gmail.com')"));
            System.out.println("  plan (address table):      " + plan(c, db.kind,
                    "SELECT contact_id FROM bench_contact_emails WHERE " + compared + " IN ('anna.schmidt.1@gmail.com')"));
            return line;
        }
    }

    private static String plan(Connection c, BenchDatabase kind, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                if (kind == BenchDatabase.MARIADB) {
                    out.append("type=").append(rs.getString("type")).append(" key=").append(rs.getString("key"))
                            .append(" rows=").append(rs.getString("rows")).append("; ");
                } else {
                    for (int i = 1; i <= columns; i++) {
                        out.append(rs.getString(i).replaceAll("\\s+", " ").strip()).append(" | ");
                    }
                }
            }
        }
        String text = out.toString();
        return text.length() > 220 ? text.substring(0, 220) + "…" : text;
    }

    /** The JDBC answers must be the in-memory ones. */
    private static void check(String label, ContactMatcher jdbc, ContactMatcher memory, List<Set<String>> batches) {
        int hits = 0;
        int addresses = 0;
        for (int b = 0; b < Math.min(1, batches.size()); b++) {
            Map<String, List<ContactRef>> got = jdbc.matchAll(batches.get(b));
            Map<String, List<ContactRef>> want = new HashMap<>(memory.matchAll(batches.get(b)));
            want.values().removeIf(List::isEmpty);
            got = new HashMap<>(got);
            got.values().removeIf(List::isEmpty);
            Map<String, Set<ContactRef>> g = new HashMap<>();
            got.forEach((k, v) -> g.put(k, Set.copyOf(v)));
            Map<String, Set<ContactRef>> w = new HashMap<>();
            want.forEach((k, v) -> w.put(k, Set.copyOf(v)));
            if (!g.equals(w)) {
                throw new IllegalStateException(label + ": JdbcContactMatcher answered " + g.size()
                        + " addresses differently from InMemoryContactMatcher (" + w.size() + ")");
            }
            hits += w.size();
            addresses += batches.get(b).size();
        }
        System.out.printf("  %s: same answers as in-memory on %,d addresses (%,d matched)%n", label, addresses, hits);
    }

    private record Result(String database, String layout, double batchRate, double batchMillis, double singleRate,
                          double singleMicros) {
    }

    private static Result measure(String database, String layout, ContactMatcher matcher, List<Set<String>> batches,
                                  String[] lookups, double warmup, double seconds) {
        long sink = 0;
        // matchAll, one batch per call
        int cursor = 0;
        long calls = 0;
        long addresses = 0;
        long deadline = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < deadline) {
            sink += matcher.matchAll(batches.get(cursor++ % batches.size())).size();
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            Set<String> batch = batches.get(cursor++ % batches.size());
            sink += matcher.matchAll(batch).size();
            calls++;
            addresses += batch.size();
            now = System.nanoTime();
        } while (now < end);
        double batchSeconds = (now - start) / 1e9;
        // match, one address per call
        int i = 0;
        deadline = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < deadline) {
            sink += matcher.match(lookups[i++ & (LOOKUPS - 1)]).size();
        }
        long singles = 0;
        start = System.nanoTime();
        end = start + (long) (seconds * 1e9);
        do {
            sink += matcher.match(lookups[i++ & (LOOKUPS - 1)]).size();
            singles++;
            now = System.nanoTime();
        } while (now < end);
        double singleSeconds = (now - start) / 1e9;
        Result r = new Result(database, layout, addresses / batchSeconds, batchSeconds * 1000 / calls,
                singles / singleSeconds, singleSeconds * 1e6 / singles);
        System.out.printf("  %s %s: matchAll %,.0f addresses/s, match %,.0f/s (%d)%n", database, layout, r.batchRate,
                r.singleRate, sink & 1);
        return r;
    }

    private static void print(List<Result> results, List<String> fills, int batchAddresses) {
        Result baseline = results.get(0);
        System.out.println();
        System.out.println("Contact matching: look-ups per second, one thread");
        System.out.printf("%-14s %-14s %14s %10s %12s %10s %12s %10s %10s%n", "database", "layout",
                "matchAll adr/s", "ms/call", "msgs/s bound", "x in-mem", "match /s", "us/call", "x in-mem");
        for (Result r : results) {
            System.out.printf("%-14s %-14s %,14.0f %10.3f %,12.0f %10.5f %,12.0f %10.2f %10.5f%n", r.database,
                    r.layout, r.batchRate, r.batchMillis, MESSAGES_PER_BATCH / (r.batchMillis / 1000),
                    r.batchRate / baseline.batchRate, r.singleRate, r.singleMicros, r.singleRate / baseline.singleRate);
        }
        System.out.printf("(matchAll: %,d distinct addresses per call, the addresses of a %d-message batch; msgs/s bound:"
                + " the messages per second a sync could match at that rate)%n", batchAddresses, MESSAGES_PER_BATCH);
        System.out.println();
        fills.forEach(System.out::println);
    }
}
