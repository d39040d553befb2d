package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names given to {@link JdbcContactMatcher.Builder} are checked before anything touches the database. */
class JdbcContactMatcherIdentifierTest {
    /** A data source that is never reached: validation fails first. */
    private static final DataSource NOWHERE = nowhere();

    private static DataSource nowhere() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:never_opened_" + TestDatabase.uniqueName() + ";IFEXISTS=TRUE");
        return ds;
    }

    @ParameterizedTest
    @ValueSource(strings = {"crm; DROP TABLE x", "1contacts", "crm.contacts", "\"crm\"", "crm-contacts", "", " crm",
            "kontakte_ä", "crm`x", "a\u0000b"})
    void rejectsNamesThatAreNotPlainIdentifiers(String bad) {
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table(bad).idColumn("id").emailColumns("email").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name")
                .hasMessageContaining("letters").hasMessageContaining("digits").hasMessageContaining("underscore");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).schema(bad).table("t").idColumn("id").emailColumns("e").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema name");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn(bad).emailColumns("e").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id column name");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id").emailColumns("e", bad).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email column name");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).addressTable(bad, "cid", "e").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address table name");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).addressTable("t", bad, "e").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contact id column name");
    }

    @Test
    void namesTheRejectedValue() {
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).schema("crm; DROP TABLE x").table("t").idColumn("id")
                .emailColumns("e").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'crm; DROP TABLE x'")
                .hasMessageContaining("63 characters");
    }

    @Test
    void allowsAtMost63Characters() {
        String ok = "c" + "x".repeat(62);
        assertThat(JdbcContactMatcher.checkIdentifier("table name", ok)).isEqualTo(ok);
        assertThat(JdbcContactMatcher.checkIdentifier("table name", "_Crm_Contacts2")).isEqualTo("_Crm_Contacts2");
        assertThatThrownBy(() -> JdbcContactMatcher.checkIdentifier("table name", ok + "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 63");
    }

    @Test
    void quotesPerDialect() {
        assertThat(JdbcContactMatcher.quote(SqlDialect.POSTGRESQL, "crm_contacts")).isEqualTo("\"crm_contacts\"");
        assertThat(JdbcContactMatcher.quote(SqlDialect.H2, "CRM_CONTACTS")).isEqualTo("\"CRM_CONTACTS\"");
        assertThat(JdbcContactMatcher.quote(SqlDialect.MYSQL, "crm_contacts")).isEqualTo("`crm_contacts`");
    }

    @Test
    void needsExactlyOneLayout() {
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("addressTable");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id").emailColumns("e")
                .addressTable("a", "cid", "e").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id").emailColumns("e", null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email column name is missing");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("emailColumns");
    }

    @Test
    void aRequiredSettingNotGivenIsAnIllegalStateExceptionAsBuildDocuments() {
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).idColumn("id").emailColumns("email").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No contacts table was given: call table(..) with the table that holds the addresses,"
                        + " e.g. table(\"crm_contacts\")");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).table("crm_contacts").emailColumns("email").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No id column of table crm_contacts was given: call idColumn(..) with its contact id column,"
                        + " e.g. idColumn(\"id\")");
        assertThatThrownBy(() -> JdbcContactMatcher.builder(NOWHERE).addressTable("crm_contact_emails", null, "email")
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("No contact id column of the address table was given: call"
                        + " addressTable(table, contactIdColumn, emailColumn)");
    }

    @Test
    void unverifiedWithADialectDoesNotConnectAndBuildsOneStatementPerBatch() {
        JdbcContactMatcher matcher = JdbcContactMatcher.builder(NOWHERE).dialect(SqlDialect.POSTGRESQL).verify(false)
                .schema("crm").table("Crm_Contacts").idColumn("id").emailColumns("email", "email2").build();
        assertThat(matcher.sql(2)).isEqualTo("SELECT DISTINCT u.addr, u.cid FROM ("
                + "SELECT LOWER(\"email\") AS addr, \"id\" AS cid FROM \"crm\".\"crm_contacts\" WHERE LOWER(\"email\") IN (?, ?)"
                + " UNION ALL "
                + "SELECT LOWER(\"email2\") AS addr, \"id\" AS cid FROM \"crm\".\"crm_contacts\" WHERE LOWER(\"email2\") IN (?, ?)"
                + ") u ORDER BY u.cid, u.addr");
    }
}
