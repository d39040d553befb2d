package dev.imapsync.examples.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The demo's host application: a small CRM in an H2 database, with its own contacts tables, in
 * which imap-sync's tables ({@code imapsync_*}, made by {@code JdbcSchema.migrate}) live too. The
 * CRM lists its own contacts ({@link #contacts}) and reads their timelines through imap-sync's
 * {@code TimelineStore}, never through imap-sync's tables, whose shape is imap-sync's business.
 *
 * <p>The database is in memory and private to one {@code CrmDatabase}: it exists while this
 * object is open (it holds one connection, which keeps an H2 in-memory database alive) and is
 * gone after {@link #close()}. So the demo needs no files, leaves nothing behind and runs the
 * same way every time, twice in a row or from parallel tests.
 */
public final class CrmDatabase implements AutoCloseable {
    /** A contact of the CRM: its primary address in {@code crm_contact}, others in {@code crm_contact_email}. */
    public record Contact(long id, String name, String company, String email, List<String> otherEmails) {
        /** Copies the list. */
        public Contact {
            otherEmails = List.copyOf(otherEmails);
        }
    }

    /** A message imap-sync read that belongs to no CRM contact (a newsletter, a colleague). */
    public record Unmatched(String messageKey, Instant date, String folder, String from, String subject) {
    }

    /**
     * The CRM's contacts: a small sales team's customers. Their addresses appear in {@link
     * DemoMailbox}, some written there in another case, with a {@code +tag} or as a second address.
     */
    public static final List<Contact> CONTACTS = List.of(
            new Contact(1001, "Maria Schmidt", "Kunde GmbH", "maria.schmidt@kunde.example", List.of()),
            new Contact(1002, "Jean Dupont", "Client SA", "jean.dupont@client.example",
                    List.of("j.dupont@client.example")),
            new Contact(1003, "Priya Patel", "Partner Ltd", "Priya.Patel@partner.example", List.of()),
            new Contact(1004, "Tom Baker", "Baker & Sons", "tom.baker@gmail.com", List.of()),
            new Contact(1005, "Akiko Tanaka", "Tanaka Trading", "akiko.tanaka@tanaka-trading.example",
                    List.of("Akiko.T@mobile.example")),
            new Contact(1006, "Lucas Oliveira", "Oliveira Foods", "lucas@oliveira-foods.example", List.of()),
            new Contact(1007, "Emma Johansson", "Nordic Design AB", "emma.johansson@nordicdesign.example", List.of()),
            new Contact(1008, "Omar Haddad", "Haddad Logistics", "omar.haddad@haddad-logistics.example", List.of()),
            new Contact(1009, "David Kim", "Kim Electronics", "david.kim@kimelec.example", List.of()),
            new Contact(1010, "Sofia Rossi", "Rossi Moda", "sofia.rossi@rossimoda.example", List.of()));

    /*
     * The CRM's own schema. People type addresses in any case, so each table keeps a lower-cased
     * copy, email_lower, with an index: the matcher looks that up. (H2 cannot index an expression;
     * on PostgreSQL "CREATE INDEX ... ON crm_contact (LOWER(email))" does the same without the
     * extra column.)
     */
    private static final String[] SCHEMA = {
        """
        CREATE TABLE crm_contact (
            id          BIGINT       PRIMARY KEY,
            name        VARCHAR(200) NOT NULL,
            company     VARCHAR(200) NOT NULL,
            email       VARCHAR(320) NOT NULL,
            email_lower VARCHAR(320) GENERATED ALWAYS AS (LOWER(email))
        )""",
        "CREATE INDEX crm_contact_email_lower ON crm_contact (email_lower)",
        """
        CREATE TABLE crm_contact_email (
            contact_id  BIGINT       NOT NULL REFERENCES crm_contact (id),
            email       VARCHAR(320) NOT NULL,
            email_lower VARCHAR(320) GENERATED ALWAYS AS (LOWER(email)),
            PRIMARY KEY (contact_id, email)
        )""",
        "CREATE INDEX crm_contact_email_lower2 ON crm_contact_email (email_lower)",
    };

    private static final String CONTACTS_BY_NAME = """
            SELECT c.id, c.name, c.company, c.email, e.email
              FROM crm_contact c
              LEFT JOIN crm_contact_email e ON e.contact_id = c.id
             ORDER BY c.name, c.id, e.email""";

    private static final String UNMATCHED = """
            SELECT m.message_key, m.msg_date, m.folder, m.from_addr, m.subject
              FROM imapsync_message m
             WHERE m.account_id = ?
               AND NOT EXISTS (SELECT 1 FROM imapsync_activity a
                                WHERE a.account_id = m.account_id AND a.message_key = m.message_key)
             ORDER BY m.msg_date""";

    private final JdbcDataSource dataSource;
    private final Connection keepAlive;

    private CrmDatabase(JdbcDataSource dataSource, Connection keepAlive) {
        this.dataSource = dataSource;
        this.keepAlive = keepAlive;
    }

    /** A new in-memory CRM database with {@link #CONTACTS} in it. */
    public static CrmDatabase create() {
        JdbcDataSource dataSource = new JdbcDataSource();
        // a name of its own, so two demos in one JVM (the tests) never share a database
        dataSource.setURL("jdbc:h2:mem:imap-sync-demo-" + UUID.randomUUID());
        Connection keepAlive = null;
        try {
            keepAlive = dataSource.getConnection();
            try (Statement statement = keepAlive.createStatement()) {
                for (String sql : SCHEMA) {
                    statement.execute(sql);
                }
            }
            insert(keepAlive, CONTACTS);
            return new CrmDatabase(dataSource, keepAlive);
        } catch (SQLException e) {
            if (keepAlive != null) {
                try {
                    keepAlive.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("Could not create the demo's CRM database: " + e.getMessage(), e);
        }
    }

    private static void insert(Connection connection, List<Contact> contacts) throws SQLException {
        try (PreparedStatement contact = connection.prepareStatement(
                "INSERT INTO crm_contact (id, name, company, email) VALUES (?, ?, ?, ?)");
             PreparedStatement email = connection.prepareStatement(
                     "INSERT INTO crm_contact_email (contact_id, email) VALUES (?, ?)")) {
            for (Contact c : contacts) {
                contact.setLong(1, c.id());
                contact.setString(2, c.name());
                contact.setString(3, c.company());
                contact.setString(4, c.email());
                contact.addBatch();
                for (String other : c.otherEmails()) {
                    email.setLong(1, c.id());
                    email.setString(2, other);
                    email.addBatch();
                }
            }
            contact.executeBatch();
            email.executeBatch();
        }
    }

    /** The database, for {@code JdbcSchema.migrate}, {@code JdbcSyncStore} and {@link CrmContactMatcher}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Every CRM contact, by name, as the CRM's own table holds it. Its id, as a string, is the
     * id {@link CrmContactMatcher} gives imap-sync, and so the id its timeline is read by.
     */
    public List<Contact> contacts() {
        Map<Long, Contact> byId = new LinkedHashMap<>();
        Map<Long, List<String>> otherEmails = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(CONTACTS_BY_NAME)) {
            while (rows.next()) {
                long id = rows.getLong(1);
                byId.putIfAbsent(id, new Contact(id, rows.getString(2), rows.getString(3), rows.getString(4),
                        List.of()));
                List<String> others = otherEmails.computeIfAbsent(id, k -> new ArrayList<>());
                if (rows.getString(5) != null) { // null: the LEFT JOIN found no other address
                    others.add(rows.getString(5));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the CRM's contacts: " + e.getMessage(), e);
        }
        List<Contact> contacts = new ArrayList<>();
        for (Contact c : byId.values()) {
            contacts.add(new Contact(c.id(), c.name(), c.company(), c.email(), otherEmails.get(c.id())));
        }
        return contacts;
    }

    /** The messages imap-sync read from this account that belong to no CRM contact, oldest first. */
    public List<Unmatched> unmatched(String accountId) {
        List<Unmatched> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(UNMATCHED)) {
            statement.setString(1, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Unmatched(rows.getString(1), instant(rows, 2), rows.getString(3), rows.getString(4),
                            rows.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the messages without contact: " + e.getMessage(), e);
        }
        return found;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** Drops the database (closing the last connection ends an in-memory H2 database). Safe twice. */
    @Override
    public void close() {
        try {
            keepAlive.close();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not close the demo's CRM database: " + e.getMessage(), e);
        }
    }
}
