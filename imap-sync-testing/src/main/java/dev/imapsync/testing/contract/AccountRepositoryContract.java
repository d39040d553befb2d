package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.AccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountRepository} promises, as JUnit 5 tests: a host application that keeps
 * the accounts to sync in its own tables runs them against its repository by a subclass that
 * says how to make an empty one and how to save an account into it (the repository SPI itself
 * only reads). imap-sync runs them against {@code JdbcAccountRepository}.
 *
 * <pre>{@code
 * class MyAccountRepositoryTest extends AccountRepositoryContract {
 *     private MyCrm db;
 *
 *     @Override
 *     protected AccountRepository newRepository() {
 *         db = MyCrm.inMemory();
 *         return new MyAccountRepository(db);
 *     }
 *
 *     @Override
 *     protected void save(ManagedAccount account) {
 *         db.saveMailboxSettings(account);   // however the host application stores them
 *     }
 * }
 * }</pre>
 *
 * <p>What is checked: every setting of an account and its password come back as saved, and
 * so do the defaults; summaries are ordered by id and agree with the accounts; a save changes
 * the revision and nothing else does; an unknown id is empty; and threads may read at once.
 * OAuth 2.0 accounts, secrets at rest and {@code AccountUnavailableException} depend on how an
 * implementation stores secrets, and are left to its own tests.
 */
public abstract class AccountRepositoryContract {
    /** A password with characters outside ASCII, as users choose them. */
    protected static final String PASSWORD = "correct horse battery staple \u00e9\u263a";

    /** The repository under test, made by {@link #newRepository()} before each test. */
    protected AccountRepository repository;

    /** A new, empty repository; called once before each test. */
    protected abstract AccountRepository newRepository();

    /**
     * Saves {@code account} (with a password) into the repository made by {@link #newRepository()},
     * adding it or replacing the account of the same id, as the host application does when a user
     * saves an account's settings.
     */
    protected abstract void save(ManagedAccount account);

    @BeforeEach
    final void createRepository() {
        repository = newRepository();
    }

    @Test
    void knowsNoAccountBeforeTheFirstSave() {
        assertThat(repository.list()).isEmpty();
        assertThat(repository.find("nobody")).isEmpty();
    }

    @Test
    void keepsEverySettingOfAnAccount() {
        ImapAccount account = ImapAccount.builder()
                .id("alice-1")
                .emailAddress("alice@example.com")
                .alias("a.smith@example.com")
                .alias("sales@example.com")
                .endpoint("imap.example.com", 143, Security.STARTTLS)
                .password("alice", PASSWORD)
                .connectTimeout(Duration.ofSeconds(7))
                .readTimeout(Duration.ofSeconds(41))
                .writeTimeout(Duration.ofSeconds(12))
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
        List<String> folders = List.of("INBOX", "Gesendete Elemente", "Projekte/2026 \u2013 Q4", "[Gmail]/Sent Mail");
        save(new ManagedAccount(account, FolderChoice.named(folders),
                Optional.of(Duration.ofDays(30)), Optional.of(Duration.ofMinutes(15))));

        ManagedAccount read = repository.find("alice-1").orElseThrow();

        ImapAccount a = read.account();
        assertThat(a.id()).isEqualTo("alice-1");
        assertThat(a.emailAddress()).isEqualTo("alice@example.com");
        assertThat(a.aliases()).containsExactlyInAnyOrder("a.smith@example.com", "sales@example.com");
        assertThat(a.endpoint()).isEqualTo(account.endpoint());
        assertThat(a.credentials().user()).isEqualTo("alice");
        assertThat(password(read)).isEqualTo(PASSWORD);
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(a.readTimeout()).isEqualTo(Duration.ofSeconds(41));
        assertThat(a.writeTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(a.allowInsecure()).isFalse();
        assertThat(a.trustedCertificates()).containsExactlyElementsOf(account.trustedCertificates());
        assertThat(read.folders()).isEqualTo(FolderChoice.named(folders));
        assertThat(read.initialWindow()).contains(Duration.ofDays(30));
        assertThat(read.interval()).contains(Duration.ofMinutes(15));
    }

    @Test
    void keepsTheDefaults() {
        ImapAccount account = ImapAccount.builder().endpoint("127.0.0.1", 143, Security.NONE).allowInsecure(true)
                .password("bob@example.org", PASSWORD).build();
        save(ManagedAccount.of(account));

        ManagedAccount read = repository.find("bob@example.org").orElseThrow();

        assertThat(read.folders()).isEqualTo(FolderChoice.recommended());
        assertThat(read.initialWindow()).isEmpty();
        assertThat(read.interval()).isEmpty();
        assertThat(read.account().allowInsecure()).isTrue();
        assertThat(read.account().aliases()).isEmpty();
        assertThat(read.account().trustedCertificates()).isEmpty();
        assertThat(read.account().connectTimeout()).isEqualTo(ImapAccount.DEFAULT_CONNECT_TIMEOUT);
        assertThat(read.account().readTimeout()).isEqualTo(ImapAccount.DEFAULT_READ_TIMEOUT);
        assertThat(read.account().writeTimeout()).isEqualTo(ImapAccount.DEFAULT_WRITE_TIMEOUT);
        assertThat(repository.find("nobody")).isEmpty();
    }

    @Test
    void listsSummariesByIdThatAgreeWithTheAccounts() {
        save(ManagedAccount.of(account("carol", PASSWORD)).withInterval(Duration.ofMinutes(2)));
        save(ManagedAccount.of(account("alice", PASSWORD)).withFolders(FolderChoice.named(List.of("INBOX"))));
        save(ManagedAccount.of(account("bob", PASSWORD)));

        List<AccountSummary> summaries = repository.list();

        assertThat(summaries).extracting(AccountSummary::id).containsExactly("alice", "bob", "carol");
        AccountSummary alice = summaries.get(0);
        assertThat(alice.user()).isEqualTo("alice@example.com");
        assertThat(alice.email()).isEqualTo("alice@example.com");
        assertThat(alice.endpoint()).isEqualTo(repository.find("alice").orElseThrow().account().endpoint());
        assertThat(alice.oauth2()).isFalse();
        assertThat(alice.folders()).isEqualTo(FolderChoice.named(List.of("INBOX")));
        assertThat(alice.interval()).isEmpty();
        assertThat(summaries.get(2).interval()).contains(Duration.ofMinutes(2));
        assertThat(summaries.get(2).folders()).isEqualTo(FolderChoice.recommended());
    }

    @Test
    void aSaveReplacesTheAccountAndChangesItsRevision() {
        save(ManagedAccount.of(account("alice", PASSWORD)));
        save(ManagedAccount.of(account("bob", PASSWORD)));
        long alice = revision("alice");
        long bob = revision("bob");
        assertThat(revision("alice")).as("a revision without a save in between").isEqualTo(alice);

        save(ManagedAccount.of(account("alice", "a new password")).withFolders(FolderChoice.named(List.of("INBOX"))));

        assertThat(revision("alice")).isNotEqualTo(alice);
        assertThat(revision("bob")).as("the revision of an account not saved again").isEqualTo(bob);
        ManagedAccount read = repository.find("alice").orElseThrow();
        assertThat(password(read)).isEqualTo("a new password");
        assertThat(read.folders()).isEqualTo(FolderChoice.named(List.of("INBOX")));
        assertThat(repository.list()).hasSize(2);
    }

    @Test
    void answersTheSameFromSeveralThreadsAtOnce() throws Exception {
        for (String id : List.of("alice", "bob", "carol")) {
            save(ManagedAccount.of(account(id, id + "'s password")));
        }
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < 20; i++) {
                    assertThat(repository.list()).extracting(AccountSummary::id).containsExactly("alice", "bob", "carol");
                    for (String id : List.of("alice", "bob", "carol")) {
                        assertThat(password(repository.find(id).orElseThrow())).isEqualTo(id + "'s password");
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("the repository's calls ended").isTrue();
        }
    }

    /** An account {@code id} of {@code id@example.com} at imap.example.com:993 over TLS, with a password. */
    protected static ImapAccount account(String id, String password) {
        return ImapAccount.builder().id(id).emailAddress(id + "@example.com")
                .endpoint("imap.example.com", 993, Security.SSL_TLS)
                .password(id + "@example.com", password)
                .build();
    }

    /** The password of an account that signs in with one. */
    protected static String password(ManagedAccount account) {
        assertThat(account.account().credentials()).as("the credentials of %s", account.id())
                .isInstanceOf(Credentials.Password.class);
        return ((Credentials.Password) account.account().credentials()).password().reveal();
    }

    private long revision(String id) {
        return repository.list().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no summary of account " + id + " in " + repository.list()))
                .revision();
    }
}
