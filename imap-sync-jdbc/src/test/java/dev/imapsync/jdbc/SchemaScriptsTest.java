package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The scripts of every dialect are complete, and the Liquibase changelogs list each of them in order. */
class SchemaScriptsTest {

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void everyDialectHasEveryVersion(SqlDialect dialect) {
        for (String version : JdbcSchema.versions()) {
            assertThat(JdbcSchema.statements(dialect, version)).as("%s %s", dialect, version).isNotEmpty();
        }
        assertThat(JdbcSchema.versions().stream().map(JdbcSchema::number).toList()).isSorted().doesNotHaveDuplicates()
                .last().isEqualTo(JdbcSchema.latestVersion());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void theLiquibaseChangelogListsEveryVersionInOrder(SqlDialect dialect) throws IOException {
        String changelog = read("db/imapsync/liquibase/" + dialect.name().toLowerCase(Locale.ROOT) + ".xml");
        Matcher paths = Pattern.compile("<sqlFile path=\"([^\"]+)\"").matcher(changelog);
        List<String> listed = new ArrayList<>();
        while (paths.find()) {
            listed.add(paths.group(1));
        }

        assertThat(listed).containsExactlyElementsOf(JdbcSchema.versions().stream()
                .map(v -> dialect.scriptLocation() + v + ".sql").toList());
    }

    /** DDL says IF [NOT] EXISTS; a statement that fills data skips the rows it filled already. */
    @Test
    void everyStatementIsSafeToRunAgain() {
        for (SqlDialect dialect : SqlDialect.values()) {
            for (String version : JdbcSchema.versions()) {
                for (String sql : JdbcSchema.statements(dialect, version)) {
                    if (sql.startsWith("UPDATE ")) {
                        assertThat(sql).as("%s %s", dialect, version).containsPattern("(?i)WHERE \\w+ = ''");
                    } else if (sql.startsWith("INSERT ")) {
                        assertThat(sql).as("%s %s", dialect, version).containsPattern("(?i)WHERE .* NOT EXISTS");
                    } else {
                        assertThat(sql).as("%s %s", dialect, version).containsPattern("(?i)IF (NOT )?EXISTS");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void versionThreeAddsWhatTheTimelineReads(SqlDialect dialect) {
        String script = String.join("\n", JdbcSchema.statements(dialect, "V3__imapsync_timeline"));

        assertThat(script).contains("ADD COLUMN IF NOT EXISTS from_name", "ADD COLUMN IF NOT EXISTS from_norm",
                "CREATE TABLE IF NOT EXISTS imapsync_own_address",
                "imapsync_activity (contact_id, msg_date, message_key)", "imapsync_message (message_key)",
                "DROP INDEX IF EXISTS imapsync_activity_contact");
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = SchemaScriptsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
