package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
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
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.testing.CommandRecorder;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.MimeCorpus;
import dev.imapsync.testing.TestCertificates;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Previews recorded by a real sync against GreenMail, through a relay that records every
 * command: the MIME corpus (all of it mail of known contacts) beside mail of strangers. The
 * previews and attachment lists are checked against Jakarta Mail's parser of the same bytes, and
 * the commands prove that strangers' mail cost no BODYSTRUCTURE and no body byte.
 */
class SyncPreviewGreenMailTest {
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final Pattern UID_FETCH = Pattern.compile("^\\S+ UID FETCH (\\S+) (.*)$");

    /**
     * Messages whose text Jakarta Mail reads wrongly, so it is no oracle for them: 8-bit UTF-8
     * without a charset (Jakarta takes it for the platform's default; the preview tries UTF-8
     * first, as mail clients do).
     */
    private static final Set<String> ORACLE_MISREADS = Set.of("charset-absent-8bit-utf8");

    private GreenMailTls server;
    private GreenMailUser user;
    private CommandRecorder recorder;
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryContactMatcher contacts = InMemoryContactMatcher.builder()
            .add("c-anna", "anna@example.com")
            .add("c-tom", "tom@example.net")
            .add("c-carol", "carol@example.org")
            .add("c-maria", "maria@example.es")
            .add("c-juergen", "juergen@example.de")
            .add("c-f", "f@example.fr")
            .add("c-ben", "ben@example.net")
            .add("c-dana", "dana@example.org")
            .add("c-mailer", "mailer-daemon@mx.example")
            .build();
    /** UID to the corpus message stored under it. */
    private final Map<Long, MimeCorpus.Message> corpus = new HashMap<>();
    private final Set<Long> strangers = new TreeSet<>();

    @BeforeEach
    void start() throws Exception {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, PASSWORD);
        recorder = CommandRecorder.relayTo("127.0.0.1", server.imapPort());
        int n = 0;
        for (MimeCorpus.Message m : MimeCorpus.all()) {
            if (!greenMailDescribes(m)) {
                continue;
            }
            corpus.put(append(m.bytes()), m);
            if (n++ % 10 == 0) {
                strangers.add(append(stranger(n)));
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        recorder.close();
        server.close();
    }

    @Test
    void recordsPreviewsOfContactsMailOnlyAsJakartaMailReadsItWithoutTouchingFlags() throws Exception {
        Set<String> flagsBefore = flags();

        SyncReport report = engine(SyncOptions.builder().batchSize(16, 10, 16).build()).sync(account(), inbox());

        assertThat(report.status()).isEqualTo(SyncStatus.OK);
        assertThat(report.folders().get(0).warnings()).as("warnings name the broken messages")
                .anyMatch(w -> w.contains("UIDs " + uidOf("broken-bad-base64") + ":"));
        Map<Long, SyncedMessage> recorded = store.messages("acct-1").stream()
                .collect(Collectors.toMap(SyncedMessage::uid, m -> m));
        assertThat(recorded.keySet()).containsAll(corpus.keySet()).containsAll(strangers);
        for (long uid : strangers) {
            assertThat(recorded.get(uid).preview()).as("stranger's message %s", uid).isEmpty();
        }
        int withText = 0;
        List<String> mismatches = new java.util.ArrayList<>();
        for (Map.Entry<Long, MimeCorpus.Message> e : corpus.entrySet()) {
            MimeCorpus.Message m = e.getValue();
            MessagePreview preview = recorded.get(e.getKey()).preview().orElseThrow(() ->
                    new AssertionError("no preview for corpus message " + m.name()));
            JakartaView oracle = JakartaView.of(m.bytes());
            if (!m.name().startsWith("broken-") && !names(preview.attachments()).equals(oracle.fileNames())) {
                mismatches.add(m.name() + ": attachments " + names(preview.attachments()) + ", Jakarta Mail: "
                        + oracle.fileNames());
            }
            if (!preview.text().isEmpty()) {
                withText++;
                String start = firstWords(preview.text());
                if (!ORACLE_MISREADS.contains(m.name()) && !inOrder(oracle.collapsedText(), start)) {
                    mismatches.add(m.name() + ": preview starts '" + start + "', not in Jakarta Mail's text '"
                            + oracle.collapsedText() + "'");
                }
            }
            if (m.name().contains("encrypted")) {
                assertThat(preview.encrypted()).as("encrypted %s", m.name()).isTrue();
                assertThat(preview.text()).isEmpty();
            }
            if (m.name().startsWith("calendar-")) {
                assertThat(preview.calendarMethod()).as("calendar %s", m.name()).isPresent();
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(withText).as("corpus messages with a preview text").isGreaterThan(corpus.size() / 2);
        assertThat(flags()).isEqualTo(flagsBefore);
        assertThat(flagsBefore).allMatch(f -> !f.contains("Seen"));

        // the timeline shows what was recorded
        TimelineEntry newest = store.timeline(TimelineQuery.forContact("c-anna")).entries().get(0);
        assertThat(newest.preview()).isEqualTo(recorded.get(newest.locations().get(0).uid()).preview());
        assertThat(newest.locations().get(0).uidValidity()).isEqualTo(report.folders().get(0).uidValidity());
    }

    /**
     * Inline PGP (armour in a text/plain body) is known only from the text's first bytes: the
     * structure says text/plain. The recorded preview says encrypted, with no text; the signed
     * one keeps its text, unwrapped, and says signed.
     */
    @Test
    void inlinePgpIsRecordedAsEncryptedWithoutText() throws Exception {
        SyncReport report = engine(SyncOptions.builder().batchSize(16, 10, 16).build()).sync(account(), inbox());

        assertThat(report.status()).isEqualTo(SyncStatus.OK);
        Map<Long, SyncedMessage> recorded = store.messages("acct-1").stream()
                .collect(Collectors.toMap(SyncedMessage::uid, m -> m));
        MessagePreview encrypted = recorded.get(uidOf("pgp-inline-encrypted")).preview().orElseThrow();
        assertThat(encrypted.encrypted()).isTrue();
        assertThat(encrypted.text()).isEmpty();
        assertThat(encrypted.truncated()).isFalse();
        MessagePreview signed = recorded.get(uidOf("pgp-inline-signed")).preview().orElseThrow();
        assertThat(signed.signed()).isTrue();
        assertThat(signed.encrypted()).isFalse();
        assertThat(signed.text()).startsWith("The keys for the build server rotate on Monday.")
                .doesNotContain("BEGIN PGP");
    }

    @Test
    void strangersMailCostsNoStructureAndNoBodyByte() {
        SyncReport report = engine(SyncOptions.builder().batchSize(16, 10, 16).build()).sync(account(), inbox());
        assertThat(report.status()).isEqualTo(SyncStatus.OK);

        Set<Long> structures = new HashSet<>();
        Set<Long> bodies = new HashSet<>();
        for (String command : recorder.commands()) {
            Matcher m = UID_FETCH.matcher(command);
            if (!m.matches()) {
                continue;
            }
            String items = m.group(2).toUpperCase();
            Set<Long> uids = expand(m.group(1));
            if (items.contains("BODYSTRUCTURE")) {
                structures.addAll(uids);
            }
            if (items.matches(".*BODY(\\.PEEK)?\\[(?!HEADER\\.FIELDS).*") || items.contains("BINARY")
                    || items.contains("RFC822 ") || items.contains("RFC822)") || items.contains("RFC822.TEXT")) {
                assertThat(items).as("a body fetch is partial and a PEEK: %s", command).contains("BODY.PEEK[")
                        .containsPattern("<0\\.\\d+>");
                bodies.addAll(uids);
            }
            assertThat(items).as("never a fetch that sets \\Seen: %s", command)
                    .doesNotContainPattern("BODY\\[").doesNotContain("RFC822.TEXT");
        }
        assertThat(structures).as("messages whose structure was fetched").isEqualTo(corpus.keySet())
                .doesNotContainAnyElementsOf(strangers);
        assertThat(bodies).as("messages whose text was fetched").isNotEmpty().isSubsetOf(corpus.keySet())
                .doesNotContainAnyElementsOf(strangers);
    }

    @Test
    void previewsOffReadsNoStructureAtAll() {
        SyncReport report = engine(SyncOptions.builder().previews(false).build()).sync(account(), inbox());

        assertThat(report.status()).isEqualTo(SyncStatus.OK);
        assertThat(recorder.commands()).noneMatch(c -> c.toUpperCase().contains("BODYSTRUCTURE"));
        assertThat(store.messages("acct-1")).allMatch(m -> m.preview().isEmpty());
    }

    // fixtures

    /**
     * Whether GreenMail 2.1 can write the message's BODYSTRUCTURE: for some broken messages it
     * throws and drops the connection (a GreenMail bug; Dovecot answers them, see
     * SyncPreviewDovecotTest), which would fail every sync of this folder.
     */
    private boolean greenMailDescribes(MimeCorpus.Message m) throws Exception {
        GreenMailUser probe = server.addUser("probe-" + m.name() + "@acme.example", "p");
        var inbox = server.greenMail().getManagers().getImapHostManager().getInbox(probe);
        inbox.appendMessage(new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(m.bytes())), new Flags(), new Date());
        try {
            inbox.getMessages().get(0).getAttributes().getBodyStructure(true);
            return true;
        } catch (RuntimeException e) {
            System.out.println("GreenMail cannot describe corpus message " + m.name() + ": " + e);
            return false;
        }
    }

    private long append(byte[] rfc822) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(rfc822));
        return server.greenMail().getManagers().getImapHostManager().getInbox(user)
                .appendMessage(message, new Flags(), Date.from(NOW.minus(Duration.ofDays(1))));
    }

    private static byte[] stranger(int n) {
        String boundary = "b-" + n;
        return ("From: Stranger <stranger" + n + "@unknown.example>\r\n"
                + "To: " + OWNER + "\r\n"
                + "Subject: Offer " + n + "\r\n"
                + "Date: Fri, 30 Oct 2026 10:00:00 +0000\r\n"
                + "Message-ID: <stranger-" + n + "@unknown.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "A secret offer nobody should read: " + "x".repeat(3000) + "\r\n"
                + "--" + boundary + "\r\nContent-Type: application/pdf; name=offer.pdf\r\n"
                + "Content-Disposition: attachment; filename=offer.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "JVBERi0xLjQKJcfsj6IK\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", recorder.port(), Security.NONE)
                .allowInsecure(true)
                .password(OWNER, PASSWORD)
                .build();
    }

    private SyncEngine engine(SyncOptions options) {
        return SyncEngine.builder().store(store).contactMatcher(contacts).options(options)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    private static FolderSelection inbox() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(MailFolder.fromList("INBOX", ".", List.of()))));
    }

    private Set<String> flags() throws Exception {
        Set<String> all = new HashSet<>();
        for (StoredMessage m : server.greenMail().getManagers().getImapHostManager().getInbox(user).getMessages()) {
            all.add(m.getUid() + ":" + m.getFlags());
        }
        return all;
    }

    private static Set<String> names(List<Attachment> attachments) {
        return attachments.stream().map(Attachment::name).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
    }

    /** The preview's first words, at most 30 characters, without a trailing ellipsis. */
    private static String firstWords(String preview) {
        String text = preview.endsWith("…") ? preview.substring(0, preview.length() - 1) : preview;
        text = text.strip();
        if (text.length() <= 30) {
            return text;
        }
        int cut = text.lastIndexOf(' ', 30);
        return text.substring(0, cut > 10 ? cut : 30);
    }

    private long uidOf(String corpusName) {
        return corpus.entrySet().stream().filter(e -> e.getValue().name().equals(corpusName)).findFirst()
                .orElseThrow().getKey();
    }

    /** Whether the words appear in the text in this order (quoted lines between them dropped). */
    private static boolean inOrder(String text, String words) {
        int from = 0;
        for (String word : words.split(" ")) {
            int at = text.indexOf(word, from);
            if (at < 0) {
                return false;
            }
            from = at + word.length();
        }
        return true;
    }

    static Set<Long> expand(String set) {
        Set<Long> uids = new TreeSet<>();
        for (String range : set.split(",")) {
            String[] ends = range.split(":");
            long from = Long.parseLong(ends[0]);
            long to = ends.length > 1 ? Long.parseLong(ends[1]) : from;
            for (long uid = from; uid <= to; uid++) {
                uids.add(uid);
            }
        }
        return uids;
    }
}
