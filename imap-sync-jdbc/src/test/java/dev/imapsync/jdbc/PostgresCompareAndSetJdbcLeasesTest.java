package dev.imapsync.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC leases on PostgreSQL with the compare-and-set claims alone (as on servers without {@code SKIP LOCKED}). */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_POSTGRES_URL", matches = ".+")
class PostgresCompareAndSetJdbcLeasesTest extends JdbcLeasesContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres(System.getenv("IMAPSYNC_TEST_POSTGRES_URL"));
    }

    @Override
    protected JdbcLeases leasesOver(DataSource dataSource) {
        return JdbcLeases.create(dataSource, SqlDialect.POSTGRESQL, JdbcLeases.ClaimStrategy.COMPARE_AND_SET);
    }

    @Override
    protected JdbcLeases.ClaimStrategy expectedStrategy() {
        return JdbcLeases.ClaimStrategy.COMPARE_AND_SET;
    }
}
