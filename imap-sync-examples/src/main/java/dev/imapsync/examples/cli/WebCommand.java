package dev.imapsync.examples.cli;

import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.examples.demo.CrmContactMatcher;
import dev.imapsync.examples.demo.CrmDatabase;
import dev.imapsync.examples.demo.DemoMailbox;
import dev.imapsync.examples.web.ContactDirectory;
import dev.imapsync.examples.web.WebApplication;
import dev.imapsync.examples.web.WebSetup;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificate;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code web}: the email-sync screens as a web application (Spring Boot, server-rendered). Without
 * {@code --db}, on the demo: an embedded GreenMail with the demo's mailboxes (its certificate
 * trusted by the application) and an in-memory H2 CRM whose contacts are the matcher. With
 * {@code --db}, on that database, with the contacts of {@code --contacts}, for real mailboxes.
 */
@Command(name = "web", description = "Run the web example: Email Sync settings, folders, accounts, contacts and"
        + " their timelines in a browser (the demo without --db).")
final class WebCommand implements Callable<Integer> {
    @ParentCommand
    ImapSyncCli cli;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The port to listen on (default 8080; 0 for any free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default 127.0.0.1: this machine only; the example has no login).")
    String bind;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "A database (jdbc:h2:, jdbc:postgresql:, jdbc:mariadb:); without it, the embedded demo.")
    String db;

    @Option(names = "--contacts", paramLabel = "CSV",
            description = "With --db: the contacts to match, lines contact_id,email[,email…] (required with --db).")
    Path contacts;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new UsageException("--port " + port + " is not a port: give 1 to 65535, or 0 for any free one");
        }
        if (db == null && contacts != null) {
            throw new UsageException("--contacts needs --db: the demo has its own CRM contacts");
        }
        try (Running running = db == null ? demo(bind, port) : database()) {
            cli.out().printf("The web example listens on http://%s:%d/settings%s (Ctrl-C stops it).%n",
                    bind.contains(":") ? "[" + bind + "]" : bind, running.port(),
                    db == null ? " with the demo mailbox" : "");
            running.awaitClose();
        }
        return ExitCodes.OK;
    }

    /** A running web example and what it runs on; closing it stops them all. */
    static final class Running implements AutoCloseable {
        private final ConfigurableApplicationContext context;
        private final List<AutoCloseable> resources;
        private final CountDownLatch closed = new CountDownLatch(1);

        Running(ConfigurableApplicationContext context, List<AutoCloseable> resources) {
            this.context = context;
            this.resources = resources;
            context.addApplicationListener(e -> {
                if (e instanceof ContextClosedEvent) {
                    closed.countDown();
                }
            });
        }

        int port() {
            return WebApplication.port(context);
        }

        void awaitClose() throws InterruptedException {
            closed.await();
        }

        @Override
        public void close() {
            context.close();
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // stopping: nothing left to tell anyone
                }
            }
        }
    }

    /** The demo: GreenMail with the demo's mailboxes, and the demo's CRM in an in-memory H2. */
    static Running demo(String bind, int port) {
        TestCertificate certificate = TestCertificate.selfSigned("localhost", "127.0.0.1");
        GreenMailTls server = GreenMailTls.start(certificate);
        CrmDatabase crm = null;
        try {
            DemoMailbox.fill(server);
            crm = CrmDatabase.create();
            CrmDatabase theCrm = crm;
            ContactDirectory directory = () -> theCrm.contacts().stream()
                    .map(c -> new ContactDirectory.Card(Long.toString(c.id()), c.name(), c.company(), c.email()))
                    .toList();
            // a key for the demo's in-memory database, which is gone when the demo stops
            WebSetup setup = new WebSetup(bind, port, Optional.of(crm.dataSource()),
                    Map.of("imapsync.accounts.key", SecretKeys.generate("demo")),
                    new CrmContactMatcher(crm.dataSource()), directory,
                    // the demo server's certificate, made just now: trusted by this application only
                    Optional.of(certificate.pem()),
                    Optional.of(new WebSetup.DemoHint(DemoMailbox.USER, server.host(), server.imapsPort(),
                            DemoMailbox.PASSWORD)), List.of());
            return new Running(WebApplication.start(setup), List.of(crm, server));
        } catch (RuntimeException e) {
            if (crm != null) {
                crm.close();
            }
            server.close();
            throw e;
        }
    }

    private Running database() {
        if (contacts == null) {
            throw new UsageException("--contacts CSV is required with --db: the contacts whose mail is recorded");
        }
        String url = db.replaceFirst("(?i)^jdbc:mysql:", "jdbc:mariadb:");
        String u = url.toLowerCase(Locale.ROOT);
        if (!u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:postgresql:") && !u.startsWith("jdbc:mariadb:")) {
            throw new UsageException("--db " + Database.redact(db) + " is not supported: use jdbc:h2:, jdbc:postgresql:"
                    + " or jdbc:mariadb: (MySQL too)");
        }
        String csv;
        try {
            csv = Files.readString(contacts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("Cannot read --contacts " + contacts + ": " + e.getMessage());
        }
        InMemoryContactMatcher matcher;
        try (Reader reader = new StringReader(csv)) {
            matcher = InMemoryContactMatcher.fromCsv(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--contacts " + contacts + ": " + e.getMessage());
        }
        List<ContactDirectory.Card> cards = cards(csv);
        String jdbcUrl = url.startsWith("jdbc:h2:") ? Database.writingEachCommit(url) : url;
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl);
        properties.putAll(keyProperties(jdbcUrl));
        WebSetup setup = new WebSetup(bind, port, Optional.empty(), properties, matcher, () -> cards,
                Optional.empty(), Optional.empty(), List.of());
        return new Running(WebApplication.start(setup), List.of());
    }

    /** The contacts of the CSV as the list shows them: the id, and the first address as the name. */
    static List<ContactDirectory.Card> cards(String csv) {
        List<ContactDirectory.Card> cards = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split(",");
            String email = parts.length > 1 ? parts[1].strip() : "";
            cards.add(new ContactDirectory.Card(parts[0].strip(), email.isEmpty() ? parts[0].strip() : email, "", email));
        }
        return List.copyOf(cards.subList(0, Math.min(cards.size(), 1_000)));
    }

    /**
     * The key of the stored accounts, for the starter: {@code IMAPSYNC_KEY}, else the development key
     * kept beside an H2 file database (the one the {@code accounts} commands use), else a usage error.
     */
    private Map<String, Object> keyProperties(String jdbcUrl) {
        String key = cli.environment().get(Keys.ENV);
        if (key != null && !key.isBlank()) {
            return Map.of("imapsync.accounts.key", key);
        }
        Optional<Path> h2 = Keys.h2File(jdbcUrl);
        if (h2.isEmpty()) {
            Keys.resolve(jdbcUrl, cli.environment(), cli.err()); // throws the usage error that says what to do
        }
        return Map.of("imapsync.accounts.generate-dev-key", true,
                "imapsync.accounts.dev-key-file", Keys.keyFile(h2.orElseThrow()).toString());
    }
}
