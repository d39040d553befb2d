package dev.imapsync.examples.cli;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.examples.demo.CrmContactMatcher;
import dev.imapsync.examples.demo.CrmDatabase;
import dev.imapsync.examples.demo.CrmDatabase.ContactHistory;
import dev.imapsync.examples.demo.CrmDatabase.Entry;
import dev.imapsync.examples.demo.CrmDatabase.Unmatched;
import dev.imapsync.examples.demo.DemoMailbox;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.SyncStatus;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code demo}: what a host application sees, with nothing to set up. An embedded GreenMail
 * with a sales rep's mailbox and a certificate made on the spot; a probe that falls back from
 * STARTTLS to implicit TLS; the folders with their roles and the recommended selection; the
 * classified failures for a wrong password and for a certificate nobody trusted; then a sync of
 * the recommended folders into an in-memory H2 database that also holds a small CRM, matched by
 * the demo's own {@link CrmContactMatcher}; the CRM's contacts joined to the history written;
 * the account's status; and a second sync that finds nothing new.
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
            out.printf("An embedded IMAP server (GreenMail) on 127.0.0.1:%d (TLS) holds %d messages for %s;%n"
                    + "an in-memory H2 database holds the CRM's %d contacts (crm_contact, crm_contact_email).%n%n",
                    server.imapsPort(), stored, DemoMailbox.USER, CrmDatabase.CONTACTS.size());

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

            out.println();
            out.println("6. The CRM's contacts joined to imapsync_activity (newest first):");
            List<ContactHistory> histories = crm.histories(account.id());
            List<Unmatched> unmatched = crm.unmatched(account.id());
            answer.put("contacts", historiesJson(histories));
            answer.put("unmatched", unmatchedJson(unmatched));
            printHistories(out, histories, unmatched);

            out.println();
            out.println("7. The account's status (what a status page shows):");
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
            if (report.status() != SyncStatus.OK || again.status() != SyncStatus.OK) {
                cli.err().println("demo failed: the sync of the demo mailbox ended " + report.status() + "/"
                        + again.status() + ": " + report.failure().or(again::failure).map(Object::toString)
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
            out.printf("     %-6s %s%n", MailFolder.displayNameOf(f.folder()), f.upToDate() ? "up to date, 0 fetched"
                    : f.fetched() + " fetched, " + f.matched() + " matched, last UID " + f.lastUid());
        }
    }

    private static void printHistories(PrintStream out, List<ContactHistory> histories, List<Unmatched> unmatched) {
        for (ContactHistory h : histories) {
            String who = String.format(Locale.ROOT, "%s, %s (#%d)", h.name(), h.company(), h.contactId());
            if (h.entries().isEmpty()) {
                out.printf("   %s: no mail yet%n", who);
                continue;
            }
            out.printf("   %s%n", who);
            for (Entry e : h.entries()) {
                out.printf("     %s  %-8s %-4s %-6s %s%n", DATE.format(e.date()), e.direction(), e.role(),
                        MailFolder.displayNameOf(e.folder()), e.subject());
            }
        }
        out.printf("   Read but for no contact (%d):%n", unmatched.size());
        for (Unmatched u : unmatched) {
            out.printf("     %s  %-6s %-28s %s%n", DATE.format(u.date()),
                    MailFolder.displayNameOf(u.folder()), u.from(), u.subject());
        }
    }

    /** Each CRM contact with its history, the entries in the shape of {@code history --json}. */
    private static List<Object> historiesJson(List<ContactHistory> histories) {
        List<Object> contacts = new ArrayList<>();
        for (ContactHistory h : histories) {
            List<Object> entries = new ArrayList<>();
            for (Entry e : h.entries()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("messageKey", e.messageKey());
                m.put("contactId", Long.toString(h.contactId()));
                m.put("role", e.role());
                m.put("direction", e.direction());
                m.put("date", e.date().toString());
                m.put("subject", e.subject());
                m.put("from", e.from());
                m.put("folder", e.folder());
                entries.add(m);
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("contactId", Long.toString(h.contactId()));
            c.put("name", h.name());
            c.put("company", h.company());
            c.put("history", entries);
            contacts.add(c);
        }
        return contacts;
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
