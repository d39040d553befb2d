package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.MessageKey;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.Verdict;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The privacy policies against a real Dovecot, where GreenMail's SEARCH falls short: mail of a
 * blocked domain kept out, then, once unblocked, brought back by the next sync's revisit (a UID
 * SEARCH by address and domain) without reading the rest of the folder again. Each test works in
 * a folder and an account id of its own.
 */
class PrivacySyncDovecotTest {
    private static final Instant NOW = Instant.now();
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private String folderName;
    private String accountId;
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final TestPrivacyStore privacy = new TestPrivacyStore();
    private int minute;

    @BeforeEach
    void connect() {
        folderName = DOVECOT.newFolder("privacy");
        accountId = "dovecot-" + folderName;
    }

    private void append(String id, String from, String to, String subject) {
        Instant date = NOW.minus(Duration.ofHours(2)).plus(Duration.ofMinutes(minute++));
        String raw = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: " + RFC_5322.format(date)
                + "\r\nMessage-ID: <" + id + "@" + folderName + ".example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello.\r\n";
        DOVECOT.append(folderName, raw);
    }

    private SyncEngine engine() {
        return SyncEngine.builder()
                .store(store)
                .privacyStore(privacy)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-anna", "anna@client.example")
                        .add("c-dr", "dr@clinic.example").build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private ImapAccount account() {
        return DOVECOT.account(Dovecot.PLAIN_USER).id(accountId).privacy(PrivacySettings.defaults()).build();
    }

    private FolderSelection selection() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(MailFolder.fromList(folderName, ".", List.of()))));
    }

    private Set<String> recorded() {
        return store.messages(accountId).stream().map(m -> m.key().value()).collect(Collectors.toSet());
    }

    private String key(String id) {
        return MessageKey.ofMessageId(id + "@" + folderName + ".example").value();
    }

    @Test
    void anUnblockedDomainsMailComesBackAtTheNextSyncWithoutReadingTheRestAgain() {
        append("client-1", "Anna <anna@client.example>", Dovecot.PLAIN_USER, "Quote");
        append("clinic-1", "Dr. Who <dr@clinic.example>", Dovecot.PLAIN_USER, "Test results");
        append("clinic-2", Dovecot.PLAIN_USER, "Lab <lab@results.clinic.example>", "Re: appointment");
        // the account's own domain (example.test) is internal: colleagues' mail stays out
        append("colleague-1", "Bob <bob@example.test>", Dovecot.PLAIN_USER, "Lunch");
        for (int i = 0; i < 20; i++) {
            append("other-" + i, "Someone <someone" + i + "@elsewhere.example>", Dovecot.PLAIN_USER, "Hello " + i);
        }
        BlockEntry clinic = BlockEntry.domain("clinic.example");
        privacy.blocked.add(clinic);
        SyncEngine engine = engine();

        SyncReport first = engine.sync(account(), selection());

        assertThat(first.status()).as(String.valueOf(first)).isEqualTo(SyncStatus.OK);
        assertThat(first.fetched()).isEqualTo(24);
        assertThat(first.excluded()).containsOnly(Map.entry(Verdict.BLOCKED, 2L), Map.entry(Verdict.INTERNAL, 1L));
        assertThat(recorded()).contains(key("client-1")).doesNotContain(key("clinic-1"), key("clinic-2"),
                key("colleague-1"));

        privacy.unblock(clinic);
        append("client-2", "Anna <anna@client.example>", Dovecot.PLAIN_USER, "Thanks");
        SyncReport second = engine.sync(account(), selection());

        assertThat(second.status()).as(String.valueOf(second)).isEqualTo(SyncStatus.OK);
        assertThat(second.fetched()).as("the new message and the two unblocked ones, nothing else").isEqualTo(3);
        assertThat(second.excluded()).isEmpty();
        assertThat(recorded()).contains(key("client-2"), key("clinic-1"), key("clinic-2"))
                .doesNotContain(key("colleague-1"));
        assertThat(store.activities(accountId)).anySatisfy(a -> {
            assertThat(a.contact().id()).isEqualTo("c-dr");
            assertThat(a.address()).isEqualTo("dr@clinic.example");
        });
        assertThat(second.folders().get(0).lastUid()).isEqualTo(first.folders().get(0).lastUid() + 1);
        assertThat(privacy.revisited).containsExactly(List.of(clinic));

        SyncReport third = engine.sync(account(), selection());
        assertThat(third.fetched()).isZero();
        assertThat(third.folders().get(0).upToDate()).isTrue();
    }
}
