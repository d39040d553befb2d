package dev.imapsync.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.imapsync.sync.SyncEngine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What core exports is a decision: the public top-level types of the exported packages are
 * listed here, so a type that becomes public by accident (because another package needed it)
 * fails this test; and no public signature of an exported type mentions a type of a package
 * that is not exported.
 */
class ExportedApiTest {
    /**
     * The exported API, one line per public top-level type; the README lists the same. The
     * redesign cut it to 45; a feature that adds a type adds it here, on purpose.
     */
    private static final Set<String> EXPECTED = Set.of(
            "dev.imapsync.Failure", "dev.imapsync.FailureKind", "dev.imapsync.ImapSyncException",
            "dev.imapsync.account.AccessTokenException", "dev.imapsync.account.Credentials", "dev.imapsync.account.Endpoint", "dev.imapsync.account.ImapAccount",
            "dev.imapsync.account.MailProvider", "dev.imapsync.account.Secret", "dev.imapsync.account.Security",
            "dev.imapsync.message.EmailAddress", "dev.imapsync.message.MessageKey",
            "dev.imapsync.message.Attachment", "dev.imapsync.message.MessagePreview",
            "dev.imapsync.policy.BlockEntry", "dev.imapsync.policy.BlockResult", "dev.imapsync.policy.BulkMail",
            "dev.imapsync.policy.ErasureResult", "dev.imapsync.policy.MessageFacts", "dev.imapsync.policy.MessagePolicy",
            "dev.imapsync.policy.PrivacyRules", "dev.imapsync.policy.PrivacySettings", "dev.imapsync.policy.PrivacyStore",
            "dev.imapsync.policy.RemovalCounts", "dev.imapsync.policy.Retention", "dev.imapsync.policy.Visibility",
            "dev.imapsync.policy.Verdict", "dev.imapsync.policy.BlocklistPolicy", "dev.imapsync.policy.BulkMailPolicy",
            "dev.imapsync.policy.ErasedAddressPolicy", "dev.imapsync.policy.InternalMailPolicy",
            "dev.imapsync.policy.Policies", "dev.imapsync.policy.PublicMailDomains",
            "dev.imapsync.folder.FolderChoice", "dev.imapsync.folder.FolderRole", "dev.imapsync.folder.FolderSelection",
            "dev.imapsync.folder.FolderSelector", "dev.imapsync.folder.FolderValidation", "dev.imapsync.folder.MailFolder",
            "dev.imapsync.contact.ContactActivity", "dev.imapsync.contact.ContactMatcher", "dev.imapsync.contact.ContactRef",
            "dev.imapsync.contact.Direction", "dev.imapsync.contact.InMemoryContactMatcher",
            "dev.imapsync.contact.ParticipantRole",
            "dev.imapsync.connect.ConnectionProber", "dev.imapsync.connect.ProbeResult",
            "dev.imapsync.store.AccountStatus", "dev.imapsync.store.FolderCheckpoint", "dev.imapsync.store.InMemorySyncStore",
            "dev.imapsync.store.StatusStore", "dev.imapsync.store.SyncBatch", "dev.imapsync.store.SyncStatus",
            "dev.imapsync.store.SyncStore", "dev.imapsync.store.SyncedMessage",
            "dev.imapsync.store.TimelineStore", "dev.imapsync.store.TimelineQuery", "dev.imapsync.store.TimelinePage",
            "dev.imapsync.store.TimelineEntry", "dev.imapsync.store.ContactSummary",
            "dev.imapsync.sync.SyncEngine", "dev.imapsync.sync.SyncListener", "dev.imapsync.sync.SyncOptions",
            "dev.imapsync.sync.SyncReport",
            "dev.imapsync.content.MessageOpener", "dev.imapsync.content.MessageContent",
            "dev.imapsync.content.OpenResult",
            "dev.imapsync.schedule.AccountRepository", "dev.imapsync.schedule.AccountUnavailableException",
            "dev.imapsync.schedule.Backoff", "dev.imapsync.schedule.ManagedAccount", "dev.imapsync.schedule.PassReport",
            "dev.imapsync.schedule.SchedulerListener", "dev.imapsync.schedule.SyncScheduler",
            "dev.imapsync.schedule.spi.AccountLeases");

    private static Set<String> exported;
    private static JavaClasses classes;

    @BeforeAll
    static void readModule() throws IOException, URISyntaxException {
        Path classesDir = Path.of(SyncEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classesDir.resolve("module-info.class"))) {
            exported = ModuleDescriptor.read(in).exports().stream()
                    .filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.imapsync");
    }

    @Test
    void theExportedTypesAreTheListedOnes() {
        Set<String> actual = new TreeSet<>();
        for (JavaClass c : classes) {
            if (c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC)
                    && exported.contains(c.getPackageName())) {
                actual.add(c.getName());
            }
        }
        assertThat(actual).as("public top-level types of exported packages").containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void theRootReadmeListsTheSameTypesAndCountsThem() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## The API on one page"), readme.indexOf("## Measured"));
        Set<String> listed = new TreeSet<>();
        String pkg = "";
        for (String line : section.lines().toList()) {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("^\\| (?:`([a-z.]+)`)? *\\| `(\\w+)` \\|")
                    .matcher(line);
            if (!row.find()) {
                continue;
            }
            pkg = row.group(1) != null ? row.group(1) : pkg;
            if (exported.contains(pkg)) {
                listed.add(pkg + "." + row.group(2));
            }
        }
        assertThat(listed).as("the types README.md's \"API on one page\" lists for imap-sync-core")
                .containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(section).as("the count README.md gives").contains("exported packages (" + EXPECTED.size() + ")");
    }

    @Test
    void noExportedSignatureMentionsAnInternalType() {
        Set<String> leaks = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!isApi(c)) {
                continue;
            }
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                if (!unit.getModifiers().contains(JavaModifier.PUBLIC)
                        && !unit.getModifiers().contains(JavaModifier.PROTECTED)) {
                    continue;
                }
                String where = c.getName() + "." + unit.getName();
                unit.getRawParameterTypes().forEach(type -> check(leaks, where, type));
                check(leaks, where, unit.getRawReturnType());
            }
            for (JavaField field : c.getFields()) {
                if (field.getModifiers().contains(JavaModifier.PUBLIC)) {
                    check(leaks, c.getName() + "." + field.getName(), field.getRawType());
                }
            }
        }
        assertThat(leaks).as("public signatures that mention a type users cannot see").isEmpty();
    }

    private static boolean isApi(JavaClass c) {
        if (!exported.contains(c.getPackageName()) || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        return c.getEnclosingClass().map(ExportedApiTest::isApi).orElse(true);
    }

    private static void check(Set<String> leaks, String where, JavaClass type) {
        JavaClass base = type.getBaseComponentType();
        if (base.getPackageName().startsWith("jakarta.") || base.getPackageName().startsWith("org.eclipse.angus")) {
            leaks.add(where + " mentions " + base.getName() + " (Jakarta Mail stays internal)");
        } else if (base.getPackageName().startsWith("dev.imapsync") && !isApi(base)) {
            leaks.add(where + " mentions " + base.getName());
        }
    }
}
