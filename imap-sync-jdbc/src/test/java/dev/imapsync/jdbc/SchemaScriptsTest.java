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

    @Test
    void everyStatementIsSafeToRunAgain() {
        for (SqlDialect dialect : SqlDialect.values()) {
            for (String version : JdbcSchema.versions()) {
                for (String sql : JdbcSchema.statements(dialect, version)) {
                    assertThat(sql).as("%s %s", dialect, version).containsPattern("(?i)IF (NOT )?EXISTS");
                }
            }
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = SchemaScriptsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
