package dev.imapsync.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.FailureKind;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Await;
import dev.imapsync.testing.CommandRecorder;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.ShapingProxy;
import dev.imapsync.testing.TestCertificates;
import jakarta.mail.Flags;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opening an email on demand against a real IMAP server (GreenMail): synced by the engine, then
 * opened from the timeline's locations; sanitized, streamed, found again after a move or a
 * recreated folder, gone when deleted, flags never changed.
 */
class MessageOpenerGreenMailTest {
    private static final String PASSWORD = "owner-password";
    private static final Instant RECEIVED = Instant.parse("2026-10-30T10:00:00Z");
    private static final FolderChoice FOLDERS = FolderChoice.named(List.of("INBOX", "Projects", "Archive"));
    private static final byte[] PDF = TestMessages.bytes(120_000, 7);

    private GreenMailTls server;
    private GreenMailUser user;
    private final InMemorySyncStore store = new InMemorySyncStore();

    @BeforeEach
    void start() {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(TestMessages.OWNER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ImapAccount account() {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(TestMessages.OWNER)
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(TestMessages.OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }

    /** Syncs the account's folders and returns Ann's newest timeline entry with that subject. */
    private TimelineEntry syncedEntry(String subject) {
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-ann", TestMessages.SENDER).build()).build();
        assertThat(engine.sync(account(), FOLDERS).status()).isEqualTo(SyncStatus.OK);
        return store.timeline(TimelineQuery.forContact("c-ann")).entries().stream()
                .filter(e -> e.subject().equals(subject)).findFirst().orElseThrow();
    }

    private void createFolders() throws Exception {
        server.append(user, "Projects", TestMessages.plain("seed-p@acme.example", "seed", "seed"), RECEIVED);
        server.append(user, "Archive", TestMessages.plain("seed-a@acme.example", "seed", "seed"), RECEIVED);
    }

    private static MessageContent opened(OpenResult<MessageContent> result) {
        assertThat(result).isInstanceOf(OpenResult.Opened.class);
        return result.orElseThrow();
    }

    @Test
    void opensASyncedEmailWithItsTextSanitizedHtmlAndAttachmentsWithoutChangingFlags() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.rich("offer-1@client.example", PDF), RECEIVED);
        TimelineEntry entry = syncedEntry("Offer for Q3 – Angebot");
        String flagsBefore = flags("INBOX");

        MessageContent content = opened(MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations()));

        assertThat(content.messageKey()).isEqualTo(new MessageKey("mid:offer-1@client.example"));
        assertThat(content.subject()).isEqualTo("Offer for Q3 – Angebot");
        assertThat(content.from()).extracting(EmailAddress::address).containsExactly(TestMessages.SENDER);
        assertThat(content.to()).extracting(EmailAddress::address).containsExactly(TestMessages.OWNER);
        assertThat(content.cc()).extracting(EmailAddress::address).containsExactly("carol@client.example");
        assertThat(content.date()).isEqualTo(Instant.ofEpochMilli(1_790_000_000_000L));
        assertThat(content.text().replace("\r\n", "\n")).isEqualTo(TestMessages.PLAIN);
        assertThat(content.folder()).isEqualTo("INBOX");
        assertThat(content.uid()).isEqualTo(entry.locations().get(0).uid());
        assertThat(content.location().uidValidity()).isPositive();
        assertThat(content.attachments()).extracting(Attachment::part, Attachment::name, Attachment::mimeType,
                Attachment::inline).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1.2", "logo.png", "image/png", true),
                        org.assertj.core.groups.Tuple.tuple("2", "Angebot Q3 – final.pdf", "application/pdf", false),
                        org.assertj.core.groups.Tuple.tuple("3", "Figures.eml", "message/rfc822", false),
                        org.assertj.core.groups.Tuple.tuple("3.2", "figures.csv", "text/csv", false));
        assertThat(content.attachments().get(0).contentId()).hasValue("logo@acme.example");
        assertThat(content.attachments().get(1).size()).as("the encoded size, base64 a third larger")
                .isBetween((long) PDF.length, PDF.length * 14L / 10);
        assertHostileHtmlIsSanitized(content);
        assertThat(flags("INBOX")).as("\\Seen and every other flag unchanged").isEqualTo(flagsBefore);
    }

    static void assertHostileHtmlIsSanitized(MessageContent content) {
        String html = content.html().orElseThrow();
        assertThat(html).contains("Hello <b>Sam</b>, the offer is attached.");
        for (String forbidden : List.of("<script", "alert(", "onload", "onerror", "onclick", "javascript:", "<style",
                "url(", "style=", "<svg", "<meta", "refresh", "<base", "<iframe", "<form", "<input", "<object",
                "data:text/html", "evil.example")) {
            assertThat(html).as("sanitized HTML has no %s", forbidden).doesNotContainIgnoringCase(forbidden);
        }
        assertThat(html).as("the remote image is not loaded, its address kept aside")
                .doesNotContain(" src=\"http://tracker.example/pixel.gif\"")
                .contains("data-remote-src=\"http://tracker.example/pixel.gif\"");
        assertThat(html).as("a protocol-relative image is a remote one too")
                .contains("<img data-remote-src=\"http://tracker.example/relative.png\">");
        assertThat(content.remoteImagesBlocked()).isEqualTo(2);
        assertThat(html).as("the cid: image embedded from the message itself")
                .contains("src=\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(TestMessages.png())
                        + "\"");
        assertThat(html).contains("<a href=\"https://acme.example/offer\" rel=\"noopener noreferrer nofollow\">offer</a>");
        assertThat(html).contains("<a rel=\"noopener noreferrer nofollow\">click me</a>");
    }

    @Test
    void remoteImagesAreKeptWhenTheCallerAllowsThem() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.rich("offer-2@client.example", PDF), RECEIVED);
        TimelineEntry entry = syncedEntry("Offer for Q3 – Angebot");

        MessageContent content = opened(MessageOpener.standard().withRemoteImages(true).open(account(), FOLDERS,
                entry.messageKey(), entry.locations()));

        assertThat(content.html().orElseThrow()).contains("src=\"http://tracker.example/pixel.gif\"")
                .doesNotContain("onerror");
        assertThat(content.remoteImagesBlocked()).isZero();
    }

    @Test
    void streamsEachAttachmentByteForByteAndRefusesOneOverTheCap() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.rich("offer-3@client.example", PDF), RECEIVED);
        TimelineEntry entry = syncedEntry("Offer for Q3 – Angebot");
        String flagsBefore = flags("INBOX");
        MessageOpener opener = MessageOpener.standard();
        MessageContent content = opened(opener.open(account(), FOLDERS, entry.messageKey(), entry.locations()));

        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        assertThat(opener.attachment(account(), content.location(), "2", pdf, 10_000_000).orElseThrow())
                .isEqualTo(PDF.length);
        assertThat(pdf.toByteArray()).isEqualTo(PDF);
        // a part inside the attached message (3.2): GreenMail cannot fetch BODY[3.2]; MessageOpenerDovecotTest does
        ByteArrayOutputStream logo = new ByteArrayOutputStream();
        opener.attachment(account(), content.location(), "1.2", logo, 1_000).orElseThrow();
        assertThat(logo.toByteArray()).isEqualTo(TestMessages.png());

        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        OpenResult<Long> tooLarge = opener.attachment(account(), content.location(), "2", refused, 50_000);
        assertThat(tooLarge).isInstanceOf(OpenResult.Refused.class);
        assertThat(tooLarge.message()).startsWith("Part 2 of the email (UID " + content.uid() + " in folder INBOX) has"
                + " at least ").contains("more than the cap of 50000 bytes");
        assertThat(refused.size()).as("refused before a byte was written").isZero();
        OpenResult<Long> noPart = opener.attachment(account(), content.location(), "9", refused, 50_000);
        assertThat(noPart.message()).isEqualTo("The email (UID " + content.uid() + " in folder INBOX) has no part 9:"
                + " take the part number from its attachment list.");
        assertThat(flags("INBOX")).isEqualTo(flagsBefore);
    }

    @Test
    void aMessageLargerThanTheWholeFetchCapIsReadPartByPartWithTheSamePartNumbers() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.rich("offer-4@client.example", PDF), RECEIVED);
        TimelineEntry entry = syncedEntry("Offer for Q3 – Angebot");
        MessageContent whole = opened(MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations()));

        MessageContent byParts = opened(MessageOpener.builder().maxMessageBytes(4_096).build().open(account(), FOLDERS,
                entry.messageKey(), entry.locations()));

        assertThat(byParts.text()).isEqualTo(whole.text());
        assertThat(byParts.html()).isEqualTo(whole.html());
        assertThat(byParts.attachments()).extracting(Attachment::part, Attachment::name, Attachment::mimeType)
                .isEqualTo(whole.attachments().stream().map(a -> org.assertj.core.groups.Tuple.tuple(a.part(), a.name(),
                        a.mimeType())).toList());
    }

    @Test
    void anHtmlOnlyEmailHasItsTextFromTheHtml() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.htmlOnly("news-1@client.example"), RECEIVED);
        TimelineEntry entry = syncedEntry("Newsletter");

        MessageContent content = opened(MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations()));

        assertThat(content.text()).isEqualTo("News\n\nFirst paragraph.\n\nOne\nTwo\n\nRead more <https://acme.example/more>");
        assertThat(content.html().orElseThrow()).doesNotContain("<script").contains("<li>One</li>");
        assertThat(content.attachments()).isEmpty();
    }

    @Test
    void aMovedEmailIsFoundByItsMessageIdInAnotherSelectedFolder() throws Exception {
        createFolders();
        String raw = TestMessages.plain("moved-1@client.example", "Moved", "I will move.");
        server.append(user, "Projects", raw, RECEIVED);
        TimelineEntry entry = syncedEntry("Moved");
        assertThat(entry.locations()).extracting(Location::folder).containsExactly("Projects");
        deleteAll("Projects");
        server.append(user, "Archive", TestMessages.plain("other@client.example", "Other", "x"), RECEIVED);
        long uid = server.append(user, "Archive", raw, RECEIVED);

        MessageContent content = opened(MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations()));

        assertThat(content.folder()).isEqualTo("Archive");
        assertThat(content.uid()).isEqualTo(uid);
        assertThat(content.text().strip()).isEqualTo("I will move.");
    }

    @Test
    void anEmailInARecreatedFolderIsFoundAgainUnderTheNewUidValidity() throws Exception {
        createFolders();
        String raw = TestMessages.plain("recreated-1@client.example", "Recreated", "Still here.");
        server.append(user, "Projects", raw, RECEIVED);
        TimelineEntry entry = syncedEntry("Recreated");
        MessageOpener opener = MessageOpener.standard();
        MessageContent first = opened(opener.open(account(), FOLDERS, entry.messageKey(), entry.locations()));
        server.greenMail().getManagers().getImapHostManager().deleteMailbox(user, "Projects");
        server.append(user, "Projects", TestMessages.plain("newcomer@client.example", "Newcomer", "x"), RECEIVED);
        server.append(user, "Projects", TestMessages.plain("newcomer-2@client.example", "Newcomer", "x"), RECEIVED);
        long uid = server.append(user, "Projects", raw, RECEIVED);

        MessageContent again = opened(opener.open(account(), FOLDERS, entry.messageKey(), List.of(first.location())));
        MessageContent fromTimeline = opened(opener.open(account(), FOLDERS, entry.messageKey(), entry.locations()));

        assertThat(again.location().uidValidity()).isNotEqualTo(first.location().uidValidity());
        assertThat(again.uid()).isEqualTo(uid);
        assertThat(again.text().strip()).isEqualTo("Still here.");
        assertThat(fromTimeline.location()).as("the timeline's UID now names another message: checked, then searched")
                .isEqualTo(again.location());
        OpenResult<Long> stale = opener.attachment(account(), first.location(), "1", new ByteArrayOutputStream(), 100);
        assertThat(stale).isInstanceOf(OpenResult.Gone.class);
        assertThat(stale.message()).contains("was recreated");
    }

    @Test
    void aDeletedEmailIsNoLongerInTheMailboxAndItsTimelineEntryStays() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.plain("deleted-1@client.example", "Deleted", "Gone soon."), RECEIVED);
        TimelineEntry entry = syncedEntry("Deleted");
        deleteAll("INBOX");

        OpenResult<MessageContent> result = MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations());

        assertThat(result).isInstanceOf(OpenResult.Gone.class);
        assertThat(result.message()).isEqualTo("This email is no longer in the mailbox of account acct-1: it is not"
                + " where it was recorded (INBOX UID " + entry.locations().get(0).uid() + ") nor, by its Message-ID, in"
                + " INBOX, Projects, Archive. It was deleted or moved to a folder that is not synced; it stays on the"
                + " timeline.");
        assertThat(store.timeline(TimelineQuery.forContact("c-ann")).entries()).extracting(TimelineEntry::messageKey)
                .contains(entry.messageKey());
    }

    @Test
    void anEmailWithoutMessageIdIsOpenedAtItsPlaceByItsHashKeyAndCannotBeSearchedForOnceGone() throws Exception {
        createFolders();
        server.append(user, "INBOX", "From: Ann <" + TestMessages.SENDER + ">\nTo: " + TestMessages.OWNER
                + "\nSubject: No id\nDate: Tue, 3 Nov 2026 10:00:00 +0000\n\nNo Message-ID here.\n", RECEIVED);
        TimelineEntry entry = syncedEntry("No id");
        assertThat(entry.messageKey().value()).startsWith("h:");

        MessageContent content = opened(MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations()));
        deleteAll("INBOX");
        OpenResult<MessageContent> gone = MessageOpener.standard().open(account(), FOLDERS, entry.messageKey(),
                entry.locations());

        assertThat(content.text()).isEqualTo("No Message-ID here.\n");
        assertThat(gone.message()).isEqualTo("This email is no longer in the mailbox of account acct-1: it is not where"
                + " it was recorded (INBOX UID " + content.uid() + "), and having no Message-ID it cannot be searched"
                + " for. It was deleted or moved to a folder that is not synced; it stays on the timeline.");
    }

    @Test
    void anEmailAtItsRecordedPlaceCostsThreeRoundTripsAfterLoginAndTheClientWaitsForTwo() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.plain("trips-1@client.example", "Trips", "Three round trips."),
                RECEIVED);
        TimelineEntry entry = syncedEntry("Trips");
        // the recorder in front of a 20 ms link: GreenMail's answers cannot pass it before the client's
        // next write when that write does not wait for them, so what it counts does not depend on scheduling
        try (ShapingProxy link = ShapingProxy.to("127.0.0.1", server.imapPort(), ShapingProxy.Profile.RTT_20_MS);
             CommandRecorder recorder = CommandRecorder.relayTo("127.0.0.1", link.port())) {
            ImapAccount cleartext = account().toBuilder().endpoint("127.0.0.1", recorder.port(), Security.NONE)
                    .allowInsecure(true).build();

            MessageContent content = opened(MessageOpener.standard().open(cleartext, FOLDERS, entry.messageKey(),
                    entry.locations()));

            assertThat(content.subject()).isEqualTo("Trips");
            assertThat(content.text().replace("\r\n", "\n")).startsWith("Three round trips.");
            // the recorder's thread may still be reading the last commands written
            Await.until("the recorder reads the LOGOUT", Duration.ofSeconds(5),
                    () -> recorder.commandNames().contains("LOGOUT"));
            List<String> names = recorder.commandNames();
            List<String> all = recorder.roundTripCommands();
            // from the EXAMINE: GreenMail's answer to LOGIN carries no capabilities, so Angus asks for
            // them after it, a round trip of the login's that Dovecot's answer saves
            List<String> opening = all.subList(all.lastIndexOf("EXAMINE"), all.size());
            // the body fetch goes with the header fetch that checks the key; LOGOUT goes behind the
            // unanswered CLOSE, which the recorder counts (it cannot see that the client does not wait)
            assertThat(opening).as("all commands: %s", names).containsExactly("EXAMINE", "UID", "CLOSE");
            assertThat(names.subList(names.lastIndexOf("EXAMINE"), names.size()))
                    .containsExactly("EXAMINE", "UID", "UID", "CLOSE", "LOGOUT");
        }
    }

    @Test
    void anEmailLargerThanTheFirstMegabyteHasOnlyItsRestFetchedAfter() throws Exception {
        createFolders();
        StringBuilder body = new StringBuilder();
        for (int line = 0; body.length() < 1_500_000; line++) {
            body.append(String.format("line %06d of a long report, plain ASCII so it stays 7bit on the wire%n", line));
        }
        server.append(user, "INBOX", TestMessages.plain("long-1@client.example", "Long", body.toString()), RECEIVED);
        try (CommandRecorder recorder = CommandRecorder.relayTo("127.0.0.1", server.imapPort())) {
            ImapAccount cleartext = account().toBuilder().endpoint("127.0.0.1", recorder.port(), Security.NONE)
                    .allowInsecure(true).build();

            // INBOX's first message has UID 1; recorded with UIDVALIDITY 0, so the key is checked
            MessageContent content = opened(MessageOpener.standard().open(cleartext, FOLDERS,
                    MessageKey.ofMessageId("long-1@client.example"), List.of(new Location("acct-1", "INBOX", 1, 0))));

            assertThat(content.text().replace("\r\n", "\n")).isEqualTo(body.toString().replace("\r\n", "\n"));
            // the first MiB and one byte came with the check; the rest from there, no byte twice
            assertThat(recorder.commands()).filteredOn(c -> c.contains("BODY.PEEK[]<"))
                    .extracting(c -> c.substring(c.indexOf("BODY.PEEK[]<")))
                    .containsExactly("BODY.PEEK[]<0.1048577>)", "BODY.PEEK[]<1048577.15728640>)");
        }
    }

    @Test
    void aWrongPasswordIsTheUsualClassifiedFailure() throws Exception {
        createFolders();
        server.append(user, "INBOX", TestMessages.plain("auth-1@client.example", "Auth", "x"), RECEIVED);
        TimelineEntry entry = syncedEntry("Auth");
        ImapAccount wrong = account().toBuilder().password(TestMessages.OWNER, "not-the-password").build();

        OpenResult<MessageContent> result = MessageOpener.standard().open(wrong, FOLDERS, entry.messageKey(),
                entry.locations());

        assertThat(result).isInstanceOfSatisfying(OpenResult.Failed.class, failed -> {
            assertThat(failed.failure().kind()).isEqualTo(FailureKind.AUTH_FAILED);
            assertThat(failed.failure().message()).startsWith("Account acct-1 at ").doesNotContain("not-the-password");
        });
    }

    private void deleteAll(String folder) throws Exception {
        MailFolder mailbox = mailbox(folder);
        mailbox.deleteAllMessages();
    }

    private MailFolder mailbox(String folder) throws Exception {
        var manager = server.greenMail().getManagers().getImapHostManager();
        return folder.equals("INBOX") ? manager.getInbox(user) : manager.getFolder(user, folder);
    }

    private String flags(String folder) throws Exception {
        StringBuilder out = new StringBuilder();
        for (StoredMessage m : mailbox(folder).getMessages()) {
            Flags f = m.getFlags();
            out.append(m.getUid()).append(':').append(f.contains(Flags.Flag.SEEN) ? "seen" : "unseen").append(' ')
                    .append(f).append('\n');
        }
        return out.toString();
    }
}
