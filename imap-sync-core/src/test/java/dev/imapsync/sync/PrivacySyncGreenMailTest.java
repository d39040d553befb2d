package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.content.OpenResult;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.MessageKey;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BulkMail;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.Verdict;
import dev.imapsync.policy.Visibility;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.testing.PlainMail;
import dev.imapsync.testing.CommandRecorder;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The privacy policies in a real sync (GreenMail, in-process, through a relay that writes down the
 * commands): a mailbox that mixes client mail, colleague-only threads, a newsletter, an auto-reply
 * and mail from a blocked domain, and exactly what is recorded, matched and reported. The revisit
 * of a whole domain after an unblock is tested on Dovecot ({@link PrivacySyncDovecotTest}): GreenMail
 * 2.1's SEARCH FROM/TO/CC/BCC match whole addresses only, not the substring RFC 3501 asks for.
 */
class PrivacySyncGreenMailTest {
    private static final String OWNER = "owner@acme.example";
    private static final String PASSWORD = "owner-password";
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    private GreenMailTls server;
    private GreenMailUser user;
    private CommandRecorder recorder;
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final TestPrivacyStore privacy = new TestPrivacyStore();
    /** Every address the matcher was asked about. */
    private final Set<String> asked = new ConcurrentSkipListSet<>();
    private final ContactMatcher contacts = new ContactMatcher() {
        private final InMemoryContactMatcher known = InMemoryContactMatcher.builder()
                .add("c-anna", "anna@client.example")
                .add("c-tom", "tom@client.example")
                .add("c-dr", "dr@clinic.example")
                .add("c-news", "news@vendor.example")
                .add("c-lena", "lena@acme.example")
                .build();

        @Override
        public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
            asked.addAll(addresses);
            return known.matchAll(addresses);
        }

        @Override
        public List<ContactRef> match(String address) {
            return known.match(address);
        }
    };
    private int hour;

    @BeforeEach
    void start() throws Exception {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(OWNER, PASSWORD);
        recorder = CommandRecorder.relayTo("127.0.0.1", server.imapPort());
    }

    @AfterEach
    void stop() throws Exception {
        recorder.close();
        server.close();
    }

    /** The mixed mailbox; returns the UIDs by name. */
    private Map<String, Long> mixedMailbox() {
        Map<String, Long> uids = new java.util.LinkedHashMap<>();
        uids.put("client", mail("INBOX", "client-1", "Anna <anna@client.example>", OWNER, "",
                "Quote for 200 units"));
        uids.put("colleagues", mail("INBOX", "team-1", "Lena <lena@acme.example>", OWNER, "boss@acme.example",
                "Re: team lunch"));
        uids.put("newsletter", mail("INBOX", "news-1", "Vendor News <news@vendor.example>", OWNER, "",
                "Spring catalogue", "List-Id: <news.vendor.example>",
                "List-Unsubscribe: <https://vendor.example/u?id=1>", "Precedence: bulk"));
        uids.put("autoreply", mail("INBOX", "oof-1", "Tom <tom@client.example>", OWNER, "",
                "Automatic reply: Contract renewal", "Auto-Submitted: auto-generated",
                "X-Auto-Response-Suppress: All"));
        uids.put("blocked", mail("INBOX", "clinic-1", "Dr. Who <dr@clinic.example>", OWNER, "",
                "Your test results"));
        uids.put("client-with-colleague", mail("INBOX", "client-2", "Tom <tom@client.example>", OWNER,
                "lena@acme.example", "Re: Contract renewal"));
        uids.put("sent-client", mail("Sent", "sent-1", OWNER, "anna@client.example", "", "Re: Quote for 200 units"));
        uids.put("sent-colleague", mail("Sent", "sent-2", OWNER, "lena@acme.example", "", "Lunch?"));
        return uids;
    }

    private long mail(String folder, String id, String from, String to, String cc, String subject, String... extra) {
        Instant date = NOW.minus(Duration.ofDays(2)).plus(Duration.ofHours(hour++));
        return server.append(user, folder, PlainMail.of(id + "@mail.example", from, to, cc, subject, date,
                "The body of " + id + ", which is secret text.", extra), date);
    }

    private ImapAccount account(PrivacySettings settings) {
        return ImapAccount.builder()
                .id("acct-1")
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", recorder.port(), Security.NONE)
                .password(OWNER, PASSWORD)
                .allowInsecure(true) // the relay that writes down the commands is cleartext, on loopback
                .privacy(settings)
                .build();
    }

    private SyncEngine.Builder engine() {
        return SyncEngine.builder()
                .store(store)
                .privacyStore(privacy)
                .contactMatcher(contacts)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static FolderSelection inboxAndSent() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(
                MailFolder.fromList("INBOX", ".", List.of()),
                MailFolder.fromList("Sent", ".", List.of("\\Sent")))));
    }

    private Set<String> recordedIds() {
        return store.messages("acct-1").stream().map(m -> m.key().value()).collect(Collectors.toCollection(
                java.util.TreeSet::new));
    }

    private static Set<String> ids(String... ids) {
        Set<String> keys = new java.util.TreeSet<>();
        for (String id : ids) {
            keys.add(MessageKey.ofMessageId(id + "@mail.example").value());
        }
        return keys;
    }

    private Set<String> contactsRecorded() {
        return store.activities("acct-1").stream().map(a -> a.contact().id()).collect(Collectors.toSet());
    }

    @Test
    void theDefaultsRecordClientMailOnlyAndTheReportSaysWhyTheRestIsMissing() {
        mixedMailbox();
        privacy.blocked.add(BlockEntry.domain("clinic.example"));

        SyncReport report = engine().build().sync(account(PrivacySettings.defaults()), inboxAndSent());

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(recordedIds()).isEqualTo(ids("client-1", "client-2", "sent-1"));
        assertThat(report.fetched()).isEqualTo(8);
        assertThat(report.excluded()).containsOnly(Map.entry(Verdict.INTERNAL, 2L), Map.entry(Verdict.BULK, 2L),
                Map.entry(Verdict.BLOCKED, 1L));
        assertThat(report.folders().get(0).excluded()).containsOnly(Map.entry(Verdict.INTERNAL, 1L),
                Map.entry(Verdict.BULK, 2L), Map.entry(Verdict.BLOCKED, 1L));
        assertThat(report.folders().get(1).excluded()).containsOnly(Map.entry(Verdict.INTERNAL, 1L));
        assertThat(report.matched()).isEqualTo(3);
        // the colleague in Cc of a client's mail is a contact too: recorded there, and only there
        assertThat(contactsRecorded()).containsExactlyInAnyOrder("c-anna", "c-tom", "c-lena");
        assertThat(store.activities("acct-1")).allSatisfy(a -> assertThat(a.address()).isIn(
                "anna@client.example", "tom@client.example", "lena@acme.example"));
        assertThat(asked).as("no address of an excluded message reaches the matcher")
                .doesNotContain("dr@clinic.example", "news@vendor.example", "boss@acme.example");
        assertThat(store.messages("acct-1")).allSatisfy(m -> assertThat(m.bulk()).isFalse());
        // previews (FULL visibility) for the recorded mail; no body command names an excluded UID
        assertThat(store.messages("acct-1")).allSatisfy(m -> assertThat(m.preview()).isPresent());
        assertThat(privacy.rulesRead).as("the rules are read once per sync").isEqualTo(1);
    }

    @Test
    void excludedMessagesBodiesAreNeverFetched() {
        Map<String, Long> uids = mixedMailbox();
        privacy.blocked.add(BlockEntry.domain("clinic.example"));

        engine().build().sync(account(PrivacySettings.defaults()), inboxAndSent());

        List<String> bodyFetches = recorder.commands().stream()
                .filter(c -> c.contains("UID FETCH") && (c.contains("BODYSTRUCTURE") || c.contains("BINARY")
                        || (c.contains("BODY.PEEK[") && !c.contains("HEADER.FIELDS"))))
                .toList();
        assertThat(bodyFetches).isNotEmpty();
        for (String name : List.of("colleagues", "newsletter", "autoreply", "blocked")) {
            long uid = uids.get(name);
            assertThat(bodyFetches).as(name).noneMatch(c -> c.matches(".* UID FETCH ([0-9:,]*[,:])?" + uid
                    + "([,:][0-9:,]*)? .*"));
        }
        assertThat(recorder.commands()).anyMatch(c -> c.contains("HEADER.FIELDS (FROM TO CC BCC REPLY-TO SENDER DATE"
                + " SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID LIST-UNSUBSCRIBE PRECEDENCE AUTO-SUBMITTED"
                + " X-AUTO-RESPONSE-SUPPRESS X-AUTOREPLY X-AUTORESPOND X-AUTOGENERATED)"));
    }

    @Test
    void aMetadataOnlyAccountKeepsNoSubjectAndNoPreviewAnywhere() {
        mixedMailbox();
        ImapAccount account = account(PrivacySettings.defaults().withVisibility(Visibility.METADATA));

        SyncReport report = engine().build().sync(account, inboxAndSent());

        assertThat(report.status()).isEqualTo(SyncStatus.OK);
        assertThat(store.messages("acct-1")).hasSize(4).allSatisfy(m -> {
            assertThat(m.subject()).isEmpty();
            assertThat(m.preview()).isEmpty();
        });
        assertThat(store.activities("acct-1")).isNotEmpty().allSatisfy(a -> assertThat(a.subject()).isEmpty());
        String dump = store.messages("acct-1") + " " + store.activities("acct-1") + " "
                + store.timeline(dev.imapsync.store.TimelineQuery.forContact("c-anna")) + " "
                + store.timeline(dev.imapsync.store.TimelineQuery.forContact("c-tom"));
        assertThat(dump).contains("anna@client.example")
                .doesNotContain("Quote", "Contract", "team lunch", "Lunch", "secret");
        assertThat(recorder.commands()).as("no body was read").noneMatch(c -> c.contains("BODYSTRUCTURE"));
        assertThat(MessageOpener.standard().open(account, store.messages("acct-1").get(0).key(), List.of()))
                .isInstanceOfSatisfying(OpenResult.Refused.class, r -> assertThat(r.message())
                        .contains("Account acct-1").contains("METADATA").contains("FULL"));
    }

    @Test
    void aSubjectOnlyAccountKeepsSubjectsButNoPreview() {
        mixedMailbox();

        engine().build().sync(account(PrivacySettings.defaults().withVisibility(Visibility.SUBJECT)), inboxAndSent());

        assertThat(store.messages("acct-1")).extracting(SyncedMessage::subject)
                .contains("Quote for 200 units", "Re: Contract renewal");
        assertThat(store.messages("acct-1")).allSatisfy(m -> assertThat(m.preview()).isEmpty());
        assertThat(store.activities("acct-1")).extracting(ContactActivity::subject).contains("Quote for 200 units");
        assertThat(recorder.commands()).noneMatch(c -> c.contains("BODYSTRUCTURE"));
    }

    @Test
    void bulkMailIsFlaggedOrRecordedAsTheSettingSaysAndInternalMailWhenAsked() {
        mixedMailbox();

        SyncReport report = engine().build().sync(account(PrivacySettings.defaults().withBulkMail(BulkMail.FLAG)
                .withRecordInternal(true)), inboxAndSent());

        assertThat(report.excluded()).isEmpty();
        assertThat(store.messages("acct-1")).hasSize(8);
        assertThat(store.messages("acct-1").stream().filter(SyncedMessage::bulk).map(m -> m.key().value()))
                .containsExactlyInAnyOrderElementsOf(ids("news-1", "oof-1"));
        assertThat(contactsRecorded()).contains("c-news", "c-lena", "c-dr");
    }

    @Test
    void aHostRuleAndCompanyWideDomainsApply() {
        mixedMailbox();
        mail("INBOX", "hr-1", "People Team <people@hr.acme-group.example>", OWNER, "", "Your payslip");
        mail("INBOX", "sister-1", "Ben <ben@acme-labs.example>", OWNER, "", "Lab results");

        SyncReport report = engine()
                .policy(m -> m.from().stream().anyMatch(a -> a.normalized().endsWith(".acme-group.example"))
                        ? Verdict.exclude("hr") : Verdict.record())
                .internalDomains(Set.of("acme-labs.example"))
                .build().sync(account(PrivacySettings.defaults().withBulkMail(BulkMail.RECORD)), inboxAndSent());

        assertThat(report.excluded()).containsOnly(Map.entry("hr", 1L), Map.entry(Verdict.INTERNAL, 3L));
        assertThat(recordedIds()).doesNotContainAnyElementsOf(ids("hr-1", "sister-1"));
    }

    @Test
    void anErasedPersonsMailIsNotRecordedAgainInAnyRole() {
        mixedMailbox();
        privacy.erase("Anna@Client.example");

        SyncReport report = engine().build().sync(account(PrivacySettings.defaults()), inboxAndSent());

        assertThat(report.excluded()).containsEntry(Verdict.ERASED, 2L);
        assertThat(recordedIds()).isEqualTo(ids("client-2", "clinic-1"));
        assertThat(asked).doesNotContain("anna@client.example");
    }

    @Test
    void aRuleThatThrowsStopsTheSyncLoudlyAndNothingOfItsBatchIsRecorded() {
        mixedMailbox();
        SyncEngine engine = engine().policy(m -> {
            throw new IllegalStateException("rule bug");
        }).build();

        assertThatThrownBy(() -> engine.sync(account(PrivacySettings.defaults().withRecordInternal(true)),
                inboxAndSent()))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("Account acct-1, folder INBOX: a privacy rule failed")
                .hasMessageContaining("rule bug");
        assertThat(store.messages("acct-1")).isEmpty();
        assertThat(store.status("acct-1").orElseThrow().status()).isEqualTo(SyncStatus.ERROR);
    }

    @Test
    void withoutItsRulesAnAccountIsNotSynced() {
        mixedMailbox();
        TestPrivacyStore broken = new TestPrivacyStore() {
            @Override
            public synchronized PrivacyRules rules(String accountId) {
                throw new IllegalStateException("database down");
            }
        };

        assertThatThrownBy(() -> engine().privacyStore(broken).build().sync(account(PrivacySettings.defaults()),
                inboxAndSent()))
                .isInstanceOf(ImapSyncException.class)
                .hasMessageContaining("Account acct-1: reading its privacy rules")
                .hasMessageContaining("nothing was synced")
                .hasMessageContaining("database down");
        assertThat(store.messages("acct-1")).isEmpty();
        assertThat(recorder.commandNames()).doesNotContain("EXAMINE", "SELECT");
        assertThat(store.status("acct-1").orElseThrow().status()).isEqualTo(SyncStatus.ERROR);
    }

    @Test
    void afterAnAddressIsUnblockedTheNextSyncBringsItsMailBackWithoutReadingTheRestAgain() {
        Map<String, Long> uids = mixedMailbox();
        BlockEntry doctor = BlockEntry.address("dr@clinic.example");
        privacy.blocked.add(doctor);
        SyncEngine engine = engine().build();
        ImapAccount account = account(PrivacySettings.defaults());
        engine.sync(account, inboxAndSent());
        assertThat(recordedIds()).doesNotContainAnyElementsOf(ids("clinic-1"));

        assertThat(privacy.unblock(doctor)).isTrue();
        long fresh = mail("INBOX", "client-3", "Anna <anna@client.example>", OWNER, "", "Thanks");
        recorder.clear();
        SyncReport second = engine.sync(account, inboxAndSent());

        assertThat(second.status()).as(String.valueOf(second)).isEqualTo(SyncStatus.OK);
        assertThat(recordedIds()).containsAll(ids("clinic-1", "client-3"));
        assertThat(contactsRecorded()).contains("c-dr");
        assertThat(second.fetched()).as("the new message and the unblocked one, nothing else").isEqualTo(2);
        assertThat(privacy.revisited).containsExactly(List.of(doctor));
        assertThat(recorder.commands()).anyMatch(c -> c.contains("UID SEARCH UID 1:" + (fresh - 1) + " SINCE ")
                && c.contains("OR FROM dr@clinic.example OR TO dr@clinic.example"));
        // header fetches: the new message's range, and the unblocked message's UID alone
        assertThat(recorder.commands().stream().filter(c -> c.contains("HEADER.FIELDS")))
                .hasSize(2)
                .anyMatch(c -> c.contains("UID FETCH " + fresh + ":"))
                .anyMatch(c -> c.contains("UID FETCH " + uids.get("blocked") + " "));

        recorder.clear();
        SyncReport third = engine.sync(account, inboxAndSent());
        assertThat(third.folders()).allSatisfy(f -> assertThat(f.upToDate()).isTrue());
        // LOGOUT is sent without waiting for its answer: it may reach the recorder after sync() returned
        assertThat(recorder.commandNames()).filteredOn(name -> !name.equals("LOGOUT"))
                .containsExactly("CAPABILITY", "LOGIN", "CAPABILITY", "EXAMINE", "CLOSE", "EXAMINE", "CLOSE");
    }

    @Test
    void aSelectedFolderMissingOnTheServerDoesNotKeepARevisitPendingForever() {
        mixedMailbox();
        BlockEntry doctor = BlockEntry.address("dr@clinic.example");
        privacy.blocked.add(doctor);
        SyncEngine engine = engine().build();
        ImapAccount account = account(PrivacySettings.defaults());
        // "Projects" was selected once and is gone from the server
        FolderChoice choice = FolderChoice.named(List.of("INBOX", "Sent", "Projects"));
        SyncReport first = engine.sync(account, choice);
        assertThat(first.status()).as(String.valueOf(first)).isEqualTo(SyncStatus.PARTIAL);

        assertThat(privacy.unblock(doctor)).isTrue();
        SyncReport second = engine.sync(account, choice);

        assertThat(second.status()).as(String.valueOf(second)).isEqualTo(SyncStatus.PARTIAL);
        assertThat(second.folders()).filteredOn(f -> f.folder().equals("Projects")).singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(SyncStatus.FOLDER_MISSING));
        assertThat(recordedIds()).containsAll(ids("clinic-1"));
        assertThat(second.fetched()).as("the unblocked message, nothing else").isEqualTo(1);
        assertThat(privacy.revisited).as("the missing folder has nothing to bring back").containsExactly(List.of(doctor));
        assertThat(privacy.revisits("acct-1")).isEmpty();

        recorder.clear();
        SyncReport third = engine.sync(account, choice);
        assertThat(third.fetched()).isZero();
        assertThat(third.folders()).filteredOn(f -> !f.folder().equals("Projects"))
                .allSatisfy(f -> assertThat(f.upToDate()).isTrue());
        assertThat(recorder.commands()).as("no revisit search any more").noneMatch(c -> c.contains("UID SEARCH"));
    }
}
