package dev.imapsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What imap-sync-oauth exports is a decision: its public top-level types are listed here and in
 * the README's "API on one page"; no public signature names a Nimbus type.
 */
class ExportedApiTest {
    private static final Set<String> EXPECTED = Set.of("ConsentRequest", "InMemoryRefreshTokenStore", "OAuth2Client",
            "OAuth2Grant", "OAuth2Provider", "RefreshTokenStore", "TokenRefresher");

    @Test
    void theExportedTypesAreTheListedOnesAndNoneShowsNimbus() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(OAuth2Client.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/imapsync/oauth");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName("dev.imapsync.oauth." + name.substring(0, name.length() - 6));
                if (!Modifier.isPublic(type.getModifiers())) {
                    continue;
                }
                found.add(type.getSimpleName());
                for (var method : type.getMethods()) {
                    if (method.getDeclaringClass() == Object.class) {
                        continue;
                    }
                    assertThat(method.toGenericString()).as(type.getSimpleName() + " shows a Nimbus type")
                            .doesNotContain("com.nimbusds");
                }
            }
        }
        assertThat(found).isEqualTo(new TreeSet<>(EXPECTED));
    }
}
