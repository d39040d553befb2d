package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.FaultyProxy;
import dev.imapsync.testing.LocalOAuthServer;
import dev.imapsync.testing.SettableClock;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * OAuth 2.0 end to end through the project's Dovecot, whose {@code oauth2} passdb asks the
 * {@link LocalOAuthServer} this test runs about every token, with access tokens fetched from
 * that server's token endpoint on every connection: a folder syncs; a token that expires in the
 * middle of a sync does not stop it and the next connection gets a new one (the old one is
 * refused by then); the IDLE watcher reconnects with a fresh token after the old one expired; a
 * revoked grant ({@code invalid_grant}) is AUTH_REVOKED with "reconnect this mailbox" and stops
 * retries until the account is saved again; an OAuth server that is down is retried with
 * backoff. No token appears in what is logged, in failures or in statuses.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_DOVECOT_OAUTH_PORT", matches = ".+", disabledReason = "needs the"
        + " project's Dovecot with its oauth2 passdb: run .ci/dovecot/start.sh and source its env file")
class OAuth2DovecotTest {
    private static final String ID = "oauth-dovecot";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Dovecot dovecot = Dovecot.fromEnvironment();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<String> tokensGiven = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private LocalOAuthServer oauth;
    private Store admin;
    private String folder;
    private boolean inboxTouched;

    @BeforeEach
    void setUp() throws Exception {
        oauth = LocalOAuthServer.startForDovecot(Dovecot.OAUTH_USER);
        folder = "OAuth-" + UUID.randomUUID().toString().substring(0, 8);
        admin().getFolder(folder).create(Folder.HOLDS_MESSAGES);
        // what the library logs (slf4j-simple writes to System.err) is read at the end of each test
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, stderr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() throws Exception {
        System.setErr(originalErr);
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        try {
            if (admin != null) {
                admin.getFolder(folder).delete(true);
                if (inboxTouched) {
                    Folder inbox = admin.getFolder("INBOX");
                    inbox.open(Folder.READ_WRITE);
                    inbox.setFlags(1, inbox.getMessageCount(), new jakarta.mail.Flags(jakarta.mail.Flags.Flag.DELETED),
                            true);
                    inbox.close(true);
                }
                admin.close();
            }
        } finally {
            oauth.close();
        }
        String logged = stderr.toString(StandardCharsets.UTF_8);
        for (String token : tokensGiven) {
            assertThat(logged).as("what was logged").doesNotContain(token);
        }
    }

    @Test
    void aFolderSyncsAndATokenExpiringMidSyncOnlyMeansTheNextConnectionGetsANewOne() throws Exception {
        for (int i = 0; i < 12; i++) {
            append("first-" + i);
        }
        oauth.accessTokenLifetime(Duration.ofSeconds(5)); // whole seconds in the JWT: 4-5 s in fact
        InMemorySyncStore store = new InMemorySyncStore();
        AtomicInteger batches = new AtomicInteger();
        SyncEngine engine = SyncEngine.builder().store(store).contactMatcher(contacts())
                .options(SyncOptions.builder().batchSize(4, 1, 4).build())
                .listener(new SyncListener() {
                    @Override
                    public void batchCommitted(String accountId, String folderName, BatchProgress progress) {
                        if (batches.incrementAndGet() == 1) {
                            // the sync's token expires while the sync goes on
                            Instant expiry = expiryOf(tokensGiven.get(0));
                            Await.until("the first token to expire", WAIT, () -> Instant.now().isAfter(expiry));
                        }
                    }
                }).build();
        ImapAccount account = account(dovecot.tlsPort(), tokensFromTheServer());

        SyncReport first = engine.sync(account, FolderChoice.named(List.of(folder)));

        assertThat(first.status()).as(String.valueOf(first.failure())).isEqualTo(SyncStatus.OK);
        assertThat(first.fetched()).isEqualTo(12);
        assertThat(batches.get()).as("several batches on one connection").isGreaterThanOrEqualTo(3);
        String expired = tokensGiven.get(0);
        int requestsAfterFirst = tokenRequests.get();

        append("second-0");
        SyncReport second = engine.sync(account, FolderChoice.named(List.of(folder)));

        assertThat(second.status()).as(String.valueOf(second.failure())).isEqualTo(SyncStatus.OK);
        assertThat(second.fetched()).isEqualTo(1);
        assertThat(tokenRequests.get()).as("the new connection asked for a token").isGreaterThan(requestsAfterFirst);
        assertThat(tokensGiven.get(tokensGiven.size() - 1)).isNotEqualTo(expired);
        ProbeResult withTheOldToken = ConnectionProber.standard().probe(account(dovecot.tlsPort(),
                () -> Secret.of(expired)));
        assertThat(withTheOldToken.failure().orElseThrow().kind()).as("Dovecot refuses the expired token")
                .isEqualTo(FailureKind.AUTH_FAILED);
        assertThat(withTheOldToken.failure().orElseThrow().toString()).doesNotContain(expired);
    }

    @Test
    void theIdleWatcherReconnectsWithAFreshTokenAfterTheOldOneExpired() throws Exception {
        oauth.accessTokenLifetime(Duration.ofSeconds(5)); // whole seconds in the JWT: 4-5 s in fact
        FaultyProxy proxy = FaultyProxy.to(dovecot.host(), dovecot.tlsPort());
        closing.add(proxy);
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        List<String> stops = new CopyOnWriteArrayList<>();
        IdleWatcher watcher = IdleWatcher.builder().onNewMail(calls::add).onStopped((id, why) -> stops.add(why))
                .reconnectBackoff(Duration.ofMillis(200)).build();
        closing.add(watcher);
        ImapAccount account = account(proxy.port(), tokensFromTheServer());

        assertThat(watcher.watch(account)).isTrue();
        Await.until("the watcher's first login", WAIT, () -> tokensGiven.size() >= 1);
        String first = tokensGiven.get(0);
        Instant expiry = expiryOf(first);
        Await.until("the first token to expire", WAIT, () -> Instant.now().isAfter(expiry));
        int requestsBefore = tokenRequests.get();

        // new mail makes Dovecot speak on the idle connection, which the proxy then cuts
        proxy.arm(FaultyProxy.Fault.cut(FaultyProxy.Direction.SERVER_TO_CLIENT, 0, true));
        append("INBOX", "idle-0");

        assertThat(calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("called back after reconnecting")
                .isEqualTo(ID);
        assertThat(proxy.faultsInjected()).isEqualTo(1);
        assertThat(tokenRequests.get()).as("the reconnect asked for a new token").isGreaterThan(requestsBefore);
        assertThat(tokensGiven.get(tokensGiven.size() - 1)).isNotEqualTo(first);
        assertThat(stops).isEmpty();
        assertThat(watcher.isWatching(ID)).isTrue();
    }

    @Test
    void aRevokedGrantIsAuthRevokedAndStopsRetriesUntilTheAccountIsSavedAgain() {
        append("revoked-0");
        SettableClock clock = SettableClock.at(NOW);
        InMemorySyncStore store = new InMemorySyncStore();
        InMemoryAccountRepository repository = new InMemoryAccountRepository();
        repository.put(managed(tokensFromTheServer()));
        SyncScheduler scheduler = scheduler(repository, store, clock);
        register(scheduler, clock);
        // Google's answer to a refresh with a revoked grant
        oauth.answerNextTokenRequest(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or"
                + " revoked.\"}");
        int introspectionsBefore = oauth.introspections();

        PassReport pass = scheduler.runPass();

        assertThat(pass.failed()).as(String.valueOf(pass.outcomes())).isEqualTo(1);
        AccountStatus status = store.status(ID).orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.AUTH_REVOKED);
        assertThat(status.message()).startsWith("Account " + ID + " at 127.0.0.1:" + dovecot.tlsPort() + " (ssl): no"
                + " OAuth2 access token: the grant was revoked or has expired: ").contains("invalid_grant");
        assertThat(status.hint()).startsWith("Reconnect this mailbox (" + ID + "): its owner must sign in")
                .contains("Retries are stopped until the account's credentials or settings change");
        assertThat(tokenRequests.get()).as("no second try with a revoked grant").isEqualTo(1);
        assertThat(oauth.introspections()).as("no token reached Dovecot").isEqualTo(introspectionsBefore);

        clock.set(NOW.plus(Duration.ofDays(3)));
        PassReport later = scheduler.runPass();
        assertThat(later.skipped()).isEqualTo(1);
        assertThat(later.outcomes().get(0).status()).contains(SyncStatus.AUTH_REVOKED);
        assertThat(tokenRequests.get()).as("days later, still not tried").isEqualTo(1);

        // the mailbox is reconnected: saved again, it syncs at once
        repository.put(managed(tokensFromTheServer()));
        assertThat(scheduler.tick()).isEqualTo(1);
        Await.until("the sync to end", WAIT, () -> scheduler.runningCount() == 0);
        assertThat(store.status(ID).orElseThrow().status()).isEqualTo(SyncStatus.OK);
        assertThat(tokenRequests.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anOAuthServerThatIsDownIsRetriedWithBackoffNotAnAuthenticationFailure() {
        SettableClock clock = SettableClock.at(NOW);
        InMemorySyncStore store = new InMemorySyncStore();
        InMemoryAccountRepository repository = new InMemoryAccountRepository();
        repository.put(managed(tokensFromTheServer()));
        SyncScheduler scheduler = scheduler(repository, store, clock);
        register(scheduler, clock);
        oauth.close();

        PassReport pass = scheduler.runPass();

        assertThat(pass.failed()).isEqualTo(1);
        AccountStatus status = store.status(ID).orElseThrow();
        assertThat(status.status()).isEqualTo(SyncStatus.CONNECTION_FAILED);
        assertThat(status.message()).contains("no OAuth2 access token: the authorization server is unavailable");
        assertThat(status.hint()).contains("retried with backoff").doesNotContain("Retries are stopped");
        assertThat(pass.outcomes().get(0).report().flatMap(SyncReport::failure).orElseThrow().kind())
                .isEqualTo(FailureKind.OAUTH_UNAVAILABLE);
        assertThat(status.nextRunAt()).hasValueSatisfying(next -> assertThat(next).isBefore(NOW.plus(Duration.ofHours(1))));
        assertThat(tokenRequests.get()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    /** Asks the local server's token endpoint on every call, remembering each token (to look for it later). */
    private Supplier<Secret> tokensFromTheServer() {
        Supplier<Secret> fetch = LocalOAuthServer.fetchingTokens(oauth.tokenEndpoint(), tokenRequests);
        return () -> {
            Secret token = fetch.get();
            tokensGiven.add(token.reveal());
            return token;
        };
    }

    private ImapAccount account(int port, Supplier<Secret> tokens) {
        return ImapAccount.builder().id(ID).emailAddress(Dovecot.OAUTH_USER)
                .endpoint(dovecot.host(), port, Security.SSL_TLS)
                .credentials(Credentials.oauth2(Dovecot.OAUTH_USER, tokens))
                .trustCertificatePem(dovecot.certificatePem()).build();
    }

    private ManagedAccount managed(Supplier<Secret> tokens) {
        return ManagedAccount.of(account(dovecot.tlsPort(), tokens)).withFolders(FolderChoice.named(List.of(folder)));
    }

    private SyncScheduler scheduler(InMemoryAccountRepository repository, InMemorySyncStore store, SettableClock clock) {
        SyncScheduler scheduler = SyncScheduler.builder().accounts(repository)
                .engine(SyncEngine.builder().store(store).contactMatcher(contacts()).clock(clock).build())
                .leases(dev.imapsync.schedule.spi.AccountLeases.inMemory()).nodeId("node-1").clock(clock)
                .random(new SplittableRandom(42)).shutdownTimeout(Duration.ofSeconds(5)).build();
        closing.add(scheduler::close);
        return scheduler;
    }

    /** Registers the repository's accounts a minute before NOW, so that all are due at NOW. */
    private static void register(SyncScheduler scheduler, SettableClock clock) {
        clock.set(NOW.minusSeconds(60));
        scheduler.tick();
        Await.until("registration", WAIT, () -> scheduler.runningCount() == 0);
        clock.set(NOW);
    }

    private static InMemoryContactMatcher contacts() {
        return InMemoryContactMatcher.builder().add("c-1", "maria@partner.example").build();
    }

    private static Instant expiryOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the local server's token is not a JWT", e);
        }
    }

    /** The OAuth user's mailbox, through Angus with a long-lived token the local server issued. */
    private Store admin() throws Exception {
        if (admin == null) {
            Properties props = new Properties();
            props.put("mail.imaps.ssl.socketFactory", dovecot.sslContext().getSocketFactory());
            props.put("mail.imaps.ssl.checkserveridentity", "true");
            props.put("mail.imaps.auth.mechanisms", "XOAUTH2");
            Store store = Session.getInstance(props).getStore("imaps");
            store.connect(dovecot.host(), dovecot.tlsPort(), Dovecot.OAUTH_USER,
                    oauth.accessTokenLifetime(Duration.ofHours(1)).issueAccessToken());
            admin = store;
        }
        return admin;
    }

    private void append(String name) {
        append(folder, name);
    }

    private void append(String folderName, String name) {
        if (folderName.equals("INBOX")) {
            inboxTouched = true;
        }
        String raw = "From: Maria <maria@partner.example>\r\nTo: " + Dovecot.OAUTH_USER + "\r\nSubject: " + name
                + "\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + name + "-" + UUID.randomUUID()
                + "@partner.example>\r\n\r\nbody\r\n";
        try {
            admin().getFolder(folderName).appendMessages(new Message[] {new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)))});
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot append to " + folder, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the OAuth user's mailbox", e);
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
