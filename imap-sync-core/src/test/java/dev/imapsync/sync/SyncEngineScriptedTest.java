package dev.imapsync.sync;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.imapsync.Failure;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncReport.FolderReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync engine against a scripted IMAP server that plays the quirks real servers show:
 * Gmail's X-GM items and one message in several folders, untagged EXPUNGE/EXISTS and flag
 * updates in the middle of a FETCH answer, messages that vanish between SEARCH and FETCH,
 * partial answers, and a connection that drops in the middle of a batch. Each test says what
 * ends up in the store, what the report says, and what reached the server.
 *
 * <p>The engine opens one connection (implicit TLS here): greeting, CAPABILITY, LOGIN, then per
 * folder EXAMINE, SEARCH and FETCH, CLOSE, and LOGOUT at the end. The script of a connection
 * is a {@link Mailbox}: one phase per folder, each answering that folder's SEARCH and FETCH
 * commands and ending with the EXAMINE of the next folder, so that a SEARCH always gets the
 * answer of the folder that is open. FETCH answers are generated for every {@code lo:hi}
 * range of the folder, so the tests do not depend on how the engine sizes its batches.
 *
 * <p>Every test registers its servers with {@link #serve}; after each test, everything any
 * client sent is checked to be read-only ({@link #assertReadOnly}) and to fetch by short UID
 * ranges ({@link #assertFetchesUseShortRanges}).
 */
class SyncEngineScriptedTest {
    private static final String ACCOUNT = "g1";
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    /** NOW minus the default 90-day window, as UID SEARCH SINCE wants it (d-MMM-yyyy). */
    private static final String WINDOW_START = "3-Aug-2026";
    private static final String RECENT = "05-Oct-2026 10:00:00 +0000";

    /** Angus tags each connection with its own prefix: A0, A1, … (B0, … on the next). */
    private static final String TAG = "[A-Z]{1,3}\\d+";
    private static final String FETCH_COMMAND = "(?i)" + TAG + " UID FETCH .*";
    private static final String SEARCH_COMMAND = "(?i)" + TAG + " UID SEARCH .*";
    private static final String HEADER_FIELDS = "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID"
            + " IN-REPLY-TO REFERENCES";

    private static final String BOB = "bob@partner.example";
    private static final String CAROL = "carol@client.example";

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryContactMatcher contacts = InMemoryContactMatcher.builder()
            .add("c-bob", BOB)
            .add("c-carol", CAROL)
            .build();
    private final List<ScriptedImapServer> servers = new ArrayList<>();

    @AfterEach
    void everyCommandEverSentWasReadOnlyAndFetchedByShortRanges() {
        for (ScriptedImapServer server : servers) {
            server.close();
            assertReadOnly(server);
            assertFetchesUseShortRanges(server);
        }
    }

    // ---------------------------------------------------------------- Gmail

    @Test
    void gmailMessageInTwoFoldersIsRecordedOnceUnderItsGmailIdWithItsThread() {
        // Gmail: one message shows in several folders (labels) with a different UID in each;
        // X-GM-MSGID is the same everywhere, X-GM-THRID names its conversation.
        long msgId = 1_278_455_344_230_334_865L;
        long replyId = 1_278_455_344_230_334_999L;
        long thread = 1_278_455_344_230_334_865L;
        Mail sent = mail(5, RECENT, OWNER, BOB, "Proposal", "<proposal-1@acme.example>")
                .gmail(msgId, thread);
        Mail reply = mail(6, RECENT, BOB, OWNER, "Re: Proposal", "<reply-1@partner.example>")
                .gmail(replyId, thread);
        Mail sentCopy = mail(9, RECENT, OWNER, BOB, "Proposal", "<proposal-1@acme.example>")
                .gmail(msgId, thread);
        Box important = new Box("[Gmail]/Important", 11, 7, List.of(sent, reply));
        Box sentMail = new Box("[Gmail]/Sent Mail", 12, 10, List.of(sentCopy));
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1 X-GM-EXT-1", important, sentMail).script());

        SyncReport report = engine(500).sync(account(server), select(
                MailFolder.fromList("[Gmail]/Important", "/", List.of("\\HasNoChildren", "\\Important")),
                MailFolder.fromList("[Gmail]/Sent Mail", "/", List.of("\\HasNoChildren", "\\Sent"))));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.fetched()).isEqualTo(3);
        assertThat(report.folders()).extracting(FolderReport::fetched, FolderReport::lastUid)
                .containsExactly(tuple(2L, 6L), tuple(1L, 9L));
        assertThat(store.messages(ACCOUNT)).extracting(m -> m.key().value())
                .containsExactly("gm:" + msgId, "gm:" + replyId);
        assertThat(store.messages(ACCOUNT)).allSatisfy(m -> assertThat(m.threadId()).contains("gm:" + thread));
        // one activity per (message, contact, role): the copy in Sent Mail adds none
        assertThat(store.activities(ACCOUNT))
                .extracting(a -> a.messageKey().value(), a -> a.contact().id(), ContactActivity::role,
                        ContactActivity::direction, a -> a.threadId().orElse(""))
                .containsExactlyInAnyOrder(
                        tuple("gm:" + msgId, "c-bob", ParticipantRole.TO,
                                Direction.OUTBOUND, "gm:" + thread),
                        tuple("gm:" + replyId, "c-bob", ParticipantRole.FROM,
                                Direction.INBOUND, "gm:" + thread));
        assertThat(report.folders().get(1).newActivities()).isZero();
        assertThat(fetchCommands(server)).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains(" X-GM-MSGID X-GM-THRID"));
        server.assertNoFailures();
    }

    // ---------------------------------------------------------------- nothing new

    @Test
    void folderWithNothingNewCostsNoSearchAndNoFetch() {
        // The O(1) check: UIDNEXT-1 equals the checkpoint under the same UIDVALIDITY.
        seedCheckpoint("INBOX", 7, 41);
        Box inbox = new Box("INBOX", 7, 42, List.of()).exists(41);
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(500).sync(account(server), select(inbox()));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        FolderReport folder = report.folders().get(0);
        assertThat(folder.upToDate()).isTrue();
        assertThat(folder.fetched()).isZero();
        assertThat(folder.lastUid()).isEqualTo(41);
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::uidValidity, FolderCheckpoint::lastUid).containsExactly(7L, 41L);
        assertThat(server.commandsMatching(FETCH_COMMAND)).isZero();
        assertThat(server.commandsMatching(SEARCH_COMMAND)).isZero();
        assertThat(server.commandsMatching("(?i)" + TAG + " (UID )?(FETCH|SEARCH).*")).isZero();
        assertThat(server.commandsMatching("(?i)" + TAG + " EXAMINE INBOX")).isEqualTo(1);
        server.assertNoFailures();
    }

    // ---------------------------------------------------------------- first sync

    @Test
    void firstSyncSearchesTheInitialWindowAndFetchesFromItsSmallestUid() {
        // The first sync reads the last 90 days only: SINCE is clock minus 90 days, and SEARCH
        // answers UIDs in no particular order (servers may), so the engine must take the minimum.
        List<Mail> mails = new ArrayList<>();
        for (long uid = 1; uid <= 11; uid++) {
            mails.add(mail(uid, uid < 5 ? "01-Mar-2026 10:00:00 +0000" : RECENT, CAROL, OWNER,
                    "Order " + uid, "<order-" + uid + "@client.example>"));
        }
        Box inbox = new Box("INBOX", 3, 12, mails).searchAnswer(8, 5, 11, 6, 9, 7, 10);
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(500).sync(account(server), select(inbox()));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(commands(server, SEARCH_COMMAND)).singleElement().asString()
                .matches(TAG + " UID SEARCH SINCE " + WINDOW_START);
        List<long[]> ranges = fetchRanges(server);
        assertThat(ranges).isNotEmpty();
        assertThat(ranges.get(0)[0]).as("the FETCH starts at the smallest UID the SEARCH returned").isEqualTo(5);
        assertThat(ranges.get(ranges.size() - 1)[1]).isEqualTo(11);
        assertThat(report.fetched()).isEqualTo(7);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid)
                .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::uidValidity, FolderCheckpoint::lastUid).containsExactly(3L, 11L);
        server.assertNoFailures();
    }

    // ---------------------------------------------------------------- a noisy FETCH answer

    @Test
    void vanishedMessagesExpungeExistsAndFlagUpdatesInTheFetchAnswerAreTolerated() {
        // Another client works on the folder while we read it: UID 13 and 15 were expunged
        // between SEARCH and FETCH (the answer holds fewer messages than the range), and the
        // server interleaves untagged EXPUNGE, EXISTS and a flag update without UID.
        Box inbox = new Box("INBOX", 7, 17, List.of(
                mail(11, RECENT, CAROL, OWNER, "One", "<m11@client.example>")
                        .then("* 2 FETCH (FLAGS (\\Seen))"),
                mail(12, RECENT, BOB, OWNER, "Two", "<m12@partner.example>"),
                mail(14, RECENT, CAROL, OWNER, "Four", "<m14@client.example>")
                        .then("* 3 EXPUNGE", "* 5 EXISTS"),
                mail(16, RECENT, BOB, OWNER, "Six", "<m16@partner.example>")))
                .searchAnswer(11, 12, 13, 14, 15, 16);
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(3).sync(account(server), select(inbox()));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.failure()).isEmpty();
        FolderReport folder = report.folders().get(0);
        assertThat(folder.fetched()).isEqualTo(4);
        assertThat(folder.lastUid()).isEqualTo(16);
        assertThat(fetchRanges(server)).as("more than one batch").hasSizeGreaterThan(1);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(11L, 12L, 14L, 16L);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::subject)
                .containsExactly("One", "Two", "Four", "Six");
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::lastUid).isEqualTo(16L);
        server.assertNoFailures();
    }

    @Test
    void unsolicitedFlagUpdateWithUidInsideTheRangeIsNotAMessage() {
        // Dovecot and others put the UID into every FETCH response during a UID command, also
        // into unsolicited flag updates: "* 2 FETCH (UID 12 FLAGS (\Seen))" is not a message.
        Box inbox = new Box("INBOX", 7, 14, List.of(
                mail(11, RECENT, CAROL, OWNER, "One", "<m11@client.example>")
                        .then("* 2 FETCH (UID 12 FLAGS (\\Seen))"),
                mail(12, RECENT, BOB, OWNER, "Two", "<m12@partner.example>")
                        .then("* 1 FETCH (UID 11 FLAGS (\\Seen \\Flagged))"),
                mail(13, RECENT, BOB, OWNER, "Three", "<m13@partner.example>")));
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(500).sync(account(server), select(inbox()));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.fetched()).as("three messages, not five").isEqualTo(3);
        assertThat(store.messages(ACCOUNT)).extracting(m -> m.uid() + " " + m.subject())
                .containsExactly("11 One", "12 Two", "13 Three");
        server.assertNoFailures();
    }

    @Test
    void batchAnsweredPartlyWithNoKeepsWhatCameAndMovesOn() {
        // Gmail answers a FETCH with the messages it could read and then
        // "NO Some messages could not be FETCHed (Failure)": the folder must not be stuck on
        // that batch forever.
        Box inbox = new Box("INBOX", 7, 17, List.of(
                mail(11, RECENT, CAROL, OWNER, "One", "<m11@client.example>"),
                mail(12, RECENT, BOB, OWNER, "Two", "<m12@partner.example>"),
                mail(14, RECENT, CAROL, OWNER, "Four", "<m14@client.example>"),
                mail(15, RECENT, BOB, OWNER, "Five", "<m15@partner.example>"),
                mail(16, RECENT, BOB, OWNER, "Six", "<m16@partner.example>")))
                .searchAnswer(11, 12, 13, 14, 15, 16)
                .answer("(?i)" + TAG + " UID FETCH 11:13 .*",
                        fetchLine(1, mail(11, RECENT, CAROL, OWNER, "One", "<m11@client.example>")),
                        fetchLine(2, mail(12, RECENT, BOB, OWNER, "Two", "<m12@partner.example>")),
                        "{tag} NO Some messages could not be FETCHed (Failure)");
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(3).sync(account(server), select(inbox()));
        server.close();

        assertThat(fetchRanges(server)).extracting(r -> r[0] + ":" + r[1]).startsWith("11:13");
        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        FolderReport folder = report.folders().get(0);
        assertThat(folder.failure()).isEmpty();
        assertThat(folder.warnings()).singleElement().asString().contains("could not be FETCHed");
        assertThat(folder.lastUid()).isEqualTo(16);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(11L, 12L, 14L, 15L, 16L);
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::lastUid).isEqualTo(16L);
        server.assertNoFailures();
    }

    // ---------------------------------------------------------------- a dropped connection

    @ParameterizedTest(name = "connection {0} in the middle of the second batch")
    @ValueSource(strings = {"closed", "reset"})
    void droppedConnectionKeepsTheCommittedBatchesAndARerunRecordsEachMessageOnce(String how) {
        // The network (or the server) gives up while FETCH responses stream in: what the first
        // batch committed stays, the half-read second batch is not recorded, a rerun goes on.
        List<Mail> mails = new ArrayList<>();
        for (long uid = 1; uid <= 6; uid++) {
            mails.add(mail(uid, RECENT, uid % 2 == 0 ? BOB : CAROL, OWNER, "Message " + uid,
                    "<m" + uid + "@example.test>"));
        }
        Box inbox = new Box("INBOX", 7, 7, mails);
        Script dropping = new Mailbox("IMAP4rev1", inbox)
                .droppingAt("(?i)" + TAG + " UID FETCH 3:4 .*", how.equals("reset"), fetchLine(3, mails.get(2)))
                .script();
        Script healthy = new Mailbox("IMAP4rev1", inbox).script();
        ScriptedImapServer server = serve(index -> index == 0 ? dropping : healthy);

        SyncReport broken = engine(2).sync(account(server), select(inbox()));

        assertThat(broken.status()).as(String.valueOf(broken))
                .isIn(SyncStatus.CONNECTION_FAILED, SyncStatus.ERROR);
        Failure failure = broken.failure().orElseThrow();
        assertThat(failure.message()).contains("Account " + ACCOUNT).contains("INBOX");
        assertThat(failure.hint()).isNotBlank();
        assertThat(broken.folders()).singleElement().satisfies(f -> {
            assertThat(f.failure()).isPresent();
            assertThat(f.lastUid()).isEqualTo(2);
        });
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::lastUid).as("the end of the first batch, the last committed")
                .isEqualTo(2L);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L);

        SyncReport rerun = engine(2).sync(account(server), select(inbox()));
        server.close();

        assertThat(rerun.status()).as(String.valueOf(rerun)).isEqualTo(SyncStatus.OK);
        assertThat(rerun.fetched()).isEqualTo(4);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(store.messages(ACCOUNT)).extracting(m -> m.key().value()).doesNotHaveDuplicates();
        assertThat(store.activities(ACCOUNT)).hasSize(6)
                .extracting(a -> a.messageKey().value() + " " + a.role()).doesNotHaveDuplicates();
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::lastUid).isEqualTo(6L);
        assertThat(server.connectionCount()).isEqualTo(2);
        List<String> rerunCommands = server.receivedLines().stream().filter(l -> l.connection() == 1)
                .map(ReceivedLine::text).toList();
        assertThat(rerunCommands).as("the rerun goes on from the checkpoint").noneMatch(l -> l.matches(SEARCH_COMMAND));
        assertThat(rerunCommands).filteredOn(l -> l.matches(FETCH_COMMAND)).first().asString()
                .contains("UID FETCH 3:");
    }

    @ParameterizedTest(name = "connection {0} after login")
    @ValueSource(strings = {"closed", "reset"})
    void connectionLostMidSyncIsReportedAsALostConnectionNotAsAWrongServer(String how) {
        // After a login and committed batches, a FIN or RST says nothing about the port or the
        // protocol: the person must read "the connection broke", and a hint that fits it
        // (SyncStatus.CONNECTION_FAILED: "the server could not be reached, or the connection broke").
        List<Mail> mails = new ArrayList<>();
        for (long uid = 1; uid <= 4; uid++) {
            mails.add(mail(uid, RECENT, CAROL, OWNER, "Message " + uid, "<lost-" + uid + "@example.test>"));
        }
        Box inbox = new Box("INBOX", 7, 5, mails);
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox)
                .droppingAt("(?i)" + TAG + " UID FETCH 3:4 .*", how.equals("reset"), fetchLine(3, mails.get(2)))
                .script());

        SyncReport report = engine(2).sync(account(server), select(inbox()));
        server.close();

        Failure failure = report.failure().orElseThrow();
        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.CONNECTION_FAILED);
        assertThat(failure.message()).contains("Account " + ACCOUNT).contains("INBOX")
                .containsPattern("(?i)connection (was )?(lost|closed|broke|dropped|reset)");
        assertThat(failure.hint()).as("not a wrong-port hint after a successful login")
                .doesNotContain("SMTP").doesNotContain("POP3");
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get().extracting(FolderCheckpoint::lastUid).isEqualTo(2L);
    }

    @Test
    void withoutUidNextTheHighestUidComesFromSearchAndStarIsNotTakenAsNew() {
        // Some servers leave UIDNEXT out of the EXAMINE answer. "UID SEARCH UID 42:*" then always
        // answers the highest UID, even when it is below 42 (RFC 3501: "*" is the largest UID
        // in use), so an answer of 41 means nothing is new.
        seedCheckpoint("INBOX", 7, 41);
        Box inbox = new Box("INBOX", 7, 42, List.of()).exists(41).withoutUidNext()
                .answer("(?i)" + TAG + " UID SEARCH UID 42:\\*", "* SEARCH 41", "{tag} OK SEARCH completed");
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(500).sync(account(server), select(inbox()));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.folders().get(0).upToDate()).isTrue();
        assertThat(commands(server, SEARCH_COMMAND)).singleElement().asString().matches(TAG + " UID SEARCH UID 42:\\*");
        assertThat(server.commandsMatching(FETCH_COMMAND)).isZero();
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get().extracting(FolderCheckpoint::lastUid).isEqualTo(41L);
        server.assertNoFailures();
    }

    @Test
    void folderNameInModifiedUtf7IsSentAsTheServerListedIt() {
        // Non-ASCII folder names travel in modified UTF-7 (RFC 3501 5.1.3): the EXAMINE must carry
        // the raw name from LIST, not the decoded one and not a double encoding.
        String raw = "Kunden/&ANw-berf&AOQ-llig";
        Box overdue = new Box(raw, 4, 3, List.of(
                mail(1, RECENT, CAROL, OWNER, "Rechnung", "<r1@client.example>"),
                mail(2, RECENT, BOB, OWNER, "Mahnung", "<r2@partner.example>")));
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", overdue).script());

        SyncReport report = engine(500).sync(account(server),
                select(MailFolder.fromList(raw, "/", List.of("\\HasNoChildren"))));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(commands(server, "(?i)" + TAG + " EXAMINE .*")).singleElement().asString()
                .matches(TAG + " EXAMINE \"?" + Pattern.quote(raw) + "\"?");
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::folder).containsOnly(raw);
        assertThat(store.checkpoint(ACCOUNT, raw)).get().extracting(FolderCheckpoint::lastUid).isEqualTo(2L);
        server.assertNoFailures();
    }

    @Test
    void uidValidityChangeRereadsTheWindowWithAWarningAndRecordsNothingTwice() {
        // The folder was recreated or restored: UIDVALIDITY changed and every UID is new, but the
        // messages are the same ones. Their keys (Message-ID) make the rescan idempotent.
        Mail first = mail(1, RECENT, CAROL, OWNER, "Quote", "<q1@client.example>");
        Mail second = mail(2, RECENT, BOB, OWNER, "Order", "<o1@partner.example>");
        Box before = new Box("INBOX", 100, 3, List.of(first, second));
        Box after = new Box("INBOX", 200, 3, List.of(
                mail(1, RECENT, BOB, OWNER, "Order", "<o1@partner.example>"),
                mail(2, RECENT, CAROL, OWNER, "Quote", "<q1@client.example>")));
        Script beforeScript = new Mailbox("IMAP4rev1", before).script();
        Script afterScript = new Mailbox("IMAP4rev1", after).script();
        ScriptedImapServer server = serve(index -> index == 0 ? beforeScript : afterScript);
        SyncReport initial = engine(500).sync(account(server), select(inbox()));
        assertThat(initial.status()).as(String.valueOf(initial)).isEqualTo(SyncStatus.OK);
        List<ContactActivity> historyBefore = store.activities(ACCOUNT);

        SyncReport rescan = engine(500).sync(account(server), select(inbox()));
        server.close();

        assertThat(rescan.status()).as(String.valueOf(rescan)).isEqualTo(SyncStatus.OK);
        assertThat(rescan.warnings()).singleElement().asString().contains("UIDVALIDITY").contains("100").contains("200");
        assertThat(rescan.fetched()).isEqualTo(2);
        assertThat(rescan.activities()).as("nothing new in history").isZero();
        assertThat(store.messages(ACCOUNT)).hasSize(2);
        assertThat(store.activities(ACCOUNT)).isEqualTo(historyBefore);
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::uidValidity, FolderCheckpoint::lastUid).containsExactly(200L, 2L);
        List<String> rescanCommands = server.receivedLines().stream().filter(l -> l.connection() == 1)
                .map(ReceivedLine::text).toList();
        assertThat(rescanCommands).anyMatch(l -> l.matches(TAG + " UID SEARCH SINCE " + WINDOW_START));
        server.assertNoFailures();
    }

    // ---------------------------------------------------------------- UID sets

    @Test
    void sparseHugeFolderIsFetchedInContiguousShortRanges() {
        // A folder whose UIDs are spread over millions (years of deletions): the UID sets must
        // stay ranges (never a list of thousands of UIDs, which servers reject past ~8 KB), and
        // the ranges must tile the span from the smallest UID found to UIDNEXT-1, no gaps.
        long[] found = LongStream.iterate(1_000, uid -> uid + 997).limit(3_000).toArray();
        long uidNext = 3_000_000;
        Box inbox = new Box("INBOX", 9, uidNext, List.of()).exists(3_000).searchAnswer(found).answerEveryFetchEmpty();
        ScriptedImapServer server = serve(new Mailbox("IMAP4rev1", inbox).script());

        SyncReport report = engine(500).sync(account(server), select(inbox()));
        server.close();

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        List<long[]> ranges = fetchRanges(server);
        assertThat(ranges).isNotEmpty();
        assertThat(ranges.get(0)[0]).isEqualTo(1_000);
        assertThat(ranges.get(ranges.size() - 1)[1]).isEqualTo(uidNext - 1);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).as("range %d starts where range %d ended", i, i - 1)
                    .isEqualTo(ranges.get(i - 1)[1] + 1);
        }
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get()
                .extracting(FolderCheckpoint::lastUid).isEqualTo(uidNext - 1);
        server.assertNoFailures();
    }

    // ---------------------------------------------------------------- checks on what the server received

    /**
     * The mailbox is never changed: no SELECT (EXAMINE only), no STORE, no EXPUNGE, no COPY,
     * MOVE, APPEND or folder changes, and no FETCH of a body part without PEEK (which sets \Seen).
     */
    private static void assertReadOnly(ScriptedImapServer server) {
        Pattern changing = Pattern.compile("(?i)" + TAG + " (UID )?(SELECT|STORE|EXPUNGE|COPY|MOVE|APPEND|CREATE"
                + "|DELETE|RENAME|SUBSCRIBE|UNSUBSCRIBE|SETACL|DELETEACL|SETQUOTA|SETMETADATA)\\b.*", Pattern.DOTALL);
        Pattern seenSetting = Pattern.compile("(?i).*(\\bBODY\\[|\\bBINARY\\[|\\bRFC822(\\.TEXT)?(?=[ )]|$)).*",
                Pattern.DOTALL);
        for (ReceivedLine line : server.receivedLines()) {
            assertThat(line.text()).as("read-only: %s", line).doesNotMatch(changing);
            if (line.text().matches("(?is)" + TAG + " (UID )?FETCH .*")) {
                assertThat(line.text()).as("FETCH only with PEEK: %s", line).doesNotMatch(seenSetting);
            }
        }
    }

    /** Every FETCH names its messages by one UID range {@code lo:hi} and stays far below 8,000 bytes. */
    private static void assertFetchesUseShortRanges(ScriptedImapServer server) {
        for (ReceivedLine line : server.receivedLines()) {
            if (line.text().matches("(?is)" + TAG + " (UID )?FETCH .*")) {
                assertThat(line.text().getBytes(UTF_8).length).as("length of %s", line).isLessThan(8_000);
                assertThat(line.text()).as("a UID FETCH of one range: %s", line)
                        .matches("(?s)" + TAG + " UID FETCH \\d+:\\d+ \\(.*");
            }
        }
    }

    private static List<String> commands(ScriptedImapServer server, String regex) {
        return server.receivedLines().stream().map(ReceivedLine::text).filter(t -> t.matches(regex)).toList();
    }

    private static List<String> fetchCommands(ScriptedImapServer server) {
        return commands(server, FETCH_COMMAND);
    }

    /** The {lo, hi} of every UID FETCH, in order. */
    private static List<long[]> fetchRanges(ScriptedImapServer server) {
        Pattern range = Pattern.compile(TAG + " UID FETCH (\\d+):(\\d+) .*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        List<long[]> ranges = new ArrayList<>();
        for (String command : fetchCommands(server)) {
            Matcher m = range.matcher(command);
            if (m.matches()) {
                ranges.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return ranges;
    }

    // ---------------------------------------------------------------- the account, the engine, the store

    private ScriptedImapServer serve(Script script) {
        return serve(index -> script);
    }

    private ScriptedImapServer serve(IntFunction<Script> scripts) {
        ScriptedImapServer server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), scripts);
        servers.add(server);
        return server;
    }

    private static ImapAccount account(ScriptedImapServer server) {
        return ImapAccount.builder()
                .id(ACCOUNT)
                .emailAddress(OWNER)
                .endpoint(server.host(), server.port(), Security.SSL_TLS)
                .password(OWNER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem())
                .build();
    }

    /** An engine whose batches hold {@code batchSize} UIDs and never adapt. */
    private SyncEngine engine(int batchSize) {
        return SyncEngine.builder()
                .store(store)
                .contactMatcher(contacts)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                // these scripts play the header fetch; previews on scripted servers: PreviewHostileSyncTest
                .options(SyncOptions.builder().batchSize(batchSize, batchSize, batchSize).previews(false).build())
                .build();
    }

    private static MailFolder inbox() {
        return MailFolder.fromList("INBOX", "/", List.of("\\HasNoChildren"));
    }

    private static FolderSelection select(MailFolder... folders) {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(folders)));
    }

    private void seedCheckpoint(String folder, long uidValidity, long lastUid) {
        store.commit(ACCOUNT, new SyncBatch(folder, List.of(), List.of(),
                new FolderCheckpoint(folder, uidValidity, lastUid, OptionalLong.empty())));
    }

    // ---------------------------------------------------------------- the scripted mailbox

    /** A message as the server holds it. */
    private record Mail(long uid, String internalDate, String headers, String extraItems, List<String> after) {
        /** With Gmail's message and thread ids among its FETCH items. */
        Mail gmail(long messageId, long threadId) {
            return new Mail(uid, internalDate, headers, extraItems + " X-GM-MSGID " + messageId + " X-GM-THRID "
                    + threadId, after);
        }

        /** With untagged responses the server sends right after this message's FETCH response. */
        Mail then(String... untagged) {
            List<String> more = new ArrayList<>(after);
            more.addAll(Arrays.asList(untagged));
            return new Mail(uid, internalDate, headers, extraItems, List.copyOf(more));
        }
    }

    private static Mail mail(long uid, String internalDate, String from, String to, String subject, String messageId) {
        String headers = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Mon, 5 Oct 2026 10:00:00 +0000\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "\r\n";
        return new Mail(uid, internalDate, headers, "", List.of());
    }

    /** The FETCH response of a message, its header block as a literal. */
    private static String fetchLine(int sequence, Mail mail) {
        int length = mail.headers().getBytes(UTF_8).length;
        return "* " + sequence + " FETCH (UID " + mail.uid() + " INTERNALDATE \"" + mail.internalDate() + "\""
                + " RFC822.SIZE " + (length + 200) + " BODY[HEADER.FIELDS (" + HEADER_FIELDS + ")] {" + length + "}\r\n"
                + mail.headers() + mail.extraItems() + ")";
    }

    /** A folder as the server shows it. */
    private record Box(String name, long uidValidity, long uidNext, List<Mail> mails, int exists, long[] searchUids,
                       Map<String, List<String>> answers, boolean emptyFetches, boolean announceUidNext) {
        Box(String name, long uidValidity, long uidNext, List<Mail> mails) {
            this(name, uidValidity, uidNext, mails, mails.size(), mails.stream().mapToLong(Mail::uid).toArray(),
                    Map.of(), false, true);
        }

        Box exists(int count) {
            return new Box(name, uidValidity, uidNext, mails, count, searchUids, answers, emptyFetches, announceUidNext);
        }

        /** What UID SEARCH answers (default: every message's UID). */
        Box searchAnswer(long... uids) {
            return new Box(name, uidValidity, uidNext, mails, exists, uids, answers, emptyFetches, announceUidNext);
        }

        /** A hand-written answer to commands matching {@code regex}, before the generated ones. */
        Box answer(String regex, String... lines) {
            Map<String, List<String>> more = new LinkedHashMap<>(answers);
            more.put(regex, List.of(lines));
            return new Box(name, uidValidity, uidNext, mails, exists, searchUids, more, emptyFetches, announceUidNext);
        }

        /** Every UID FETCH answered OK with no message (for folders too large to script each range). */
        Box answerEveryFetchEmpty() {
            return new Box(name, uidValidity, uidNext, mails, exists, searchUids, answers, true, announceUidNext);
        }

        /** EXAMINE without the UIDNEXT line ({@code uidNext} still bounds the generated FETCH answers). */
        Box withoutUidNext() {
            return new Box(name, uidValidity, uidNext, mails, exists, searchUids, answers, emptyFetches, false);
        }

        String examineCommand() {
            return "(?i)" + TAG + " EXAMINE (" + Pattern.quote(name) + "|\"" + Pattern.quote(name) + "\")";
        }

        List<String> examineAnswer() {
            List<String> lines = new ArrayList<>(List.of(
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                    "* OK [PERMANENTFLAGS ()] Read-only mailbox.",
                    "* " + exists + " EXISTS",
                    "* 0 RECENT",
                    "* OK [UIDVALIDITY " + uidValidity + "] UIDs valid"));
            if (announceUidNext) {
                lines.add("* OK [UIDNEXT " + uidNext + "] Predicted next UID");
            }
            lines.add("{tag} OK [READ-ONLY] EXAMINE completed");
            return lines;
        }

        /** This folder's SEARCH and FETCH answers: hand-written ones first, then one per UID range. */
        Map<String, List<String>> folderAnswers() {
            Map<String, List<String>> map = new LinkedHashMap<>(answers);
            map.put("(?i)" + TAG + " UID SEARCH .*", List.of(
                    "* SEARCH " + Arrays.stream(searchUids).mapToObj(Long::toString).collect(Collectors.joining(" ")),
                    "{tag} OK SEARCH completed"));
            if (emptyFetches) {
                map.put(FETCH_COMMAND, List.of("{tag} OK FETCH completed"));
                return map;
            }
            for (long lo = 1; lo < uidNext; lo++) {
                for (long hi = lo; hi < uidNext; hi++) {
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < mails.size(); i++) {
                        Mail m = mails.get(i);
                        if (m.uid() >= lo && m.uid() <= hi) {
                            lines.add(fetchLine(i + 1, m));
                            lines.addAll(m.after());
                        }
                    }
                    lines.add("{tag} OK FETCH completed");
                    map.put("(?is)" + TAG + " UID FETCH " + lo + ":" + hi + " \\(.*", lines);
                }
            }
            return map;
        }
    }

    /**
     * The script of one connection: log in, then one phase per folder. A phase answers the
     * commands of the open folder and ends with the EXAMINE of the next one, so that SEARCH
     * and FETCH always get the answers of the folder the client has open.
     */
    private static final class Mailbox {
        private final String capabilities;
        private final List<Box> boxes;
        private String dropAt;
        private boolean reset;
        private List<String> beforeDrop = List.of();

        Mailbox(String capabilities, Box... boxes) {
            this.capabilities = capabilities;
            this.boxes = List.of(boxes);
        }

        /**
         * In the last folder, answers the command matching {@code regex} with {@code lines} only
         * (no tagged answer), then closes the connection (FIN) or resets it (RST).
         */
        Mailbox droppingAt(String regex, boolean reset, String... lines) {
            this.dropAt = regex;
            this.reset = reset;
            this.beforeDrop = List.of(lines);
            return this;
        }

        Script script() {
            Script script = new Script().send("* OK [CAPABILITY " + capabilities + "] scripted server ready");
            Box open = null;
            for (Box next : boxes) {
                Map<String, List<String>> answers = common();
                if (open != null) {
                    answers.putAll(open.folderAnswers());
                }
                answers.put(next.examineCommand(), next.examineAnswer());
                script.answerCommandsUntil(next.examineCommand(), answers);
                open = next;
            }
            Map<String, List<String>> answers = new LinkedHashMap<>();
            if (dropAt != null) {
                answers.put(dropAt, beforeDrop);
            }
            answers.putAll(common());
            answers.putAll(open.folderAnswers());
            if (dropAt == null) {
                return script.answerCommands(answers);
            }
            script.answerCommandsUntil(dropAt, answers);
            return reset ? script.reset() : script.hangUp();
        }

        private Map<String, List<String>> common() {
            Map<String, List<String>> answers = new LinkedHashMap<>();
            answers.put("(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + capabilities, "{tag} OK CAPABILITY completed"));
            answers.put("(?is)" + TAG + " LOGIN .*", List.of("{tag} OK [CAPABILITY " + capabilities + "] Logged in"));
            answers.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
            return answers;
        }
    }
}
