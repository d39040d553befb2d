package dev.imapsync.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.message.EmailAddress;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's own ContactMatcher against the demo CRM in a real (in-memory) H2 database. */
class CrmContactMatcherTest {
    private CrmDatabase crm;
    private CountingDataSource counting;
    private CrmContactMatcher matcher;

    @BeforeEach
    void createCrm() {
        crm = CrmDatabase.create();
        counting = new CountingDataSource(crm.dataSource());
        matcher = new CrmContactMatcher(counting.proxy());
    }

    @AfterEach
    void dropCrm() {
        crm.close();
    }

    private static List<ContactRef> refs(String... ids) {
        return java.util.Arrays.stream(ids).map(ContactRef::of).toList();
    }

    @Test
    void matchesRegardlessOfHowTheCrmSpelledTheAddress() {
        // stored as Priya.Patel@partner.example; the sync hands over the normalized form
        assertThat(matcher.match(EmailAddress.normalize("PRIYA.PATEL@Partner.Example"))).isEqualTo(refs("1003"));
        assertThat(matcher.match("priya.patel@partner.example")).isEqualTo(refs("1003"));
    }

    @Test
    void findsAContactByAnyOfItsAddresses() {
        assertThat(matcher.match("jean.dupont@client.example")).isEqualTo(refs("1002"));
        assertThat(matcher.match("j.dupont@client.example")).isEqualTo(refs("1002"));
        // the second address is stored as Akiko.T@mobile.example, in the second table
        assertThat(matcher.match("akiko.t@mobile.example")).isEqualTo(refs("1005"));
    }

    @Test
    void answersNothingForUnknownAddresses() {
        assertThat(matcher.match("news@newsletter.example")).isEmpty();
        assertThat(matcher.matchAll(Set.of("news@newsletter.example", "alex.kowalski@acme.example"))).isEmpty();
        int before = counting.connections.get();
        assertThat(matcher.matchAll(Set.of())).isEmpty();
        assertThat(counting.connections.get()).as("an empty batch needs no query").isEqualTo(before);
    }

    @Test
    void aTaggedAddressBelongsToTheUntaggedContact() {
        assertThat(matcher.match("tom.baker+quotes@gmail.com")).isEqualTo(refs("1004"));
        assertThat(matcher.match("tom.baker+a+b@gmail.com")).isEqualTo(refs("1004"));
        assertThat(matcher.match("+tom.baker@gmail.com")).as("nothing before the '+' is no tag").isEmpty();
        assertThat(matcher.match("tom.baker+quotes@other.example")).isEmpty();
    }

    @Test
    void aContactOwningTheTaggedAddressWinsOverTheUntaggedOne() throws SQLException {
        try (Connection c = crm.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO crm_contact (id, name, company, email)"
                    + " VALUES (2001, 'Baker Purchasing', 'Baker & Sons', 'Tom.Baker+Purchasing@gmail.com')");
        }
        assertThat(matcher.match("tom.baker+purchasing@gmail.com")).isEqualTo(refs("2001"));
        assertThat(matcher.match("tom.baker+quotes@gmail.com")).isEqualTo(refs("1004"));
    }

    @Test
    void anAddressSharedByTwoContactsMatchesBothOnceEachInIdOrder() throws SQLException {
        try (Connection c = crm.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO crm_contact (id, name, company, email)"
                    + " VALUES (2002, 'Kunde GmbH Einkauf', 'Kunde GmbH', 'einkauf@kunde.example')");
            s.execute("INSERT INTO crm_contact_email (contact_id, email) VALUES (1001, 'Einkauf@Kunde.example')");
            // listed twice for one contact: in both tables
            s.execute("INSERT INTO crm_contact_email (contact_id, email) VALUES (2002, 'EINKAUF@kunde.example')");
        }
        assertThat(matcher.match("einkauf@kunde.example")).isEqualTo(refs("1001", "2002"));
    }

    @Test
    void aBatchIsOneQueryKeyedByTheAddressesAsGiven() {
        Set<String> batch = new LinkedHashSet<>(List.of("maria.schmidt@kunde.example", "j.dupont@client.example",
                "jean.dupont@client.example", "priya.patel@partner.example", "tom.baker+quotes@gmail.com",
                "news@newsletter.example", "alex.kowalski@acme.example"));
        Set<String> copy = Set.copyOf(batch);

        Map<String, List<ContactRef>> found = matcher.matchAll(batch);

        assertThat(found).isEqualTo(Map.of(
                "maria.schmidt@kunde.example", refs("1001"),
                "j.dupont@client.example", refs("1002"),
                "jean.dupont@client.example", refs("1002"),
                "priya.patel@partner.example", refs("1003"),
                "tom.baker+quotes@gmail.com", refs("1004")));
        assertThat(counting.statements.get()).isEqualTo(1);
        assertThat(batch).as("the caller's set is left alone").isEqualTo(copy);
    }

    @Test
    void aLargeBatchIsStillOneQuery() {
        Set<String> batch = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            batch.add("someone" + i + "@elsewhere.example");
        }
        batch.add("sofia.rossi@rossimoda.example");

        assertThat(matcher.matchAll(batch)).isEqualTo(Map.of("sofia.rossi@rossimoda.example", refs("1010")));
        assertThat(counting.statements.get()).isEqualTo(1);
    }

    @Test
    void addressesAreDataNeverSql() {
        assertThat(matcher.match("x'); DROP TABLE crm_contact; --@evil.example")).isEmpty();
        assertThat(matcher.match("maria.schmidt@kunde.example")).isEqualTo(refs("1001"));
    }

    @Test
    void aDatabaseFailureIsThrownSoTheSyncRetriesTheBatch() {
        crm.close();

        assertThatThrownBy(() -> matcher.match("maria.schmidt@kunde.example"))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("CRM's contacts could not be read")
                .hasCauseInstanceOf(SQLException.class);
    }

    /** A DataSource that counts the connections taken and statements prepared through it. */
    private static final class CountingDataSource {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger statements = new AtomicInteger();
        private final DataSource target;

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        DataSource proxy() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (p, method, args) -> {
                        Object result = invoke(target, method, args);
                        if (method.getName().equals("getConnection")) {
                            connections.incrementAndGet();
                            return connection((Connection) result);
                        }
                        return result;
                    });
        }

        private Connection connection(Connection real) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (p, method, args) -> {
                        if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                            statements.incrementAndGet();
                        }
                        return invoke(real, method, args);
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
}
