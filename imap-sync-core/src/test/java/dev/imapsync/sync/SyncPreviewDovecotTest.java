package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.testing.CommandRecorder;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import dev.imapsync.testing.MimeCorpus;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Previews recorded by a real sync against the project's Dovecot, through a relay on its
 * cleartext port (Dovecot takes a login from 127.0.0.1 without TLS) that records every command:
 * the MIME corpus, mail of known contacts, beside mail of strangers, in a folder of its own.
 * Checked against Jakarta Mail's parser; strangers' mail costs no BODYSTRUCTURE and no body byte;
 * no flag changes.
 */
class SyncPreviewDovecotTest {
    private static final Pattern UID_FETCH = Pattern.compile("^\\S+ UID FETCH (\\S+) (.*)$");
    private static final Instant NOW = Instant.now();

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private Dovecot dovecot;
    private Store admin;
    private String folderName;
    private CommandRecorder recorder;
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final List<MimeCorpus.Message> corpus = MimeCorpus.all();

    @BeforeEach
    void connect() throws Exception {
        dovecot = DOVECOT.dovecot();
        admin = DOVECOT.admin();
        folderName = DOVECOT.newFolder("preview");
        Folder folder = admin.getFolder(folderName);
        List<Message> messages = new ArrayList<>();
        int n = 0;
        for (MimeCorpus.Message m : corpus) {
            messages.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.bytes())));
            if (n++ % 10 == 0) {
                messages.add(new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(stranger(n))));
            }
        }
        folder.appendMessages(messages.toArray(new Message[0]));
        recorder = CommandRecorder.relayTo(dovecot.host(), dovecot.starttlsPort());
    }

    @AfterEach
    void cleanUp() throws IOException {
        recorder.close();
    }

    @Test
    void recordsPreviewsOfContactsMailOnlyAsJakartaMailReadsItWithoutTouchingFlags() throws Exception {
        SyncReport report = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-anna", "anna@example.com")
                        .add("c-tom", "tom@example.net").add("c-carol", "carol@example.org")
                        .add("c-maria", "maria@example.es").add("c-juergen", "juergen@example.de")
                        .add("c-f", "f@example.fr").add("c-ben", "ben@example.net").add("c-dana", "dana@example.org")
                        .add("c-mailer", "mailer-daemon@mx.example").build())
                .options(SyncOptions.builder().batchSize(16, 10, 16).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()
                .sync(account(), FolderSelection.of(FolderSelector.assignRoles(List.of(
                        MailFolder.fromList(folderName, ".", List.of())))));

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        Map<String, SyncedMessage> byMessageId = store.messages("dovecot-alice").stream()
                .collect(Collectors.toMap(m -> m.key().value(), m -> m, (a, b) -> a));
        Set<Long> strangers = new HashSet<>();
        Set<Long> known = new HashSet<>();
        List<String> mismatches = new ArrayList<>();
        for (SyncedMessage m : store.messages("dovecot-alice")) {
            if (m.from().contains("unknown.example")) {
                strangers.add(m.uid());
                assertThat(m.preview()).isEmpty();
            } else {
                known.add(m.uid());
            }
        }
        int withText = 0;
        for (MimeCorpus.Message m : corpus) {
            String key = "mid:" + new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(m.bytes())).getMessageID().replaceAll("[<>]", "").strip();
            SyncedMessage recorded = byMessageId.get(key);
            assertThat(recorded).as("corpus message %s recorded as %s", m.name(), key).isNotNull();
            MessagePreview preview = recorded.preview().orElseThrow();
            if (m.name().startsWith("broken-")) {
                continue; // Jakarta Mail is no oracle for these: it throws on some
            }
            JakartaView oracle = JakartaView.of(m.bytes());
            Set<String> names = preview.attachments().stream().map(Attachment::name).filter(s -> !s.isEmpty())
                    .collect(Collectors.toSet());
            if (!names.equals(oracle.fileNames())) {
                mismatches.add(m.name() + ": attachments " + names + ", Jakarta Mail: " + oracle.fileNames());
            }
            if (!preview.text().isEmpty()) {
                withText++;
                String first = preview.text().split(" ")[0];
                if (!m.name().equals("charset-absent-8bit-utf8") && !oracle.collapsedText().contains(first)) {
                    mismatches.add(m.name() + ": preview '" + preview.text() + "' is not Jakarta Mail's '"
                            + oracle.collapsedText() + "'");
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(withText).isGreaterThan(corpus.size() / 2);
        assertThat(strangers).isNotEmpty();

        Set<Long> structures = new HashSet<>();
        Set<Long> bodies = new HashSet<>();
        for (String command : recorder.commands()) {
            Matcher matcher = UID_FETCH.matcher(command);
            if (matcher.matches()) {
                String items = matcher.group(2).toUpperCase();
                Set<Long> uids = SyncPreviewGreenMailTest.expand(matcher.group(1));
                if (items.contains("BODYSTRUCTURE")) {
                    structures.addAll(uids);
                }
                if ((items.contains("BODY.PEEK[") && !items.contains("HEADER.FIELDS")) || items.contains("BINARY")) {
                    assertThat(items).as("partial and PEEK: %s", command).containsPattern("(BODY|BINARY)\\.PEEK\\[")
                            .containsPattern("<0\\.\\d+>");
                    bodies.addAll(uids);
                }
                assertThat(items).doesNotContainPattern("BODY\\[").doesNotContain("RFC822.TEXT");
            }
        }
        assertThat(structures).isEqualTo(known).doesNotContainAnyElementsOf(strangers);
        assertThat(bodies).isNotEmpty().isSubsetOf(known);
        assertThat(recorder.commands()).as("Dovecot offers BINARY: the server undoes the transfer encoding")
                .anyMatch(c -> c.contains("BINARY.PEEK["));

        Folder folder = admin.getFolder(folderName);
        folder.open(Folder.READ_ONLY);
        assertThat(folder.getMessages()).allMatch(m -> {
            try {
                return !m.isSet(Flags.Flag.SEEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        folder.close(false);
    }

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("dovecot-alice")
                .emailAddress(Dovecot.PLAIN_USER)
                .endpoint("127.0.0.1", recorder.port(), Security.NONE)
                .allowInsecure(true)
                .password(Dovecot.PLAIN_USER, dovecot.password())
                .build();
    }

    private static byte[] stranger(int n) {
        return ("From: Stranger <stranger" + n + "@unknown.example>\r\nTo: " + Dovecot.PLAIN_USER + "\r\n"
                + "Subject: Offer " + n + "\r\nDate: Fri, 30 Oct 2026 10:00:00 +0000\r\n"
                + "Message-ID: <stranger-" + n + "@unknown.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nA secret offer nobody should read.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
