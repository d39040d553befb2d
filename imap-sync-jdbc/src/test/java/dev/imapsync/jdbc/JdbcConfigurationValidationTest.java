package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting of the JDBC module's builders and factories, with each kind of bad value: each
 * is rejected before anything touches the database, with a message that names the setting and
 * says what to give. SQL identifiers in the configuration (the contact matcher's schema, tables
 * and columns: the only names a host application gives; imap-sync's own tables are fixed
 * {@code imapsync_} names) are checked against injection for every one of its six settings.
 * {@link JdbcContactMatcherIdentifierTest} has the identifier rule's edges; this is the table of
 * settings.
 */
class JdbcConfigurationValidationTest {
    /** A data source that is never reached: validation fails first. */
    private static final DataSource NOWHERE = nowhere();
    private static final String KEY_SECRET = "0123456789abcdef0123456789abcdef";

    private static DataSource nowhere() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:never_opened_" + TestDatabase.uniqueName() + ";IFEXISTS=TRUE");
        return ds;
    }

    static Stream<Arguments> invalidSettings() {
        List<Arguments> rows = new ArrayList<>();
        List<String> hostile = List.of("contacts; DROP TABLE x", "contacts\"; DROP TABLE x; --", "contacts` --",
                "x' OR '1'='1", "contacts\r\nDROP", "a\u0000b", "crm.contacts", "", " ", "1abc", "c".repeat(64),
                "kontakte_\u00e4", "[contacts]");
        for (String bad : hostile) {
            row(rows, "schema", bad, () -> columns().schema(bad).build(), IllegalArgumentException.class, "schema name");
            row(rows, "table", bad, () -> JdbcContactMatcher.builder(NOWHERE).table(bad).idColumn("id")
                    .emailColumns("email").build(), IllegalArgumentException.class, "table name");
            row(rows, "idColumn", bad, () -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn(bad)
                    .emailColumns("email").build(), IllegalArgumentException.class, "id column name");
            row(rows, "emailColumns", bad, () -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id")
                    .emailColumns("email", bad).build(), IllegalArgumentException.class, "email column name");
            row(rows, "addressTable.table", bad, () -> JdbcContactMatcher.builder(NOWHERE)
                    .addressTable(bad, "contact_id", "email").build(), IllegalArgumentException.class, "address table name");
            row(rows, "addressTable.contactIdColumn", bad, () -> JdbcContactMatcher.builder(NOWHERE)
                    .addressTable("t", bad, "email").build(), IllegalArgumentException.class, "contact id column name");
            row(rows, "addressTable.emailColumn", bad, () -> JdbcContactMatcher.builder(NOWHERE)
                    .addressTable("t", "contact_id", bad).build(), IllegalArgumentException.class, "email column name");
        }
        // a setting the layout needs and that was not given: IllegalStateException, as build() documents
        row(rows, "table", "not given", () -> JdbcContactMatcher.builder(NOWHERE).idColumn("id").emailColumns("e")
                .build(), IllegalStateException.class, "No contacts table was given", "table(\"crm_contacts\")");
        row(rows, "idColumn", "not given", () -> JdbcContactMatcher.builder(NOWHERE).table("t").emailColumns("e")
                .build(), IllegalStateException.class, "No id column of table t was given", "idColumn(");
        row(rows, "addressTable.table", "null", () -> JdbcContactMatcher.builder(NOWHERE)
                .addressTable(null, "contact_id", "email").build(), IllegalStateException.class,
                "No address table was given", "addressTable(");
        row(rows, "addressTable.contactIdColumn", "null", () -> JdbcContactMatcher.builder(NOWHERE)
                .addressTable("t", null, "email").build(), IllegalStateException.class,
                "No contact id column of the address table was given", "addressTable(");
        row(rows, "addressTable.emailColumn", "null", () -> JdbcContactMatcher.builder(NOWHERE)
                .addressTable("t", "contact_id", null).build(), IllegalStateException.class,
                "No email column of the address table was given", "addressTable(");
        row(rows, "emailColumns", "none", () -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id").build(),
                IllegalStateException.class, "emailColumns(");
        row(rows, "emailColumns", "a null column", () -> JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id")
                .emailColumns("email", null).build(), IllegalArgumentException.class, "email column name is missing");
        row(rows, "layout", "both", () -> columns().addressTable("t", "c", "e").build(), IllegalStateException.class,
                "not both");
        row(rows, "layout", "none", () -> JdbcContactMatcher.builder(NOWHERE).build(), IllegalStateException.class,
                "table(..)", "addressTable(..)");
        row(rows, "dialect", "null", () -> JdbcContactMatcher.builder(NOWHERE).dialect(null), NullPointerException.class,
                "dialect");

        // the store, the leases, the account repository and their keys
        row(rows, "dataSource", "null", () -> JdbcSyncStore.create(null), NullPointerException.class, "dataSource");
        row(rows, "dialect", "null", () -> JdbcSyncStore.create(NOWHERE, null), NullPointerException.class, "dialect");
        row(rows, "dataSource", "null", () -> JdbcLeases.create(null), NullPointerException.class, "dataSource");
        row(rows, "dataSource", "null", () -> JdbcAccountRepository.builder(null), NullPointerException.class,
                "dataSource");
        row(rows, "keys", "missing", () -> JdbcAccountRepository.builder(NOWHERE).dialect(SqlDialect.H2).build(),
                IllegalStateException.class, "No keys", "keys(SecretKeys)");
        row(rows, "keys", "null", () -> JdbcAccountRepository.builder(NOWHERE).keys(null), NullPointerException.class,
                "keys");
        row(rows, "oauth2", "null", () -> JdbcAccountRepository.builder(NOWHERE).oauth2(null),
                NullPointerException.class, "tokenSource");
        row(rows, "clock", "null", () -> JdbcAccountRepository.builder(NOWHERE).clock(null), NullPointerException.class,
                "clock");
        for (int size : new int[] {0, 8, 15, 17, 33, 64}) {
            row(rows, "key", size + " bytes", () -> SecretKeys.of("k1", new byte[size]), IllegalArgumentException.class,
                    "16, 24 or 32");
        }
        for (String id : List.of("", "has space", "k;1", "k\r\n1", "k".repeat(65))) {
            row(rows, "key id", id, () -> SecretKeys.of(id, KEY_SECRET.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                    IllegalArgumentException.class, "id");
        }
        row(rows, "key", "given twice", () -> SecretKeys.builder().current("k1", new byte[32]).retired("k1", new byte[32]),
                IllegalArgumentException.class, "given twice");
        row(rows, "current key", "missing", () -> SecretKeys.builder().retired("k1", new byte[32]).build(),
                IllegalStateException.class, "current(id, key)");
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidSettings")
    void anInvalidSettingIsRejectedBeforeTheDatabaseWithAMessageThatSaysWhatToFix(
            String setting, String value, ThrowingCallable action, Class<? extends Throwable> type, String[] fragments) {
        assertThatThrownBy(action).as("%s = %s", setting, value)
                .isInstanceOf(type)
                .message().contains(fragments)
                .doesNotContain("\r", "\n", "\0") // the value is shown escaped: the message stays one log line
                .doesNotContain(KEY_SECRET);
    }

    private static JdbcContactMatcher.Builder columns() {
        return JdbcContactMatcher.builder(NOWHERE).table("t").idColumn("id").emailColumns("email");
    }

    private static void row(List<Arguments> rows, String setting, String value, ThrowingCallable action,
                            Class<? extends Throwable> type, String... fragments) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "… (" + value.length() + " chars)" : value;
        rows.add(Arguments.of(setting, shown.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"), action, type,
                fragments));
    }
}
