package dev.imapsync.benchmarks;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.content.MessageContent;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.CommandRecorder;
import dev.imapsync.testing.ShapingProxy;
import dev.imapsync.testing.ShapingProxy.Profile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * {@code round-trips [--profiles 20ms,60ms,150ms] [--repetitions N]}: what the short operations
 * cost where the server is far away. Against the project's Dovecot, through a
 * {@link ShapingProxy} per profile: the probe, {@code show} of a 50 KB email
 * ({@link ShowBenchmark#message}) and a no-change resync of a 1,000-message folder, each timed
 * N times (median), with the round trips the link saw (TCP and TLS handshakes included, see
 * {@link ShapingProxy#turns()}) and the IMAP round trips after login, counted in one more run
 * through a {@link CommandRecorder} on the cleartext port.
 */
final class RoundTripBenchmark {
    private static final String RESYNC_FOLDER = "bench-rt-1000";

    private RoundTripBenchmark() {
    }

    /** One operation against an account: throws when it did not do its work. */
    private interface Operation {
        void run(ImapAccount account) throws Exception;
    }

    static void run(String[] args) throws Exception {
        List<String> profiles = List.of("20ms", "60ms", "150ms");
        int repetitions = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profiles" -> profiles = List.of(args[++i].split(","));
                case "--repetitions" -> repetitions = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: round-trips [--profiles 20ms,60ms,150ms] [--repetitions N]");
            }
        }
        String starttls = System.getenv("IMAPSYNC_TEST_DOVECOT_STARTTLS_PORT");
        if (System.getenv("IMAPSYNC_TEST_DOVECOT") == null || starttls == null) {
            System.err.println("round-trips needs the project's Dovecot: run `bash .ci/dovecot/start.sh && source"
                    + " /tmp/imapsync-dovecot/env` first.");
            System.exit(2);
        }
        try (ProbeTarget target = ProbeTarget.start()) {
            EndToEndMessages.fill(target, RESYNC_FOLDER, 1_000);
            ShowFolder show = ShowFolder.create(target);
            try {
                FolderSelection selection = FolderSelection.of(List.of(
                        MailFolder.fromList(RESYNC_FOLDER, ".", List.of("\\HasNoChildren"))));
                SyncEngine engine = SyncEngine.builder()
                        .store(new InMemorySyncStore())
                        .contactMatcher(EndToEndMessages.matcher())
                        .options(SyncOptions.builder().initialWindow(Duration.ofDays(36_500)).build())
                        .build();
                check(engine.sync(target.account(Security.SSL_TLS), selection), "first sync");
                ConnectionProber prober = ConnectionProber.standard();
                MessageOpener opener = MessageOpener.standard();
                Operation probe = account -> {
                    ProbeResult r = prober.probe(account);
                    if (!r.ok()) {
                        throw new IllegalStateException("the probe failed: " + r);
                    }
                };
                Operation open = account -> {
                    MessageContent c = opener.open(account.toBuilder().id("bench").build(),
                            FolderChoice.named(List.of(show.name)), show.key, show.locations).orElseThrow();
                    if (c.text().isEmpty()) {
                        throw new IllegalStateException("show read no text");
                    }
                };
                Operation resync = account -> {
                    SyncReport r = engine.sync(account, selection);
                    check(r, "no-change resync");
                    if (r.fetched() != 0) {
                        throw new IllegalStateException("the no-change resync fetched " + r.fetched());
                    }
                };
                String[] names = {"probe", "show (a 50 KB email)", "no-change resync (1,000 messages)"};
                Operation[] operations = {probe, open, resync};
                List<String> commandTrips = new ArrayList<>();
                for (Operation op : operations) {
                    commandTrips.add(countCommands(target, Integer.parseInt(starttls), op));
                }
                for (String name : profiles) {
                    Profile profile = Profile.named(name);
                    System.out.println();
                    System.out.println("through " + profile + ", " + repetitions + " repetitions after one unmeasured:");
                    System.out.println("| operation | ms, median (min-max) | connections | round trips on the link"
                            + " (TCP, TLS, IMAP) | IMAP round trips after login |");
                    System.out.println("|---|---|---|---|---|");
                    try (ShapingProxy link = ShapingProxy.to(target.host, target.tlsPort, profile)) {
                        ImapAccount shaped = target.through(link.port()).account(Security.SSL_TLS);
                        for (int o = 0; o < operations.length; o++) {
                            operations[o].run(shaped);
                            double[] ms = new double[repetitions];
                            long connections = link.connections();
                            long turns = link.turns();
                            for (int r = 0; r < repetitions; r++) {
                                long start = System.nanoTime();
                                operations[o].run(shaped);
                                ms[r] = (System.nanoTime() - start) / 1e6;
                            }
                            Arrays.sort(ms);
                            System.out.printf("| %s | %.0f (%.0f-%.0f) | %.1f | %.1f | %s |%n", names[o],
                                    ms[repetitions / 2], ms[0], ms[repetitions - 1],
                                    (double) (link.connections() - connections) / repetitions,
                                    (double) (link.turns() - turns) / repetitions, commandTrips.get(o));
                        }
                    }
                }
            } finally {
                show.delete(target);
            }
        }
    }

    /**
     * The operation once through a recorder on the cleartext port: its round trips after the last
     * login. The recorder sits in front of a 20 ms link, so that the server's answer cannot pass
     * it before a command the client writes without waiting for that answer (pipelined): on bare
     * loopback, on a loaded machine, a pause of the client's thread between two writes was enough
     * for the second to be counted as a round trip. It also gives the LOGOUT, which the client
     * writes without waiting, 200 ms to reach the recorder before the commands are read.
     */
    private static String countCommands(ProbeTarget target, int cleartextPort, Operation op) throws Exception {
        try (ShapingProxy link = ShapingProxy.to(target.host, cleartextPort, Profile.RTT_20_MS);
             CommandRecorder counter = CommandRecorder.relayTo("127.0.0.1", link.port())) {
            ImapAccount plain = target.account(Security.SSL_TLS).toBuilder()
                    .endpoint("127.0.0.1", counter.port(), Security.NONE)
                    .allowInsecure(true)
                    .build();
            try {
                op.run(plain);
            } catch (Exception | Error e) {
                return "(not counted: " + e.getMessage() + ")";
            }
            Thread.sleep(200); // the LOGOUT, written without waiting, may still be on its way to the recorder
            List<String> all = counter.roundTripCommands();
            List<String> trips = EndToEndCase.afterLogin(all);
            return trips.size() + " (" + String.join(", ", trips) + "; in all: " + String.join(", ", all) + ")";
        }
    }

    private static void check(SyncReport report, String what) {
        if (report.status() != SyncStatus.OK) {
            throw new IllegalStateException(what + " ended " + report.status() + ": " + report.failure());
        }
    }

    /** A folder of one 50 KB email for show, made for this run and deleted after it. */
    private static final class ShowFolder {
        final String name;
        final MessageKey key;
        final List<Location> locations;

        private ShowFolder(String name, MessageKey key, List<Location> locations) {
            this.name = name;
            this.key = key;
            this.locations = locations;
        }

        static ShowFolder create(ProbeTarget target) throws Exception {
            String name = "bench-rt-show-" + UUID.randomUUID().toString().substring(0, 8);
            String messageId = name + "@bench.example";
            Session session = session(target);
            Store store = connect(session, target);
            try {
                Folder folder = store.getFolder(name);
                folder.create(Folder.HOLDS_MESSAGES);
                folder.open(Folder.READ_WRITE);
                Message[] appended = ((IMAPFolder) folder).addMessages(new Message[] {
                    new MimeMessage(session, new ByteArrayInputStream(ShowBenchmark.message(messageId)))});
                long uid = ((UIDFolder) folder).getUID(appended[0]);
                long uidValidity = ((UIDFolder) folder).getUIDValidity();
                folder.close(false);
                return new ShowFolder(name, MessageKey.ofMessageId(messageId),
                        List.of(new Location("bench", name, uid, uidValidity)));
            } finally {
                store.close();
            }
        }

        void delete(ProbeTarget target) throws MessagingException {
            Store store = connect(session(target), target);
            try {
                Folder folder = store.getFolder(name);
                if (folder.exists()) {
                    folder.delete(true);
                }
            } finally {
                store.close();
            }
        }

        private static Session session(ProbeTarget target) {
            Properties props = new Properties();
            props.put("mail.imaps.ssl.socketFactory", target.trustingSocketFactory());
            props.put("mail.imaps.ssl.checkserveridentity", "true");
            return Session.getInstance(props);
        }

        private static Store connect(Session session, ProbeTarget target) throws MessagingException {
            Store store = session.getStore("imaps");
            store.connect(target.host, target.tlsPort, target.user, target.password);
            return store;
        }
    }
}
