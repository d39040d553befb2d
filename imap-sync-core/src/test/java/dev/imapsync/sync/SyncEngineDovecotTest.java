package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.testing.Dovecot;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The sync engine against a real Dovecot: interoperability of EXAMINE, UID SEARCH, streamed
 * UID FETCH and CONDSTORE. Each test works in a folder of its own, deleted afterwards.
 */
@EnabledIfEnvironmentVariable(named = "IMAPSYNC_TEST_DOVECOT", matches = ".+")
class SyncEngineDovecotTest {
    private static final Instant NOW = Instant.now();

    private Dovecot dovecot;
    private Store admin;
    private String folderName;
    private final MailboxGenerator generator = new MailboxGenerator(7);
    private final InMemorySyncStore store = new InMemorySyncStore();

    @BeforeEach
    void connect() throws Exception {
        dovecot = Dovecot.fromEnvironment();
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", trusting(dovecot.certificatePem()).getSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        admin = Session.getInstance(props).getStore("imaps");
        admin.connect(dovecot.host(), dovecot.tlsPort(), Dovecot.PLAIN_USER, dovecot.password());
        folderName = "sync-" + UUID.randomUUID().toString().substring(0, 8);
        admin.getFolder(folderName).create(Folder.HOLDS_MESSAGES);
    }

    @AfterEach
    void cleanUp() throws MessagingException {
        Folder f = admin.getFolder(folderName);
        if (f.exists()) {
            f.delete(true);
        }
        admin.close();
    }

    private SyncEngine engine() {
        return SyncEngine.builder()
                .store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-1", MailboxGenerator.person(1)).build())
                .options(SyncOptions.builder().batchSize(100, 10, 100).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("dovecot-alice")
                .endpoint(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS)
                .password(Dovecot.PLAIN_USER, dovecot.password())
                .trustCertificatePem(dovecot.certificatePem())
                .build();
    }

    private FolderSelection selection() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(MailFolder.fromList(folderName, ".", List.of()))));
    }

    /** APPENDs messages whose INTERNALDATE is their Date header. */
    private void append(int count, Instant last, String prefix) throws MessagingException {
        Folder folder = admin.getFolder(folderName);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant date = last.minus(Duration.ofMinutes(count - 1 - i));
            String raw = generator.message(MailboxGenerator.person(i % 5), Dovecot.PLAIN_USER, date,
                    prefix + i + "@" + folderName + ".example").replace("\n", "\r\n");
            messages.add(new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
        }
        folder.appendMessages(messages.toArray(new Message[0]));
    }

    @Test
    void firstSyncThenOnlyNewMessagesAndFlagsUntouched() throws MessagingException {
        append(250, NOW.minus(Duration.ofDays(1)), "a");
        append(5, NOW.minus(Duration.ofDays(400)), "old");

        SyncReport first = engine().sync(account(), selection());

        assertThat(first.status()).as(String.valueOf(first)).isEqualTo(SyncStatus.OK);
        assertThat(first.fetched() - first.folders().get(0).skipped()).isEqualTo(250);
        assertThat(store.messageCount("dovecot-alice")).isEqualTo(250);
        assertThat(first.matched()).isGreaterThanOrEqualTo(50); // every 5th is from the contact, some Cc it
        assertThat(unseen()).isEqualTo(255);

        SyncReport idle = engine().sync(account(), selection());
        assertThat(idle.folders().get(0).upToDate()).isTrue();
        assertThat(idle.fetched()).isZero();

        append(3, NOW, "b");
        SyncReport next = engine().sync(account(), selection());
        assertThat(next.fetched()).isEqualTo(3);
        assertThat(store.messageCount("dovecot-alice")).isEqualTo(253);
        assertThat(unseen()).isEqualTo(258);
    }

    @Test
    void aRecreatedFolderIsReadAgainWithoutDuplicates() throws MessagingException {
        append(20, NOW.minus(Duration.ofHours(1)), "a");
        SyncReport first = engine().sync(account(), selection());
        long validity = first.folders().get(0).uidValidity();

        Folder folder = admin.getFolder(folderName);
        folder.delete(true);
        admin.getFolder(folderName).create(Folder.HOLDS_MESSAGES);
        append(20, NOW.minus(Duration.ofHours(1)), "a");

        SyncReport second = engine().sync(account(), selection());

        assertThat(second.folders().get(0).uidValidity()).isNotEqualTo(validity);
        assertThat(second.warnings()).singleElement().asString().contains("UIDVALIDITY changed");
        assertThat(second.fetched()).isEqualTo(20);
        assertThat(second.activities()).isZero();
        assertThat(store.messageCount("dovecot-alice")).isEqualTo(20);
    }

    private int unseen() throws MessagingException {
        Folder folder = admin.getFolder(folderName);
        folder.open(Folder.READ_ONLY);
        try {
            int unseen = 0;
            for (Message m : folder.getMessages()) {
                if (!m.isSet(Flags.Flag.SEEN)) {
                    unseen++;
                }
            }
            return unseen;
        } finally {
            folder.close(false);
        }
    }

    static SSLContext trusting(String pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("dovecot", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
