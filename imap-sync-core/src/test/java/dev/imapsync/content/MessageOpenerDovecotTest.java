package dev.imapsync.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.message.Attachment;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opening an email against a real Dovecot: its BODYSTRUCTURE numbering (also inside an attached
 * message) agrees with ours, attachments stream byte for byte, a moved, recreated or deleted
 * message is handled, and flags stay. Each test works in folders of its own, deleted afterwards.
 */
class MessageOpenerDovecotTest {
    private static final byte[] PDF = TestMessages.bytes(300_000, 11);

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private Store admin;
    private String inbox;
    private String archive;
    private final InMemorySyncStore store = new InMemorySyncStore();

    @BeforeEach
    void connect() {
        admin = DOVECOT.admin();
        inbox = DOVECOT.newFolder("open");
        archive = inbox + "-archive";
        DOVECOT.createFolder(archive);
    }

    private ImapAccount account() {
        return DOVECOT.account(Dovecot.PLAIN_USER).id("dovecot-alice").build();
    }

    private FolderChoice folders() {
        return FolderChoice.named(List.of(inbox, archive));
    }

    private TimelineEntry syncedEntry(String subject) {
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-ann", TestMessages.SENDER).build()).build();
        assertThat(engine.sync(account(), folders()).status()).isEqualTo(SyncStatus.OK);
        return store.timeline(TimelineQuery.forContact("c-ann")).entries().stream()
                .filter(e -> e.subject().equals(subject)).findFirst().orElseThrow();
    }

    private void append(String folder, String raw) {
        DOVECOT.append(folder, raw);
    }

    @Test
    void opensStreamsAndKeepsFlagsWithDovecotsBodyStructure() throws Exception {
        append(inbox, TestMessages.rich("offer-d1@client.example", PDF));
        TimelineEntry entry = syncedEntry("Offer for Q3 – Angebot");
        List<String> flagsBefore = flags(inbox);
        MessageOpener opener = MessageOpener.standard();

        MessageContent whole = opener.open(account(), folders(), entry.messageKey(), entry.locations()).orElseThrow();
        MessageContent byParts = MessageOpener.builder().maxMessageBytes(4_096).build()
                .open(account(), folders(), entry.messageKey(), entry.locations()).orElseThrow();

        assertThat(whole.attachments()).extracting(Attachment::part, Attachment::name, Attachment::mimeType)
                .containsExactly(Tuple.tuple("1.2", "logo.png", "image/png"),
                        Tuple.tuple("2", "Angebot Q3 – final.pdf", "application/pdf"),
                        Tuple.tuple("3", "Figures.eml", "message/rfc822"),
                        Tuple.tuple("3.2", "figures.csv", "text/csv"));
        assertThat(byParts.attachments()).as("Dovecot's BODYSTRUCTURE numbers the parts as we do")
                .extracting(Attachment::part, Attachment::name, Attachment::mimeType)
                .isEqualTo(whole.attachments().stream().map(a -> Tuple.tuple(a.part(), a.name(), a.mimeType())).toList());
        assertThat(byParts.text()).isEqualTo(whole.text());
        assertThat(byParts.html()).isEqualTo(whole.html());
        MessageOpenerGreenMailTest.assertHostileHtmlIsSanitized(whole);

        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        assertThat(opener.attachment(account(), whole.location(), "2", pdf, PDF.length).orElseThrow())
                .isEqualTo(PDF.length);
        assertThat(pdf.toByteArray()).isEqualTo(PDF);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        opener.attachment(account(), whole.location(), "3.2", csv, 1_000).orElseThrow();
        assertThat(csv.toString(StandardCharsets.UTF_8)).isEqualTo(TestMessages.CSV);
        ByteArrayOutputStream eml = new ByteArrayOutputStream();
        opener.attachment(account(), whole.location(), "3", eml, 100_000).orElseThrow();
        assertThat(eml.toString(StandardCharsets.UTF_8)).contains("Subject: Figures").contains("figures.csv");
        OpenResult<Long> refused = opener.attachment(account(), whole.location(), "2", new ByteArrayOutputStream(),
                PDF.length - 1);
        assertThat(refused).isInstanceOf(OpenResult.Refused.class);
        assertThat(flags(inbox)).as("\\Seen unchanged").isEqualTo(flagsBefore).containsOnly("unseen");
    }

    @Test
    void findsAMovedOrRecreatedEmailAndSaysWhenOneIsGone() throws Exception {
        String moved = TestMessages.plain("moved-d1@client.example", "Moved", "I will move.");
        String deleted = TestMessages.plain("deleted-d1@client.example", "Deleted", "Gone soon.");
        append(inbox, moved);
        append(inbox, deleted);
        TimelineEntry movedEntry = syncedEntry("Moved");
        TimelineEntry deletedEntry = syncedEntry("Deleted");
        MessageOpener opener = MessageOpener.standard();
        MessageContent before = opener.open(account(), folders(), movedEntry.messageKey(), movedEntry.locations())
                .orElseThrow();

        Folder folder = admin.getFolder(inbox);
        folder.delete(true);
        admin.getFolder(inbox).create(Folder.HOLDS_MESSAGES);
        append(inbox, TestMessages.plain("newcomer-d1@client.example", "Newcomer", "x"));
        append(archive, TestMessages.plain("other-d1@client.example", "Other", "x"));
        append(archive, moved);

        MessageContent after = opener.open(account(), folders(), movedEntry.messageKey(), List.of(before.location()))
                .orElseThrow();
        OpenResult<MessageContent> gone = opener.open(account(), folders(), deletedEntry.messageKey(),
                deletedEntry.locations());

        assertThat(after.folder()).isEqualTo(archive);
        assertThat(after.uid()).isEqualTo(2);
        assertThat(after.text().strip()).isEqualTo("I will move.");
        assertThat(gone).isInstanceOf(OpenResult.Gone.class);
        assertThat(gone.message()).startsWith("This email is no longer in the mailbox of account dovecot-alice")
                .contains("in " + inbox + ", " + archive + ".");
    }

    private List<String> flags(String name) throws MessagingException {
        Folder folder = admin.getFolder(name);
        folder.open(Folder.READ_ONLY);
        try {
            List<String> out = new ArrayList<>();
            for (Message m : folder.getMessages()) {
                out.add(m.isSet(Flags.Flag.SEEN) ? "seen" : "unseen");
            }
            return out;
        } finally {
            folder.close(false);
        }
    }
}
