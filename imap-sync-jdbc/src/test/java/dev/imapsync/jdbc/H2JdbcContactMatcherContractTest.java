package dev.imapsync.jdbc;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.testing.contract.ContactMatcherContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@link ContactMatcher} contract for {@link JdbcContactMatcher} on an in-memory H2 database,
 * with the contacts' addresses in an address table, stored as given (mixed case included).
 */
class H2JdbcContactMatcherContractTest extends ContactMatcherContract {
    private TestDatabase database;

    @Override
    protected ContactMatcher matcherOf(Map<ContactRef, List<String>> contacts) {
        database = TestDatabase.h2();
        DataSource ds = database.dataSource();
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE crm_contact_emails (contact_id VARCHAR(40) NOT NULL, email VARCHAR(255))");
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO crm_contact_emails (contact_id, email) VALUES (?, ?)")) {
                for (Map.Entry<ContactRef, List<String>> contact : contacts.entrySet()) {
                    for (String address : contact.getValue()) {
                        insert.setString(1, contact.getKey().id());
                        insert.setString(2, address);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill the contacts table", e);
        }
        return JdbcContactMatcher.builder(ds).addressTable("crm_contact_emails", "contact_id", "email").build();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.close();
    }
}
