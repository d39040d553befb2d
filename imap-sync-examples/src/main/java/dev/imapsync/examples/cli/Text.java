package dev.imapsync.examples.cli;

import dev.imapsync.Failure;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelinePage;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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

    /**
     * {@code history}: one line per entry (date, direction, roles, where it is, sender, subject),
     * folder names decoded; several accounts' copies as {@code folder [account]}.
     */
    static void printTimeline(PrintStream out, String contactId, TimelinePage page) {
        if (page.entries().isEmpty()) {
            out.println("No history for contact " + contactId + ".");
            return;
        }
        for (TimelineEntry e : page.entries()) {
            String roles = e.roles().stream().sorted().map(r -> r.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(","));
            String where = e.locations().size() == 1 ? MailFolder.displayNameOf(e.locations().get(0).folder())
                    : e.locations().stream().map(l -> MailFolder.displayNameOf(l.folder()) + " [" + l.accountId() + "]")
                    .collect(Collectors.joining(", "));
            out.printf("%s  %-8s %-9s %-20s %-30s %s%s%n", e.date(), e.direction(), roles, where, e.sender(),
                    e.bulk() ? "[bulk] " : "", e.subject());
            e.preview().ifPresent(p -> printPreview(out, p, "    "));
        }
        page.next().ifPresent(next -> out.println("More: add --before " + next));
    }

    /**
     * The preview under a timeline entry: its text (or why there is none), then the attachments'
     * names. Text from mail is printed without control characters, so a message cannot move the cursor.
     */
    static void printPreview(PrintStream out, MessagePreview p, String indent) {
        String text = p.encrypted() ? "(encrypted: no preview)"
                : p.text().isEmpty() ? null : p.text() + (p.truncated() && !p.text().endsWith("…") ? "…" : "");
        if (p.calendarMethod().isPresent()) {
            text = "[invitation: " + p.calendarMethod().get() + "] " + (text == null ? "" : text);
        }
        if (text != null) {
            out.println(indent + printable(text));
        }
        List<String> names = p.attachments().stream().filter(a -> !a.inline())
                .map(a -> a.name().isEmpty() ? a.mimeType() : a.name()).toList();
        if (!names.isEmpty()) {
            out.println(indent + "attachments: " + printable(String.join(", ", names)));
        }
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }

    /** {@code contacts}: one line per contact, busiest first. */
    static void printContacts(PrintStream out, List<ContactSummary> summaries) {
        if (summaries.isEmpty()) {
            out.println("No contact has any mail yet.");
            return;
        }
        for (ContactSummary s : summaries) {
            out.printf("%-30s %8d message%s  last inbound %s, last outbound %s%n", s.contactId(), s.messages(),
                    s.messages() == 1 ? " " : "s", s.lastInbound().map(Instant::toString).orElse("never"),
                    s.lastOutbound().map(Instant::toString).orElse("never"));
        }
    }
}
