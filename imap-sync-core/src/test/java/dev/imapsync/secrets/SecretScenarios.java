package dev.imapsync.secrets;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.AccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.PassReport;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code main} run in a child JVM by {@link SecretsNeverLeakTest}: probes, syncs and schedules
 * accounts with {@link #PASSWORD} and {@link #TOKEN} against scripted servers, through the
 * happy path and every failure path (bad password, OAuth2 token rejected, IMAP disabled,
 * throttled, TLS untrusted, connection refused, timeout, store failure), OAUTHBEARER accepted and
 * refused (after its error challenge), and a token supplier whose grant was revoked or whose
 * server is down, and prints to stdout
 * the {@code toString()} of every public value it gets and the full stack trace of every
 * exception, one {@code SCENARIO name: outcome} line per path. The parent checks the output, the
 * slf4j-simple log file and the java.util.logging file (at TRACE / ALL) for the secrets.
 */
public final class SecretScenarios {
    /** The password of every account: distinctive, so any leak of it is found. */
    public static final String PASSWORD = "Pw-Zebra-Lantern-91x";
    /** The OAuth2 access token of every OAuth2 account. */
    public static final String TOKEN = "ya29.Marmot-Quasar-4471";
    /** The login name of every account. */
    public static final String USER = "leak.check@example.test";

    private static final String TAG = "[A-Z]{1,3}\\d+";
    private static final String HEADER_FIELDS = "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID"
            + " IN-REPLY-TO REFERENCES";
    private static final String CAPABILITIES = "IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR";
    private static final ConnectionProber PROBER = ConnectionProber.builder()
            .deadline(Duration.ofSeconds(4)).transportTimeout(Duration.ofSeconds(3)).build();

    private static final PrintStream OUT = System.out;
    private static final List<ScriptedImapServer> SERVERS = new ArrayList<>();

    private SecretScenarios() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run();
        } finally {
            SERVERS.forEach(ScriptedImapServer::close);
        }
        OUT.println("DONE");
        OUT.flush();
        System.exit(0);
    }

    private static void run() throws Exception {
        for (boolean oauth : new boolean[] {false, true}) {
            String how = oauth ? "oauth2" : "password";
            Script ok = script(loginAnswer(oauth, true));
            scenario("probe ok " + how, probe(account(serve(ok, true), oauth, true)));
            scenario("sync ok " + how, sync(account(serve(ok, true), oauth, true), new InMemorySyncStore()));
            Script rejected = script(loginAnswer(oauth, false));
            scenario("probe rejected " + how, probe(account(serve(rejected, true), oauth, true)));
            scenario("sync rejected " + how, sync(account(serve(rejected, true), oauth, true), new InMemorySyncStore()));
            Script disabled = script(refusal(oauth, "{tag} NO [ALERT] Your account is not enabled for IMAP use. Please"
                    + " visit your Gmail settings page and enable your account for IMAP access. (Failure)"));
            scenario("probe imap disabled " + how, probe(account(serve(disabled, true), oauth, true)));
            scenario("sync imap disabled " + how, sync(account(serve(disabled, true), oauth, true),
                    new InMemorySyncStore()));
            Script throttled = script(refusal(oauth, "{tag} NO [UNAVAILABLE] Too many simultaneous connections. (Failure)"));
            scenario("probe throttled " + how, probe(account(serve(throttled, true), oauth, true)));
            scenario("sync throttled " + how, sync(account(serve(throttled, true), oauth, true), new InMemorySyncStore()));
            scenario("probe tls untrusted " + how, probe(account(serve(ok, true), oauth, false)));
            scenario("sync tls untrusted " + how, sync(account(serve(ok, true), oauth, false), new InMemorySyncStore()));
            int closed = closedPort();
            scenario("probe refused " + how, probe(account(closed, oauth, true)));
            scenario("sync refused " + how, sync(account(closed, oauth, true), new InMemorySyncStore()));
            Script silent = new Script().silence();
            scenario("probe timeout " + how, probe(account(serve(silent, true), oauth, true)));
            scenario("sync timeout " + how, sync(account(serve(silent, true), oauth, true).toBuilder()
                    .readTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(1)).build(),
                    new InMemorySyncStore()));
            scenario("sync store failure " + how, sync(account(serve(ok, true), oauth, true), new FailingStore()));
        }
        String bearerOnly = "IMAP4rev1 AUTH=OAUTHBEARER SASL-IR";
        Script bearerOk = script(oauthbearerAnswer(true), bearerOnly);
        scenario("probe ok oauthbearer", probe(account(serve(bearerOk, true), true, true)));
        scenario("sync ok oauthbearer", sync(account(serve(bearerOk, true), true, true), new InMemorySyncStore()));
        Script bearerRefused = script(oauthbearerAnswer(false), bearerOnly);
        scenario("probe rejected oauthbearer", probe(account(serve(bearerRefused, true), true, true)));
        scenario("sync rejected oauthbearer", sync(account(serve(bearerRefused, true), true, true),
                new InMemorySyncStore()));
        for (AccessTokenException.Reason reason : AccessTokenException.Reason.values()) {
            ImapAccount noToken = account(serve(bearerOk, true), true, true).toBuilder()
                    .credentials(Credentials.oauth2(USER, () -> {
                        throw new AccessTokenException(reason, "Account leak-oauth2: the token endpoint answered"
                                + " for the refresh token (not shown)", new IOException("the server said no"));
                    })).build();
            scenario("probe supplier " + reason, probe(noToken));
            scenario("sync supplier " + reason, sync(noToken, new InMemorySyncStore()));
        }
        schedule();
    }

    // ---------------------------------------------------------------- what is printed

    private static String probe(ImapAccount account) {
        print("account", account);
        print("credentials", account.credentials());
        ProbeResult result = PROBER.probe(account);
        print("probe result", result);
        result.failure().ifPresent(f -> print("failure", f));
        return result.failure().map(f -> f.kind().name()).orElse("OK");
    }

    private static String sync(ImapAccount account, SyncStore store) {
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-bob", "bob@partner.example").build()).build();
        ManagedAccount managed = ManagedAccount.of(account);
        print("managed account", managed);
        try {
            SyncReport report = engine.sync(account, FolderChoice.named(List.of("INBOX")));
            print("sync report", report);
            report.failure().ifPresent(f -> print("failure", f));
            return report.status().name() + report.failure().map(f -> " " + f.kind()).orElse("");
        } catch (ImapSyncException e) {
            printThrowable(e);
            return "threw " + e.getClass().getSimpleName();
        }
    }

    /** A scheduler pass over a good and a rejected account: statuses and the pass report. */
    private static void schedule() {
        ImapAccount good = account(serve(script(loginAnswer(false, true)), true), false, true).toBuilder().id("good")
                .build();
        ImapAccount bad = account(serve(script(loginAnswer(true, false)), true), true, true).toBuilder().id("bad")
                .build();
        Map<String, ManagedAccount> accounts = new LinkedHashMap<>();
        accounts.put("good", ManagedAccount.of(good).withFolders(FolderChoice.named(List.of("INBOX"))));
        accounts.put("bad", ManagedAccount.of(bad).withFolders(FolderChoice.named(List.of("INBOX"))));
        AccountRepository repository = new AccountRepository() {
            @Override
            public List<AccountSummary> list() {
                List<AccountSummary> list = new ArrayList<>();
                accounts.values().forEach(a -> list.add(new AccountSummary(a.id(), a.account().emailAddress(),
                        a.account().credentials().user(), a.account().endpoint(),
                        a.account().credentials() instanceof Credentials.OAuth2, a.folders(), a.interval(), 1L)));
                return list;
            }

            @Override
            public Optional<ManagedAccount> find(String accountId) {
                return Optional.ofNullable(accounts.get(accountId));
            }
        };
        InMemorySyncStore store = new InMemorySyncStore();
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-bob", "bob@partner.example").build()).build();
        try (SyncScheduler scheduler = SyncScheduler.builder().accounts(repository).engine(engine).statusStore(store)
                .nodeId("leak-check").build()) {
            accounts.keySet().forEach(scheduler::syncNow); // due now, not within the first minute
            PassReport pass = scheduler.runPass();
            print("pass report", pass);
            scheduler.statuses().forEach(s -> print("account status", s));
            scenario("scheduler pass", scheduler.statuses().stream().map(s -> s.accountId() + "=" + s.status())
                    .sorted().toList().toString());
        }
    }

    private static void scenario(String name, String outcome) {
        OUT.println("SCENARIO " + name + ": " + outcome);
    }

    private static void print(String what, Object value) {
        OUT.println("VALUE " + what + ": " + value);
    }

    private static void printThrowable(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        OUT.println("THROWABLE " + text);
    }

    // ---------------------------------------------------------------- accounts and servers

    private static ImapAccount account(ScriptedImapServer server, boolean oauth, boolean trusted) {
        return account(server.port(), oauth, trusted);
    }

    private static ImapAccount account(int port, boolean oauth, boolean trusted) {
        ImapAccount.Builder b = ImapAccount.builder().id(oauth ? "leak-oauth2" : "leak-password")
                .endpoint("127.0.0.1", port, Security.SSL_TLS)
                .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(3));
        b = oauth ? b.credentials(Credentials.oauth2(USER, () -> Secret.of(TOKEN))) : b.password(USER, PASSWORD);
        if (trusted) {
            b.trustCertificatePem(TestCertificates.localhost().pem());
        }
        return b.build();
    }

    private static ScriptedImapServer serve(Script script, boolean tls) {
        ScriptedImapServer server = tls ? ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), script)
                : ScriptedImapServer.start(script);
        SERVERS.add(server);
        return server;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    /** How the server answers the login: OK, or the provider's rejection (also for the JDBC module's test). */
    public static Map<String, List<String>> loginAnswer(boolean oauth, boolean accept) {
        String ok = "{tag} OK [CAPABILITY IMAP4rev1] Logged in";
        Map<String, List<String>> answers = new LinkedHashMap<>();
        if (oauth) {
            answers.put("(?i)" + TAG + " AUTHENTICATE XOAUTH2 \\S+", accept ? List.of(ok) : List.of(
                    // Gmail's error challenge, then the NO after the client's empty answer
                    "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
                    "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"));
        }
        answers.put("(?i)" + TAG + " AUTHENTICATE PLAIN( \\S+)?", accept ? List.of("+ ", ok)
                : List.of("+ ", "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"));
        answers.put("(?is)" + TAG + " LOGIN .*", List.of(accept ? ok
                : "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"));
        return answers;
    }

    /** OAUTHBEARER accepted, or refused with RFC 7628's error challenge and then NO. */
    private static Map<String, List<String>> oauthbearerAnswer(boolean accept) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)" + TAG + " AUTHENTICATE OAUTHBEARER \\S+", accept
                ? List.of("{tag} OK [CAPABILITY IMAP4rev1] Logged in")
                // {"status":"invalid_token","scope":"imap"}
                : List.of("+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJpbWFwIn0=",
                        "{tag} NO [AUTHENTICATIONFAILED] Authentication failed."));
        return answers;
    }

    private static Map<String, List<String>> refusal(boolean oauth, String no) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        if (oauth) {
            answers.put("(?i)" + TAG + " AUTHENTICATE XOAUTH2 \\S+", List.of(no));
        }
        answers.put("(?i)" + TAG + " AUTHENTICATE PLAIN( \\S+)?", List.of("+ ", no));
        answers.put("(?is)" + TAG + " LOGIN .*", List.of(no));
        return answers;
    }

    /** A server with INBOX holding one message, after the given login answers (also for the JDBC module's test). */
    public static Script script(Map<String, List<String>> login) {
        return script(login, CAPABILITIES);
    }

    private static Script script(Map<String, List<String>> login, String capabilities) {
        Map<String, List<String>> answers = new LinkedHashMap<>(login);
        answers.put("(?i)\\S+ CAPABILITY", List.of("* CAPABILITY " + capabilities, "{tag} OK CAPABILITY completed"));
        answers.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
        answers.put("(?i)\\S+ LIST .*", List.of("* LIST (\\HasNoChildren) \"/\" INBOX", "{tag} OK LIST completed"));
        answers.put("(?i)" + TAG + " EXAMINE .*", List.of("* 1 EXISTS", "* OK [UIDVALIDITY 7] ok",
                "* OK [UIDNEXT 2] ok", "{tag} OK [READ-ONLY] EXAMINE completed"));
        answers.put("(?i)" + TAG + " UID SEARCH .*", List.of("* SEARCH 1", "{tag} OK SEARCH completed"));
        String headers = "From: bob@partner.example\r\nTo: " + USER + "\r\nSubject: hello\r\n"
                + "Date: Mon, 5 Oct 2099 10:00:00 +0000\r\nMessage-ID: <m1@partner.example>\r\n\r\n";
        answers.put("(?is)" + TAG + " UID FETCH .*", List.of("* 1 FETCH (UID 1 INTERNALDATE \"05-Oct-2099 10:00:00"
                + " +0000\" RFC822.SIZE 500 BODY[HEADER.FIELDS (" + HEADER_FIELDS + ")] {"
                + headers.getBytes(StandardCharsets.US_ASCII).length + "}\r\n" + headers + ")", "{tag} OK FETCH completed"));
        return new Script().send("* OK [CAPABILITY " + capabilities + "] ready").answerCommands(answers);
    }

    /** A store whose every commit fails, as a database that went away. */
    private static final class FailingStore implements SyncStore, StatusStore {
        private final InMemorySyncStore delegate = new InMemorySyncStore();

        @Override
        public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
            return delegate.checkpoint(accountId, folder);
        }

        @Override
        public CommitResult commit(String accountId, SyncBatch batch) {
            throw new IllegalStateException("the database went away (connection reset)");
        }

        @Override
        public List<ContactActivity> history(String contactId, int limit) {
            return delegate.history(contactId, limit);
        }

        @Override
        public void saveStatus(AccountStatus status) {
            delegate.saveStatus(status);
        }

        @Override
        public Optional<AccountStatus> status(String accountId) {
            return delegate.status(accountId);
        }

        @Override
        public List<AccountStatus> statuses() {
            return delegate.statuses();
        }
    }
}
