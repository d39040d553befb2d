package dev.imapsync.examples.cli;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.examples.demo.DemoMailbox;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificate;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.sync.FolderReport;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code demo}: starts an embedded GreenMail with a realistic mailbox and a certificate made on
 * the spot, then shows what a host application sees: a probe that falls back from STARTTLS to
 * implicit TLS, the folders with their roles and the recommended selection, the classified
 * failures for a wrong password and for a certificate nobody trusted, and a sync of the
 * recommended folders into three sample contacts' histories (then a second sync that finds
 * nothing new).
 */
@Command(name = "demo", description = "Run the demo on an embedded IMAP server (no account needed).")
final class DemoCommand implements Callable<Integer> {
    /** The demo CRM's contacts: what a host application's ContactMatcher would look up. */
    private static final InMemoryContactMatcher DEMO_CONTACTS = InMemoryContactMatcher.builder()
            .add("maria", "maria.schmidt@kunde.example")
            .add("jean", "jean.dupont@client.example", "j.dupont@client.example")
            .add("priya", "Priya.Patel@partner.example")
            .build();
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @ParentCommand
    ImapSyncCli cli;

    @Override
    public Integer call() {
        PrintStream out = cli.out();
        TestCertificate certificate = TestCertificate.selfSigned("localhost", "127.0.0.1");
        try (GreenMailTls server = GreenMailTls.start(certificate)) {
            int stored = DemoMailbox.fill(server);
            out.printf("Started an embedded IMAP server (GreenMail) on 127.0.0.1: TLS on port %d, with %d messages"
                    + " for %s.%n%n", server.imapsPort(), stored, DemoMailbox.USER);

            ImapAccount account = ImapAccount.builder()
                    .id("demo-sam")
                    .emailAddress(DemoMailbox.USER)
                    // deliberately the wrong mode for this port: the probe finds the right one
                    .endpoint("127.0.0.1", server.imapsPort(), Security.STARTTLS)
                    .password(DemoMailbox.USER, DemoMailbox.PASSWORD)
                    // the server's self-signed certificate, trusted for this account only
                    .trustCertificatePem(certificate.pem())
                    .build();
            ConnectionProber prober = ConnectionProber.standard();

            out.println("1. Probe, with STARTTLS asked for on a port that speaks implicit TLS:");
            ProbeResult result = prober.probe(account);
            Text.printProbe(out, result);
            if (!result.ok()) {
                cli.err().println("demo failed: the probe of the demo server failed: " + result.failure().orElseThrow());
                return ExitCodes.FAILED;
            }

            out.println();
            out.println("2. Folders and the recommended selection:");
            FolderSelection recommended = FolderSelector.recommend(result.folders(), result.provider());
            Text.printFolders(out, result, recommended);

            out.println();
            out.println("3. The same account with a wrong password (tried once, never once per mode):");
            Text.printProbe(out, prober.probe(result.workingAccount().toBuilder()
                    .password(DemoMailbox.USER, "wrong-password").build()));

            out.println();
            out.println("4. Without trusting the server's certificate (nothing is sent, no weaker mode is used):");
            ImapAccount untrusting = ImapAccount.builder().id("demo-sam")
                    .endpoint(result.endpoint().orElseThrow())
                    .password(DemoMailbox.USER, DemoMailbox.PASSWORD).build();
            Text.printProbe(out, prober.probe(untrusting));
            out.println();
            out.println("5. Sync the recommended folders into the history of three CRM contacts:");
            InMemorySyncStore store = new InMemorySyncStore();
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .contactMatcher(DEMO_CONTACTS)
                    .build();
            SyncReport report = engine.sync(result.workingAccount(), recommended);
            out.printf("   %s: %d messages read, %d with a known contact, %d history entries written%n",
                    report.status(), report.fetched(), report.matched(), report.activities());
            for (String contact : List.of("maria", "jean", "priya")) {
                out.printf("   History of contact '%s':%n", contact);
                for (ContactActivity a : store.history(contact, 10)) {
                    out.printf("     %s  %-8s %-4s %-22s %s%n", DATE.format(a.date()), a.direction(), a.role(),
                            a.folder() + " (" + a.from() + ")", a.subject());
                }
            }

            out.println();
            out.println("6. Sync again: nothing is new, so nothing is fetched:");
            SyncReport again = engine.sync(result.workingAccount(), recommended);
            for (FolderReport folder : again.folders()) {
                out.printf("   %-8s %s, %d fetched%n", folder.folder(), folder.upToDate() ? "up to date" : "synced",
                        folder.fetched());
            }
            out.println();
            out.println("Next: run 'probe' or 'folders' against your own server (see --help).");
            return ExitCodes.OK;
        }
    }
}
