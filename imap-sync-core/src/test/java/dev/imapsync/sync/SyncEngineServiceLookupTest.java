package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jakarta.mail-api 2.1.5 looks its {@code StreamProvider} up through the context class loader
 * (a class-path scan) each time it parses headers, unless the application sets
 * {@code jakarta.mail.util.StreamProvider}; a sync must not pay that per message, whatever
 * the application sets. Counted with a context class loader that notes every such lookup.
 */
class SyncEngineServiceLookupTest {
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private GreenMailTls server;
    private GreenMailUser user;

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theCounterSeesTheLookupThatJakartaMailsOwnHeaderParsingMakes() {
        int lookups = countLookups(() -> {
            try {
                return new InternetHeaders(new ByteArrayInputStream(
                        "From: a@example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(lookups).as("the counter must see jakarta.mail's lookup, or the test below proves nothing")
                .isPositive();
    }

    @Test
    void aSyncOfHundredsOfMessagesMakesNoLookupPerMessage() {
        MailboxGenerator generator = new MailboxGenerator(7);
        Instant last = Instant.now().minus(Duration.ofDays(1));
        for (int i = 0; i < 300; i++) {
            Instant date = last.minus(Duration.ofMinutes(300 - i));
            String message = generator.message(MailboxGenerator.person(i % 10), OWNER, date, "lookup" + i + "@gen.example");
            server.append(user, "INBOX", message, date);
            if (i < 30) {
                server.append(user, "Small", message, date);
            }
        }
        ImapAccount account = ImapAccount.builder()
                .id("acct-lookups")
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();

        SyncReport[] small = new SyncReport[1];
        int fewLookups = countLookups(() -> small[0] = engine().sync(account, folder("Small")));
        SyncReport[] large = new SyncReport[1];
        int manyLookups = countLookups(() -> large[0] = engine().sync(account, folder("INBOX")));

        assertThat(small[0].fetched()).as(String.valueOf(small[0])).isEqualTo(30);
        assertThat(large[0].fetched()).as(String.valueOf(large[0])).isEqualTo(300);
        // what the login and Angus pay once per connection, not per message
        assertThat(manyLookups).as("StreamProvider look-ups for 300 messages against 30").isEqualTo(fewLookups);
        assertThat(manyLookups).isLessThanOrEqualTo(8);
    }

    private static SyncEngine engine() {
        return SyncEngine.builder()
                .store(new InMemorySyncStore())
                .contactMatcher(InMemoryContactMatcher.builder().add("c-1", MailboxGenerator.person(1)).build())
                .options(SyncOptions.builder().batchSize(50, 10, 50).build())
                .build();
    }

    private static FolderSelection folder(String name) {
        return FolderSelection.of(List.of(MailFolder.fromList(name, ".", List.of())));
    }

    /** Runs {@code work} with a context class loader that counts StreamProvider look-ups. */
    private static int countLookups(Supplier<?> work) {
        AtomicInteger count = new AtomicInteger();
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        ClassLoader counting = new ClassLoader(parent) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (name.contains("StreamProvider")) {
                    count.incrementAndGet();
                }
                return super.getResources(name);
            }

            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.contains("StreamProvider") || name.contains("hk2")) {
                    count.incrementAndGet();
                }
                return super.loadClass(name, resolve);
            }
        };
        Thread.currentThread().setContextClassLoader(counting);
        try {
            work.get();
        } finally {
            Thread.currentThread().setContextClassLoader(parent);
        }
        return count.get();
    }
}
