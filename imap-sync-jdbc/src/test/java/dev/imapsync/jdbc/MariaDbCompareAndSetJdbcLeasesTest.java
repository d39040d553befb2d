package dev.imapsync.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC leases on MariaDB with the compare-and-set claims alone (as on MariaDB before 10.6, MySQL 5.7). */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_MYSQL_URL", matches = ".+")
class MariaDbCompareAndSetJdbcLeasesTest extends JdbcLeasesContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.mariaDb(System.getenv("IMAPSYNC_TEST_MYSQL_URL"));
    }

    @Override
    protected JdbcLeases leasesOver(DataSource dataSource) {
        return JdbcLeases.create(dataSource, SqlDialect.MYSQL, JdbcLeases.ClaimStrategy.COMPARE_AND_SET);
    }

    @Override
    protected JdbcLeases.ClaimStrategy expectedStrategy() {
        return JdbcLeases.ClaimStrategy.COMPARE_AND_SET;
    }
}
