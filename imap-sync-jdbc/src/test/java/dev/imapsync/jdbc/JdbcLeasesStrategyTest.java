package dev.imapsync.jdbc;

import static dev.imapsync.jdbc.JdbcLeases.ClaimStrategy.COMPARE_AND_SET;
import static dev.imapsync.jdbc.JdbcLeases.ClaimStrategy.SKIP_LOCKED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which servers get {@code FOR UPDATE SKIP LOCKED}, from what their metadata reports. */
class JdbcLeasesStrategyTest {
    @Test
    void postgresFrom95() {
        assertThat(JdbcLeases.strategyOf(SqlDialect.POSTGRESQL, "PostgreSQL", "9.4.26", 9, 4)).isEqualTo(COMPARE_AND_SET);
        assertThat(JdbcLeases.strategyOf(SqlDialect.POSTGRESQL, "PostgreSQL", "9.5.0", 9, 5)).isEqualTo(SKIP_LOCKED);
        assertThat(JdbcLeases.strategyOf(SqlDialect.POSTGRESQL, "PostgreSQL", "15.20", 15, 20)).isEqualTo(SKIP_LOCKED);
    }

    @Test
    void mariaDbFrom106() {
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MariaDB", "10.5.23-MariaDB", 10, 5)).isEqualTo(COMPARE_AND_SET);
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MariaDB", "10.6.0-MariaDB", 10, 6)).isEqualTo(SKIP_LOCKED);
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MariaDB", "10.11.19-MariaDB-0+deb12u1", 10, 11))
                .isEqualTo(SKIP_LOCKED);
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MariaDB", "11.4.2-MariaDB", 11, 4)).isEqualTo(SKIP_LOCKED);
    }

    @Test
    void mariaDbSeenThroughMySqlsDriver() {
        // MySQL Connector/J reports MariaDB as MySQL 5.5.5 with the real version after it
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MySQL", "5.5.5-10.11.6-MariaDB-0+deb12u1", 5, 5))
                .isEqualTo(SKIP_LOCKED);
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MySQL", "5.5.5-10.4.32-MariaDB", 5, 5))
                .isEqualTo(COMPARE_AND_SET);
    }

    @Test
    void mySqlFrom8() {
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MySQL", "5.7.44", 5, 7)).isEqualTo(COMPARE_AND_SET);
        assertThat(JdbcLeases.strategyOf(SqlDialect.MYSQL, "MySQL", "8.0.36", 8, 0)).isEqualTo(SKIP_LOCKED);
    }

    @Test
    void h2AlwaysCompareAndSet() {
        assertThat(JdbcLeases.strategyOf(SqlDialect.H2, "H2", "2.3.232 (2024-08-11)", 2, 3)).isEqualTo(COMPARE_AND_SET);
    }
}
