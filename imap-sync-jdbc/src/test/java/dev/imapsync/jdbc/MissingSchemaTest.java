package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.ImapSyncException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A failure that is not about the schema stays what it is, whatever the driver leaves out. */
class MissingSchemaTest {

    @Test
    void aFailureWithoutSqlStateIsReportedWithItsHint() {
        // HikariCP's "HikariDataSource ... has been closed." carries no SQL state
        SQLException closed = new SQLException("HikariDataSource HikariDataSource (HikariPool-1) has been closed.");
        ImapSyncException e = MissingSchema.failure(closed, SqlDialect.POSTGRESQL, "read account statuses",
                "check the database");
        assertThat(e).hasMessage("Could not read account statuses: check the database").hasCause(closed);
    }
}
