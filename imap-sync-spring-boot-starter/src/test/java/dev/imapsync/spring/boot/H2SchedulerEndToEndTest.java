package dev.imapsync.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * {@link SchedulerEndToEndContract} on an in-memory H2 database. Spring Boot connects to an
 * embedded H2 as {@code sa}: the tables are made as that user.
 */
class H2SchedulerEndToEndTest extends SchedulerEndToEndContract {
    private String url;

    @Override
    String databaseUrl() throws Exception {
        url = "jdbc:h2:mem:e2e" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE crm_contacts (id VARCHAR(40) PRIMARY KEY, email VARCHAR(200))");
            s.execute("INSERT INTO crm_contacts VALUES ('c-ann', 'ann@example.com')");
        }
        return url;
    }

    @Override
    void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
