package dev.imapsync.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of core form layers, and a package may use only the layers below it: so no
 * package imports one above it, and no two packages import each other. A new package fails
 * here until it is given its place.
 *
 * <p>From the bottom: the failure vocabulary; accounts and messages; folders and contacts;
 * the internal plumbing (the header parser and the transport, then the preview path's parsing, then Jakarta Mail); probing;
 * the storage SPI; the engine; opening one email on demand; the lease SPI; the scheduler. The JDBC module sits above all of
 * them and sees only the exported packages (its module-info enforces that).
 */
class PackageLayersTest {
    /** Each package's layer, bottom first; packages of one layer may not use each other. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("dev.imapsync"),
            Set.of("dev.imapsync.message"),
            Set.of("dev.imapsync.policy"),
            Set.of("dev.imapsync.account"),
            Set.of("dev.imapsync.folder", "dev.imapsync.contact"),
            Set.of("dev.imapsync.internal.message", "dev.imapsync.internal.transport"),
            Set.of("dev.imapsync.internal.content"),
            Set.of("dev.imapsync.internal.mail"),
            Set.of("dev.imapsync.connect"),
            Set.of("dev.imapsync.store"),
            Set.of("dev.imapsync.sync"),
            Set.of("dev.imapsync.content"),
            Set.of("dev.imapsync.schedule.spi"),
            Set.of("dev.imapsync.schedule"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.imapsync");
    }

    @Test
    void everyPackageHasItsLayer() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : classes) {
            if (layerOf(c.getPackageName()) < 0 && !c.getSimpleName().equals("package-info")) {
                unplaced.add(c.getPackageName());
            }
        }
        assertThat(unplaced).as("packages without a layer: add them to PackageLayersTest.LAYERS").isEmpty();
    }

    @Test
    void noPackageUsesOneAboveItOrBesideIt() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getBaseComponentType().getPackageName();
                if (!to.startsWith("dev.imapsync") || to.equals(from)) {
                    continue;
                }
                int fromLayer = layerOf(from);
                int toLayer = layerOf(to);
                if (fromLayer >= 0 && toLayer >= 0 && toLayer >= fromLayer) {
                    violations.add(c.getSimpleName() + " (" + from + ") uses "
                            + d.getTargetClass().getBaseComponentType().getName() + ": "
                            + (toLayer == fromLayer ? "a package beside it" : "a package above it"));
                }
            }
        }
        assertThat(violations).as("dependencies against the layers").isEmpty();
    }

    static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }
}
