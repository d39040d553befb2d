package dev.imapsync.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link SchedulerEndToEndContract} on PostgreSQL, in a schema of the test's own, when
 * {@code IMAPSYNC_TEST_POSTGRES_URL} names a database; skipped otherwise.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "IMAPSYNC_TEST_POSTGRES_URL is not set: no PostgreSQL to start the context on")
class PostgresSchedulerEndToEndTest extends SchedulerEndToEndContract {
    private final String admin = System.getenv("IMAPSYNC_TEST_POSTGRES_URL");
    private String schema;

    @Override
    String databaseUrl() throws Exception {
        schema = "imapsync_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".crm_contacts (id VARCHAR(40) PRIMARY KEY, email VARCHAR(200))");
            s.execute("INSERT INTO " + schema + ".crm_contacts VALUES ('c-ann', 'ann@example.com')");
        }
        return admin + (admin.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
