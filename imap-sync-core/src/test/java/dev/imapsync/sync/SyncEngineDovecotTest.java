package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sync engine against a real Dovecot: interoperability of EXAMINE, UID SEARCH, streamed
 * UID FETCH and CONDSTORE. Each test works in a folder of its own, deleted afterwards.
 */
class SyncEngineDovecotTest {
    private static final Instant NOW = Instant.now();

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private Store admin;
    private String folderName;
    private final MailboxGenerator generator = new MailboxGenerator(7);
    private final InMemorySyncStore store = new InMemorySyncStore();

    @BeforeEach
    void connect() {
        admin = DOVECOT.admin();
        folderName = DOVECOT.newFolder("sync");
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
        return DOVECOT.account(Dovecot.PLAIN_USER).id("dovecot-alice").build();
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
}
