package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlDialectTest {
    @Test
    void detectsTheDialectFromTheProductName() {
        assertThat(SqlDialect.ofProductName("H2")).isEqualTo(SqlDialect.H2);
        assertThat(SqlDialect.ofProductName("PostgreSQL")).isEqualTo(SqlDialect.POSTGRESQL);
        assertThat(SqlDialect.ofProductName("MariaDB")).isEqualTo(SqlDialect.MYSQL);
        assertThat(SqlDialect.ofProductName("MySQL")).isEqualTo(SqlDialect.MYSQL);
        assertThatThrownBy(() -> SqlDialect.ofProductName("Oracle"))
                .hasMessage("The database 'Oracle' is not supported: use H2, PostgreSQL, MariaDB or MySQL,"
                        + " or pass the closest SqlDialect explicitly");
    }

    @Test
    void cleansText() {
        assertThat(SqlDialect.clean("a\u0000b", 10)).isEqualTo("ab");
        assertThat(SqlDialect.clean("a\uDC00b\uD83D", 10)).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(SqlDialect.clean("ab😀", 3)).isEqualTo("ab");
        assertThat(SqlDialect.clean("ab😀", 4)).isEqualTo("ab😀");
        assertThat(SqlDialect.clean("plain", 5)).isSameAs("plain");
    }

    @Test
    void everyDialectHasItsScript() {
        for (SqlDialect dialect : SqlDialect.values()) {
            assertThat(JdbcSchema.statements(dialect, "V1__imapsync_schema")).hasSize(8)
                    .allSatisfy(s -> assertThat(s).doesNotEndWith(";"));
        }
    }
}
