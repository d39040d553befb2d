package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcLeases;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.JdbcSyncStore;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.PassReport;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox whose OAuth 2.0 grant was revoked, as a person meets it: the host's token source
 * (its OAuth client) throws {@code AccessTokenException(GRANT_REVOKED)}; the scheduler, over
 * accounts in {@link JdbcAccountRepository}, records AUTH_REVOKED with "reconnect this
 * mailbox", tries no more while the stored account stays as it was, and syncs at once when the
 * account is saved again (reconnected); {@code status} shows it, as text and JSON.
 */
class RevokedGrantStatusTest {
    private static final String ID = "olivia";
    private static final String USER = "olivia@example.test";
    private static final String TOKEN = "ya29.olivias-current-token";
    private static final SecretKeys KEYS = SecretKeys.of("k1", new byte[32]);

    @TempDir
    Path dir;
    private GreenMailTls server;
    private final Instant[] now = {Instant.parse("2026-12-01T12:00:00Z")};

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        // GreenMail takes the password as the XOAUTH2 token
        var user = server.addUser(USER, TOKEN);
        server.append(user, "INBOX", "From: dave@example.test\nTo: " + USER + "\nSubject: hi\nMessage-ID:"
                + " <revoked-1@example.test>\n\nbody\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRevokedGrantIsShownAsAuthRevokedAndNotRetriedUntilTheMailboxIsReconnected() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        JdbcSchema.migrate(ds);
        AtomicBoolean revoked = new AtomicBoolean(true);
        AtomicInteger tokenRequests = new AtomicInteger();
        JdbcAccountRepository repository = JdbcAccountRepository.builder(ds).keys(KEYS)
                .oauth2((accountId, user, refresh) -> {
                    tokenRequests.incrementAndGet();
                    if (revoked.get()) {
                        throw new AccessTokenException(AccessTokenException.Reason.GRANT_REVOKED, "Account "
                                + accountId + ": the token endpoint answered invalid_grant (Token has been expired or"
                                + " revoked.)", null);
                    }
                    return Secret.of(TOKEN);
                }).build();
        repository.saveOAuth2(managed(), Secret.of("1//refresh-token"));
        JdbcSyncStore store = JdbcSyncStore.create(ds);
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-dave", "dave@example.test").build()).build();

        try (SyncScheduler scheduler = SyncScheduler.builder().accounts(repository).engine(engine).statusStore(store)
                .leases(JdbcLeases.create(ds)).clock(clock()).nodeId("revoked-test").build()) {
            scheduler.runPass(); // registers the account, due within its first minute
            now[0] = now[0].plus(Duration.ofMinutes(2));
            PassReport first = scheduler.runPass();
            assertThat(first.failed()).as(first.toString()).isEqualTo(1);
            assertThat(tokenRequests).as("a revoked grant is not asked twice").hasValue(1);

            Run text = run("status", "--db", url);
            assertThat(text.out).containsPattern("(?m)^olivia +AUTH_REVOKED +last synced never")
                    .contains("    Account olivia at 127.0.0.1:" + server.imapsPort() + " (ssl): no OAuth2 access"
                            + " token: the grant was revoked or has expired: Account olivia: the token endpoint"
                            + " answered invalid_grant")
                    .contains("    What to do: Reconnect this mailbox (olivia): its owner must sign in to their mail"
                            + " provider again and allow access")
                    .contains("Retries are stopped until the account's credentials or settings change");
            JsonNode json = new ObjectMapper().readTree(run("status", "--db", url, "--json").out).get(0);
            assertThat(json.get("accountId").asText()).isEqualTo(ID);
            assertThat(json.get("status").asText()).isEqualTo("AUTH_REVOKED");
            assertThat(json.get("hint").asText()).startsWith("Reconnect this mailbox (olivia)");
            assertThat(text.out + json).doesNotContain(TOKEN).doesNotContain("1//refresh-token");

            // days later, the stored account unchanged: looked at, not tried
            now[0] = now[0].plus(Duration.ofDays(3));
            PassReport later = scheduler.runPass();
            assertThat(later.skipped()).isEqualTo(1);
            assertThat(tokenRequests).hasValue(1);

            // the owner reconnects the mailbox: saved again, it syncs at once
            revoked.set(false);
            repository.saveOAuth2(managed(), Secret.of("1//new-refresh-token"));
            assertThat(scheduler.tick()).isEqualTo(1);
            Await.until("the reconnected account to sync", Duration.ofSeconds(20),
                    () -> store.status(ID).orElseThrow().status() == SyncStatus.OK);
            assertThat(run("status", "--db", url).out).containsPattern("(?m)^olivia +OK ");
        }
    }

    private ManagedAccount managed() {
        return ManagedAccount.of(ImapAccount.builder().id(ID).emailAddress(USER)
                        .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                        .credentials(Credentials.oauth2(USER, () -> Secret.of("unused")))
                        .trustCertificatePem(TestCertificates.localhost().pem()).build())
                .withFolders(FolderChoice.named(List.of("INBOX")));
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as("exit code of %s; stderr: %s", List.of(args), err).isZero();
        return new Run(out.toString(StandardCharsets.UTF_8));
    }

    private record Run(String out) {
    }
}
