package dev.imapsync.examples.cli;

import dev.imapsync.Failure;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The human-readable answers of the CLI. */
final class Text {
    private Text() {
    }

    static void printProbe(PrintStream out, ProbeResult result) {
        if (result.ok()) {
            out.printf("OK: %s works (%s), found in %d ms%n", result.endpoint().orElseThrow(),
                    result.provider().displayName(), result.duration().toMillis());
        } else {
            Failure f = result.failure().orElseThrow();
            out.printf("FAILED (%s): %s%n", f.kind(), f.message());
            out.printf("What to do: %s%n", f.hint());
        }
        out.println("Attempts:");
        for (ProbeAttempt a : result.attempts()) {
            out.printf("  %-9s %-40s %-20s %6d ms%n", a.step().name().toLowerCase(java.util.Locale.ROOT),
                    a.endpoint(), a.outcome(), a.duration().toMillis());
        }
        if (result.ok()) {
            out.println("Capabilities: " + CapabilitySummary.of(result.capabilities()));
            out.println("Folders:");
            printFolderList(out, result.folders());
        }
    }

    static void printFolders(PrintStream out, ProbeResult result, FolderSelection recommended) {
        out.printf("%s (%s), %d folders:%n", result.endpoint().orElseThrow(), result.provider().displayName(),
                result.folders().size());
        printFolderList(out, result.folders());
        out.println("Recommended: " + String.join(", ", recommended.displayNames()));
        for (String warning : recommended.warnings()) {
            out.println("Note: " + warning);
        }
    }

    private static void printFolderList(PrintStream out, List<MailFolder> folders) {
        for (MailFolder f : folders) {
            List<String> roles = new ArrayList<>();
            for (FolderRole r : FolderRole.values()) {
                if (f.hasRole(r)) {
                    roles.add(r.jsonName());
                }
            }
            // the raw name only as printable characters: a server picks it, escapes and all
            String raw = f.name().codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            String name = f.displayName().equals(f.name()) ? raw : f.displayName() + "  [" + raw + "]";
            out.printf("  %-40s %s%s%n", name, String.join(",", roles), f.isSelectable() ? "" : " (not selectable)");
        }
    }
}
