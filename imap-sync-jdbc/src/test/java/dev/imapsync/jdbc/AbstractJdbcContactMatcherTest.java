package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactRef;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JdbcContactMatcher} on one database of the test's own; subclasses say which. */
abstract class AbstractJdbcContactMatcherTest {
    private TestDatabase database;
    private DataSource ds;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @BeforeEach
    void createContacts() throws SQLException {
        database = newDatabase();
        ds = database.dataSource();
        execute("CREATE TABLE crm_contacts (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(255), email2 VARCHAR(255))");
        execute("INSERT INTO crm_contacts (id, name, email, email2) VALUES"
                + " (1, 'Alice', 'Alice@Example.COM', NULL),"
                + " (2, 'Bob', 'bob@example.com', 'Bob.Work@Corp.Example'),"
                + " (3, 'Shared A', NULL, 'shared@example.com'),"
                + " (4, 'Shared B', 'SHARED@example.com', NULL),"
                + " (9, 'Nine', 'both@example.com', NULL),"
                + " (10, 'Ten', NULL, 'Both@Example.com'),"
                + " (11, 'Nobody', NULL, NULL),"
                + " (12, 'Self', 'self@example.com', 'SELF@example.com')");
        execute("CREATE TABLE crm_contact_emails (contact_id VARCHAR(40) NOT NULL, email VARCHAR(255))");
        execute("INSERT INTO crm_contact_emails (contact_id, email) VALUES"
                + " ('c-1', 'Carol@X.example'), ('c-1', 'carol.alt@x.example'), ('c-1', 'CAROL@x.example'),"
                + " ('c-2', 'carol@x.example'), ('c-3', NULL), ('c-4', 'dave@y.example')");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private JdbcContactMatcher columnsMatcher() {
        return JdbcContactMatcher.builder(ds).table("crm_contacts").idColumn("id").emailColumns("email", "email2").build();
    }

    private static List<ContactRef> refs(String... ids) {
        return java.util.Arrays.stream(ids).map(ContactRef::of).toList();
    }

    @Test
    void matchesAddressColumnsIgnoringCaseAndNulls() {
        JdbcContactMatcher matcher = columnsMatcher();
        assertThat(matcher.match("alice@example.com")).isEqualTo(refs("1"));
        assertThat(matcher.match("bob@example.com")).isEqualTo(refs("2"));
        assertThat(matcher.match("bob.work@corp.example")).isEqualTo(refs("2"));
        assertThat(matcher.match("self@example.com")).as("one contact, both columns: once").isEqualTo(refs("12"));
        assertThat(matcher.match("shared@example.com")).isEqualTo(refs("3", "4"));
        assertThat(matcher.match("both@example.com")).as("ordered by id, numerically").isEqualTo(refs("9", "10"));
        assertThat(matcher.match("nobody@example.com")).isEmpty();
        assertThat(matcher.match("")).isEmpty();
    }

    @Test
    void matchAllAnswersEveryAddressWithContacts() {
        Map<String, List<ContactRef>> found = columnsMatcher().matchAll(Set.of("alice@example.com", "bob.work@corp.example",
                "shared@example.com", "both@example.com", "unknown@example.com", "also-unknown@example.org"));
        assertThat(found).containsOnlyKeys("alice@example.com", "bob.work@corp.example", "shared@example.com",
                "both@example.com");
        assertThat(found.get("alice@example.com")).isEqualTo(refs("1"));
        assertThat(found.get("bob.work@corp.example")).isEqualTo(refs("2"));
        assertThat(found.get("shared@example.com")).isEqualTo(refs("3", "4"));
        assertThat(found.get("both@example.com")).isEqualTo(refs("9", "10"));
        assertThat(columnsMatcher().matchAll(Set.of())).isEmpty();
        assertThat(columnsMatcher().matchAll(Set.of("nothing@example.com"))).isEmpty();
    }

    @Test
    void comparesAGeneratedLowerCaseColumnAsItIsSoAPlainIndexServes() throws SQLException {
        SqlDialect dialect;
        try (Connection c = ds.getConnection()) {
            dialect = SqlDialect.detect(c);
        }
        String generated = switch (dialect) {
            case H2 -> "GENERATED ALWAYS AS (LOWER(email))";
            case POSTGRESQL -> "GENERATED ALWAYS AS (LOWER(email)) STORED";
            case MYSQL -> "AS (LOWER(email)) STORED";
        };
        execute("ALTER TABLE crm_contacts ADD email_lower VARCHAR(255) " + generated);
        execute("CREATE INDEX crm_contacts_email_lower ON crm_contacts (email_lower)");
        JdbcContactMatcher matcher = JdbcContactMatcher.builder(ds).table("crm_contacts").idColumn("id")
                .emailColumns("email_lower").storedLowerCase(true).build();

        assertThat(matcher.match("alice@example.com")).isEqualTo(refs("1"));
        assertThat(matcher.match("shared@example.com")).isEqualTo(refs("4"));
        assertThat(matcher.matchAll(Set.of("bob@example.com", "both@example.com", "nobody@example.com")))
                .containsOnlyKeys("bob@example.com", "both@example.com");
        assertThat(matcher.sql(2)).doesNotContainIgnoringCase("LOWER(");
        if (dialect == SqlDialect.H2) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet plan = s.executeQuery("EXPLAIN " + matcher.sql(1).replace("?", "'alice@example.com'"))) {
                plan.next();
                assertThat(plan.getString(1)).as("H2's plan").containsIgnoringCase("CRM_CONTACTS_EMAIL_LOWER");
            }
        }
    }

    @Test
    void matchesASeparateAddressTable() {
        JdbcContactMatcher matcher = JdbcContactMatcher.builder(ds)
                .addressTable("crm_contact_emails", "contact_id", "email").build();
        assertThat(matcher.match("carol@x.example")).as("distinct, ordered").isEqualTo(refs("c-1", "c-2"));
        assertThat(matcher.match("carol.alt@x.example")).isEqualTo(refs("c-1"));
        assertThat(matcher.match("dave@y.example")).isEqualTo(refs("c-4"));
        assertThat(matcher.matchAll(Set.of("carol@x.example", "dave@y.example", "eve@z.example")))
                .containsOnlyKeys("carol@x.example", "dave@y.example");
    }

    @Test
    void takesTheSchemaAndAnExplicitDialect() throws SQLException {
        String schema;
        SqlDialect dialect;
        try (Connection c = ds.getConnection()) {
            dialect = SqlDialect.detect(c);
            schema = dialect == SqlDialect.MYSQL ? c.getCatalog() : c.getSchema();
        }
        JdbcContactMatcher matcher = JdbcContactMatcher.builder(ds).schema(schema).dialect(dialect)
                .table("crm_contacts").idColumn("id").emailColumns("email").build();
        assertThat(matcher.match("alice@example.com")).isEqualTo(refs("1"));
        JdbcContactMatcher unverified = JdbcContactMatcher.builder(ds).dialect(dialect).verify(false)
                .table("crm_contacts").idColumn("id").emailColumns("email", "email2").build();
        assertThat(unverified.match("shared@example.com")).isEqualTo(refs("3", "4"));
    }

    @Test
    void matchesTwoThousandAddressesInOneCallOnOneConnection() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_contacts (id, email, email2) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 2000; i++) {
                    insert.setLong(1, 1000 + i);
                    insert.setString(2, i % 2 == 0 ? "User" + i + "@Bulk.Example" : null);
                    insert.setString(3, i % 2 == 1 ? "user" + i + "@BULK.example" : null);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger statements = new AtomicInteger();
        DataSource counting = counting(ds, connections, statements);
        JdbcContactMatcher matcher = JdbcContactMatcher.builder(counting)
                .table("crm_contacts").idColumn("id").emailColumns("email", "email2").build();
        connections.set(0);
        statements.set(0);
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            addresses.add("user" + i + "@bulk.example");
        }
        addresses.add("alice@example.com");
        addresses.add("missing@bulk.example");
        Map<String, List<ContactRef>> found = matcher.matchAll(addresses);
        assertThat(found).hasSize(2001).doesNotContainKey("missing@bulk.example");
        for (int i = 0; i < 2000; i++) {
            assertThat(found.get("user" + i + "@bulk.example")).isEqualTo(refs(String.valueOf(1000 + i)));
        }
        assertThat(connections.get()).isEqualTo(1);
        // two address columns: 250 addresses (500 parameters) per statement
        assertThat(statements.get()).isEqualTo((2002 + 249) / 250);
    }

    @Test
    void isSafeForConcurrentCalls() throws Exception {
        JdbcContactMatcher matcher = columnsMatcher();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Map<String, List<ContactRef>>>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> matcher.matchAll(Set.of("shared@example.com", "alice@example.com")));
            }
            for (Future<Map<String, List<ContactRef>>> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                assertThat(f.get()).isEqualTo(Map.of("shared@example.com", refs("3", "4"), "alice@example.com", refs("1")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsAMissingTableOrColumnClearly() {
        assertThatThrownBy(() -> JdbcContactMatcher.builder(ds).table("no_such_contacts").idColumn("id")
                .emailColumns("email").build())
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("no_such_contacts").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(ds).table("crm_contacts").idColumn("id")
                .emailColumns("email", "email3").build())
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("crm_contacts").hasMessageContaining("no column email3");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(ds).addressTable("crm_contact_emails", "contact", "email").build())
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("crm_contact_emails").hasMessageContaining("no column contact");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(ds).schema("no_such_schema").table("crm_contacts")
                .idColumn("id").emailColumns("email").build())
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("no_such_schema").hasMessageContaining("does not exist");
    }

    @Test
    void aFailedLookupNamesTheTableButNoAddress() throws SQLException {
        SqlDialect dialect;
        try (Connection c = ds.getConnection()) {
            dialect = SqlDialect.detect(c);
        }
        JdbcContactMatcher matcher = JdbcContactMatcher.builder(ds).dialect(dialect).verify(false)
                .table("gone_contacts").idColumn("id").emailColumns("email").build();
        assertThatThrownBy(() -> matcher.match("secret.person@example.com"))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("gone_contacts").hasMessageContaining("check")
                .hasMessageNotContaining("secret.person")
                .hasCauseInstanceOf(SQLException.class);
    }

    /** Counts connections taken and statements prepared (other than for metadata). */
    private static DataSource counting(DataSource target, AtomicInteger connections, AtomicInteger statements) {
        return (DataSource) Proxy.newProxyInstance(AbstractJdbcContactMatcherTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                        Connection real = (Connection) result;
                        return Proxy.newProxyInstance(AbstractJdbcContactMatcherTest.class.getClassLoader(),
                                new Class<?>[] {Connection.class}, (p, m, a) -> {
                                    if (m.getName().equals("prepareStatement")) {
                                        statements.incrementAndGet();
                                    }
                                    return invoke(real, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
