package dev.imapsync.examples.demo;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import java.sql.Array;
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
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The demo CRM's {@link ContactMatcher}, written the way a host application writes its own:
 * which rows of {@code crm_contact} (and {@code crm_contact_email}, for contacts with more
 * than one address) an email address belongs to. Copy it and change the SQL to your tables.
 *
 * <p>(imap-sync-jdbc also ships a ready-made, configurable one, {@code JdbcContactMatcher}:
 * {@code JdbcContactMatcher.builder(dataSource).table("crm_contact").idColumn("id")
 * .emailColumns("email").build()}. This class shows what such a matcher does, and how to write
 * one when your rules are your own, like the {@code +tag} rule below.)
 *
 * <p>What the SPI promises, and what this class does with it:
 * <ul>
 *   <li>Addresses arrive normalized (trimmed, lower case, ASCII domain): the CRM stores them
 *   as people typed them, so the SQL compares its lower-cased copy, {@code email_lower}.</li>
 *   <li>{@link #matchAll} is called once per batch of messages with every distinct address of
 *   the batch: it runs <em>one</em> query, however many addresses there are. The SQL is a
 *   constant; the addresses travel as one array bind parameter, never inside the SQL.</li>
 *   <li>The answer is keyed by the addresses exactly as given; addresses of no contact are left
 *   out; each list holds distinct contacts.</li>
 *   <li>Thread-safe: the sync may call it from several threads at once (one per account). It
 *   keeps no state but the {@link DataSource}, takes a connection per call, and keeps no
 *   reference to the set it is given.</li>
 * </ul>
 */
public final class CrmContactMatcher implements ContactMatcher {
    /*
     * Both tables in one statement. "= ANY (?)" with an SQL array works in H2 and PostgreSQL;
     * on MySQL/MariaDB, which have no arrays, write "IN (?, ?, ...)" with one placeholder per
     * address (in chunks of a few hundred). email_lower is indexed, so a look-up reads only the
     * rows it needs (see CrmDatabase for the schema).
     */
    private static final String SQL = """
            SELECT email_lower, id FROM crm_contact WHERE email_lower = ANY (?)
            UNION
            SELECT email_lower, contact_id FROM crm_contact_email WHERE email_lower = ANY (?)
            ORDER BY 2""";

    private final DataSource dataSource;

    /** A matcher over the CRM tables in this database. */
    public CrmContactMatcher(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public List<ContactRef> match(String normalizedAddress) {
        return matchAll(Set.of(normalizedAddress)).getOrDefault(normalizedAddress, List.of());
    }

    @Override
    public Map<String, List<ContactRef>> matchAll(Set<String> normalizedAddresses) {
        if (normalizedAddresses.isEmpty()) {
            return Map.of();
        }
        // Our CRM's rule for sub-addresses: mail from tom.baker+quotes@gmail.com belongs to the
        // contact whose address is tom.baker@gmail.com, unless a contact has the tagged address
        // itself. So each address is looked up as given and, if it has a tag, without it.
        // (Gmail also ignores dots in the local part; a CRM that wants that rule too would keep
        // a canonical copy of each address in an indexed column and look that up.)
        Map<String, String> untagged = new HashMap<>();
        Set<String> keys = new LinkedHashSet<>(normalizedAddresses);
        for (String address : normalizedAddresses) {
            String base = withoutTag(address);
            if (!base.equals(address)) {
                untagged.put(address, base);
                keys.add(base);
            }
        }

        Map<String, List<ContactRef>> byKey = query(keys);

        Map<String, List<ContactRef>> found = new HashMap<>();
        for (String address : normalizedAddresses) {
            List<ContactRef> contacts = byKey.get(address);
            if (contacts == null && untagged.containsKey(address)) {
                contacts = byKey.get(untagged.get(address));
            }
            if (contacts != null) {
                found.put(address, contacts);
            }
        }
        return found;
    }

    /** The contacts of each key that has any, in one query; each list distinct, ordered by contact id. */
    private Map<String, List<ContactRef>> query(Set<String> keys) {
        Map<String, List<ContactRef>> byKey = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SQL)) {
            Array array = connection.createArrayOf("VARCHAR", keys.toArray());
            try {
                statement.setArray(1, array);
                statement.setArray(2, array);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        // ContactRef ids are strings; the CRM's ids are numbers
                        ContactRef contact = ContactRef.of(Long.toString(rows.getLong(2)));
                        List<ContactRef> contacts = byKey.computeIfAbsent(rows.getString(1), k -> new ArrayList<>(1));
                        if (!contacts.contains(contact)) { // a contact may list one address in both tables
                            contacts.add(contact);
                        }
                    }
                }
            } finally {
                array.free();
            }
        } catch (SQLException e) {
            // Throwing makes the sync skip this batch and retry it next time: better than
            // recording mail as "no contact" because the CRM was briefly unreachable.
            throw new ImapSyncException("The CRM's contacts could not be read (" + keys.size()
                    + " addresses): check the database connection and the crm_contact tables", e);
        }
        byKey.replaceAll((key, contacts) -> List.copyOf(contacts));
        return byKey;
    }

    /** {@code local+tag@domain} as {@code local@domain}; other addresses as they are. */
    static String withoutTag(String address) {
        int at = address.lastIndexOf('@');
        int plus = address.indexOf('+');
        if (plus <= 0 || plus > at) { // no tag, or nothing before the '+'
            return address;
        }
        return address.substring(0, plus) + address.substring(at);
    }

    @Override
    public String toString() {
        return "CrmContactMatcher[crm_contact, crm_contact_email]";
    }
}
