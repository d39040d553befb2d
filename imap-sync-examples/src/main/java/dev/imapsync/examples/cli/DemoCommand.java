package dev.imapsync.examples.cli;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.content.MessageContent;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.content.OpenResult;
import dev.imapsync.examples.demo.CrmContactMatcher;
import dev.imapsync.examples.demo.CrmDatabase;
import dev.imapsync.examples.demo.CrmDatabase.Contact;
import dev.imapsync.examples.demo.CrmDatabase.Unmatched;
import dev.imapsync.examples.demo.DemoMailbox;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncReport.FolderReport;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificate;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code demo}: what a host application sees, with nothing to set up. An embedded GreenMail
 * with a sales rep's mailbox and a certificate made on the spot; a probe that falls back from
 * STARTTLS to implicit TLS; the folders with their roles and the recommended selection; the
 * classified failures for a wrong password and for a certificate nobody trusted; then a sync of
 * the recommended folders into an in-memory H2 database that also holds a small CRM, matched by
 * the demo's own {@link CrmContactMatcher}, and of a colleague's mailbox that holds some of the
 * same messages; the CRM's contacts with their timelines, read through {@link TimelineStore}
 * (a message both reps hold shows once); the accounts' statuses; and a second sync that finds
 * nothing new.
 */
@Command(name = "demo", description = "Run the demo on an embedded IMAP server and an in-memory H2 CRM"
        + " (no account needed).")
final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--json", description = "Print what the demo found as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        PrintStream out = json ? new PrintStream(PrintStream.nullOutputStream()) : cli.out();
        Map<String, Object> answer = new LinkedHashMap<>();
        TestCertificate certificate = TestCertificate.selfSigned("localhost", "127.0.0.1");
        try (GreenMailTls server = GreenMailTls.start(certificate);
             CrmDatabase crm = CrmDatabase.create()) {
            int stored = DemoMailbox.fill(server);
            out.printf("An embedded IMAP server (GreenMail) on 127.0.0.1:%d (TLS) holds %d messages for two sales"
                    + " reps,%n%s and %s;%n"
                    + "an in-memory H2 database holds the CRM's %d contacts (crm_contact, crm_contact_email).%n%n",
                    server.imapsPort(), stored, DemoMailbox.USER, DemoMailbox.COLLEAGUE, CrmDatabase.CONTACTS.size());

            ImapAccount account = ImapAccount.builder()
                    .id("demo-sam")
                    .emailAddress(DemoMailbox.USER)
                    .alias(DemoMailbox.ALIAS)
                    // deliberately the wrong mode for this port: the probe finds the right one
                    .endpoint("127.0.0.1", server.imapsPort(), Security.STARTTLS)
                    .password(DemoMailbox.USER, DemoMailbox.PASSWORD)
                    // the server's self-signed certificate, trusted for this account only
                    .trustCertificatePem(certificate.pem())
                    .build();
            ConnectionProber prober = ConnectionProber.standard();

            out.println("1. Probe, with STARTTLS asked for on a port that speaks implicit TLS:");
            ProbeResult probe = prober.probe(account);
            answer.put("probe", Json.probe(probe));
            if (!probe.ok()) {
                printJson(answer);
                cli.err().println("demo failed: the probe of the demo server failed: " + probe.failure().orElseThrow());
                return ExitCodes.FAILED;
            }
            printAttempts(out, probe);

            out.println();
            out.println("2. Folders, their roles and the recommended selection:");
            FolderSelection recommended = FolderSelector.recommend(probe.folders(), probe.provider());
            answer.put("folders", Json.folders(probe.folders(), recommended));
            printFolders(out, probe, recommended);

            out.println();
            out.println("3. The same account with a wrong password (tried once, never once per mode):");
            ProbeResult wrongPassword = prober.probe(probe.workingAccount().toBuilder()
                    .password(DemoMailbox.USER, "wrong-password").build());
            answer.put("wrongPassword", Json.probe(wrongPassword));
            printFailure(out, wrongPassword);

            out.println();
            out.println("4. Without trusting the server's certificate (nothing is sent, no weaker mode is used):");
            ProbeResult untrusted = prober.probe(ImapAccount.builder().id("demo-sam")
                    .endpoint(probe.endpoint().orElseThrow())
                    .password(DemoMailbox.USER, DemoMailbox.PASSWORD).build());
            answer.put("untrustedCertificate", Json.probe(untrusted));
            printFailure(out, untrusted);

            // What a host does once at start: imap-sync's tables beside its own, and its store.
            JdbcSchema.migrate(crm.dataSource());
            JdbcSyncStore store = JdbcSyncStore.create(crm.dataSource());
            TimelineStore timelines = store;
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .contactMatcher(new CrmContactMatcher(crm.dataSource()))
                    .build();

            out.println();
            out.println("5. Sync " + String.join(" and ", recommended.displayNames()) + " into the H2 database"
                    + " (JdbcSyncStore), matching addresses with the demo's CrmContactMatcher:");
            SyncReport report = engine.sync(probe.workingAccount(), recommended);
            answer.put("sync", Json.sync(report));
            printReport(out, report);
            out.println("   Then the same folders of the colleague's mailbox (" + DemoMailbox.COLLEAGUE
                    + "), which holds two of Sam's messages too:");
            ImapAccount colleague = ImapAccount.builder()
                    .id("demo-alex")
                    .emailAddress(DemoMailbox.COLLEAGUE)
                    .endpoint(probe.endpoint().orElseThrow())
                    .password(DemoMailbox.COLLEAGUE, DemoMailbox.COLLEAGUE_PASSWORD)
                    .trustCertificatePem(certificate.pem())
                    .build();
            SyncReport colleagueReport = engine.sync(colleague, recommended);
            answer.put("syncColleague", Json.sync(colleagueReport));
            printReport(out, colleagueReport);

            out.println();
            out.println("6. The CRM's contacts with their timelines, read through the store's TimelineStore side"
                    + " (newest first,");
            out.println("   one entry per message, however many reps hold it; OUTBOUND when a rep sent it):");
            List<Contact> contacts = crm.contacts();
            List<Unmatched> unmatched = crm.unmatched(account.id());
            answer.put("contacts", timelines(out, timelines, contacts));
            answer.put("unmatched", unmatchedJson(unmatched));
            printUnmatched(out, unmatched);
            answer.put("opened", openOne(out, timelines, contacts, List.of(probe.workingAccount(), colleague)));

            out.println();
            out.println("7. The accounts' statuses (what a status page shows):");
            List<AccountStatus> statuses = store.statuses();
            answer.put("status", statusJson(statuses));
            for (AccountStatus s : statuses) {
                out.printf("   %s: %s, last synced %s%s%n", s.accountId(), s.status(),
                        s.lastSyncedAt().map(DATE::format).orElse("never"),
                        s.message().isEmpty() ? "" : " (" + s.message() + " What to do: " + s.hint() + ")");
            }

            out.println();
            out.println("8. Sync again: nothing is new, so nothing is fetched and no history is written:");
            SyncReport again = engine.sync(probe.workingAccount(), recommended);
            answer.put("syncAgain", Json.sync(again));
            printReport(out, again);

            out.println();
            out.println("The CRM's matcher: imap-sync-examples/src/main/java/dev/imapsync/examples/demo/"
                    + "CrmContactMatcher.java.");
            out.println("Next: run 'probe' or 'folders' against your own server (see --help).");
            printJson(answer);
            if (report.status() != SyncStatus.OK || colleagueReport.status() != SyncStatus.OK
                    || again.status() != SyncStatus.OK) {
                cli.err().println("demo failed: the syncs of the demo mailboxes ended " + report.status() + "/"
                        + colleagueReport.status() + "/" + again.status() + ": " + report.failure()
                        .or(colleagueReport::failure).or(again::failure).map(Object::toString)
                        .orElse("see the folder reports"));
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
    }

    private void printJson(Map<String, Object> answer) {
        if (json) {
            cli.out().println(Json.write(answer));
        }
    }

    private static void printAttempts(PrintStream out, ProbeResult probe) {
        out.printf("   OK: %s works, found in %d ms%n", probe.endpoint().orElseThrow(), probe.duration().toMillis());
        for (ProbeAttempt a : probe.attempts()) {
            out.printf("     %-9s %-30s %s%n", a.step().name().toLowerCase(Locale.ROOT), a.endpoint(), a.outcome());
        }
    }

    private static void printFolders(PrintStream out, ProbeResult probe, FolderSelection recommended) {
        for (MailFolder f : probe.folders()) {
            List<String> roles = new ArrayList<>();
            for (FolderRole r : FolderRole.values()) {
                if (f.hasRole(r)) {
                    roles.add(r.jsonName());
                }
            }
            out.println(String.format(Locale.ROOT, "     %-10s %-10s %s", f.displayName(), String.join(",", roles),
                    recommended.names().contains(f.name()) ? "recommended" : "").stripTrailing());
        }
        recommended.warnings().forEach(w -> out.println("   Note: " + w));
    }

    private static void printFailure(PrintStream out, ProbeResult probe) {
        probe.failure().ifPresentOrElse(f -> {
            out.printf("   FAILED (%s): %s%n", f.kind(), f.message());
            out.printf("   What to do: %s%n", f.hint());
        }, () -> out.println("   OK (unexpected)"));
        for (ProbeAttempt a : probe.attempts()) {
            out.printf("     %-9s %-30s %s%n", a.step().name().toLowerCase(Locale.ROOT), a.endpoint(), a.outcome());
        }
    }

    private static void printReport(PrintStream out, SyncReport report) {
        out.printf("   %s: %d messages read, %d with a CRM contact, %d history entries written%n",
                report.status(), report.fetched(), report.matched(), report.activities());
        for (FolderReport f : report.folders()) {
            out.printf("     %-6s %s%s%n", MailFolder.displayNameOf(f.folder()), f.upToDate() ? "up to date, 0 fetched"
                    : f.fetched() + " fetched, " + f.matched() + " matched, last UID " + f.lastUid(),
                    f.excluded().isEmpty() ? "" : "; kept out by the privacy rules: " + f.excluded().entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /**
     * Prints each CRM contact's summary and timeline, and answers them as JSON: the summaries in
     * one call for all contacts (what a list view does), a page of each timeline (what a contact
     * page does), the entries in the shape of {@code history --json}.
     */
    private static List<Object> timelines(PrintStream out, TimelineStore timelines, List<Contact> contacts) {
        Map<String, ContactSummary> summaries = timelines.summaries(
                contacts.stream().map(c -> Long.toString(c.id())).toList());
        List<Object> answer = new ArrayList<>();
        for (Contact c : contacts) {
            String id = Long.toString(c.id());
            ContactSummary summary = summaries.get(id);
            TimelinePage page = timelines.timeline(TimelineQuery.forContact(id));
            String who = String.format(Locale.ROOT, "%s, %s (#%d)", c.name(), c.company(), c.id());
            if (summary.messages() == 0) {
                out.printf("   %s: no mail yet%n", who);
            } else {
                out.printf("   %s: %d message%s, last inbound %s, last outbound %s%n", who, summary.messages(),
                        summary.messages() == 1 ? "" : "s", summary.lastInbound().map(DATE::format).orElse("never"),
                        summary.lastOutbound().map(DATE::format).orElse("never"));
            }
            for (TimelineEntry e : page.entries()) {
                String roles = e.roles().stream().sorted().map(Enum::name).collect(Collectors.joining("+"));
                out.printf("     %s  %-8s %-4s %-6s %s%s%n", DATE.format(e.date()), e.direction(), roles,
                        MailFolder.displayNameOf(e.locations().get(0).folder()), e.subject(), heldBy(e));
                e.preview().ifPresent(p -> Text.printPreview(out, p, "                 "));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("contactId", id);
            m.put("name", c.name());
            m.put("company", c.company());
            m.put("messages", summary.messages());
            m.put("lastInbound", summary.lastInbound().map(Instant::toString).orElse(null));
            m.put("lastOutbound", summary.lastOutbound().map(Instant::toString).orElse(null));
            m.put("history", Json.timeline(id, page).get("entries"));
            answer.add(m);
        }
        return answer;
    }

    /** For a message several reps hold: who holds it, where; else nothing. */
    private static String heldBy(TimelineEntry e) {
        if (e.locations().size() < 2) {
            return "";
        }
        return e.locations().stream().map(DemoCommand::where)
                .collect(Collectors.joining(" and ", "  (one entry: in ", ")"));
    }

    private static String where(Location l) {
        return l.accountId() + "'s " + MailFolder.displayNameOf(l.folder());
    }

    /**
     * Opens the newest email of the first contact with mail live from the mailbox of the account
     * that holds it (read-only, the HTML sanitized), prints its text and attachments, and answers
     * it in the shape of {@code show --json}.
     */
    private static Object openOne(PrintStream out, TimelineStore timelines, List<Contact> contacts,
                                  List<ImapAccount> accounts) {
        for (Contact c : contacts) {
            List<TimelineEntry> entries = timelines.timeline(TimelineQuery.forContact(Long.toString(c.id()))).entries();
            if (entries.isEmpty()) {
                continue;
            }
            TimelineEntry e = entries.get(0);
            ImapAccount account = accounts.stream().filter(a -> a.id().equals(e.locations().get(0).accountId()))
                    .findFirst().orElseThrow();
            OpenResult<MessageContent> opened = MessageOpener.standard().open(account, e.messageKey(), e.locations());
            out.println();
            out.printf("   %s's newest email, opened live from %s's %s (read-only, its HTML sanitized):%n", c.name(),
                    account.id(), MailFolder.displayNameOf(e.locations().get(0).folder()));
            if (!(opened instanceof OpenResult.Opened<MessageContent> ok)) {
                out.println("     " + opened.message());
                return Map.of("messageKey", e.messageKey().value(), "message", opened.message());
            }
            MessageContent content = ok.value();
            out.printf("     Subject: %s%n", content.subject());
            content.text().lines().forEach(line -> out.println("     | " + line));
            out.println("     Attachments: " + (content.attachments().isEmpty() ? "none"
                    : content.attachments().stream().map(a -> a.name() + " (" + a.mimeType() + ")")
                            .collect(Collectors.joining(", "))));
            return ShowCommand.json(content);
        }
        return null;
    }

    private static void printUnmatched(PrintStream out, List<Unmatched> unmatched) {
        out.printf("   Read but for no contact (%d):%n", unmatched.size());
        for (Unmatched u : unmatched) {
            out.printf("     %s  %-6s %-28s %s%n", DATE.format(u.date()),
                    MailFolder.displayNameOf(u.folder()), u.from(), u.subject());
        }
    }

    private static List<Object> unmatchedJson(List<Unmatched> unmatched) {
        List<Object> messages = new ArrayList<>();
        for (Unmatched u : unmatched) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messageKey", u.messageKey());
            m.put("date", u.date().toString());
            m.put("subject", u.subject());
            m.put("from", u.from());
            m.put("folder", u.folder());
            messages.add(m);
        }
        return messages;
    }

    private static List<Object> statusJson(List<AccountStatus> statuses) {
        List<Object> entries = new ArrayList<>();
        for (AccountStatus s : statuses) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accountId", s.accountId());
            m.put("status", s.status().name());
            m.put("lastSyncedAt", s.lastSyncedAt().map(Instant::toString).orElse(null));
            m.put("lastAttemptAt", s.lastAttemptAt().toString());
            m.put("message", s.message());
            m.put("hint", s.hint());
            entries.add(m);
        }
        return entries;
    }
}
