package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncReport;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The GreenMail extension, used as a host application would: a mailbox described in code, synced. */
class GreenMailExtensionTest {
    private static final String OWNER = "owner@acme.example";

    @RegisterExtension
    static final GreenMailExtension MAIL = GreenMailExtension.builder()
            .user(OWNER, "owner-secret", mailbox -> mailbox
                    .received("ann@example.com", "Offer")
                    .received("stranger@example.net", "Newsletter")
                    .sent("ann@example.com", "Re: Offer")
                    .message("Archive", "From: bob@example.com\nTo: " + OWNER + "\nSubject: old\n\nHi\n"))
            .user("empty@acme.example", "empty-secret")
            .build();

    @Test
    void anAccountOfTheExtensionSyncsTheMailboxDescribedInCode() {
        InMemorySyncStore store = new InMemorySyncStore();
        SyncEngine engine = SyncEngine.builder().store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-ann", "ann@example.com").build()).build();
        ImapAccount account = MAIL.account(OWNER).build();

        SyncReport report = engine.sync(account, FolderChoice.named(List.of("INBOX", "Sent", "Archive")));

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.fetched()).isEqualTo(4);
        assertThat(store.history("c-ann", 10)).extracting(ContactActivity::subject, ContactActivity::role)
                .containsExactlyInAnyOrder(tuple("Offer", ParticipantRole.FROM),
                        tuple("Re: Offer", ParticipantRole.TO));
    }

    @Test
    void theAccountConnectsOverTlsToTheServerAndTrustsItsCertificate() {
        ImapAccount account = MAIL.account(OWNER).build();

        assertThat(account.id()).isEqualTo(OWNER);
        assertThat(account.endpoint().host()).isEqualTo("127.0.0.1");
        assertThat(account.endpoint().port()).isEqualTo(MAIL.imapsPort());
        assertThat(account.endpoint().security().isEncrypted()).isTrue();
        assertThat(account.trustedCertificates()).containsExactly(MAIL.certificate().certificate());
    }

    @Test
    void appendsDuringATest() {
        long uid = MAIL.append("empty@acme.example", "INBOX", "From: ann@example.com\nSubject: late\n\nHi\n");

        assertThat(uid).isPositive();
        assertThat(MAIL.server().greenMail().findReceivedMessages(u -> u.getLogin().equals("empty@acme.example"),
                m -> true)).hasSize(1);
    }

    @Test
    void namesTheDeclaredUsersWhenAskedForAnother() {
        assertThatThrownBy(() -> MAIL.account("nobody@acme.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No user nobody@acme.example was declared; the users are [owner@acme.example,"
                        + " empty@acme.example]: add it with GreenMailExtension.builder().user(address, password)");
    }

    @Test
    void refusesAUserDeclaredTwice() {
        assertThatThrownBy(() -> GreenMailExtension.builder().user("a@example.com", "x").user("a@example.com", "y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("User a@example.com is declared twice: declare each user once, with all of its messages");
    }

    /** In an instance field: a server of its own for each test. */
    @Nested
    class PerTest {
        @RegisterExtension
        final GreenMailExtension mail = GreenMailExtension.builder().user("solo@acme.example", "solo-secret").build();

        @Test
        void startsAServerOfItsOwnBesideTheClassOne() {
            assertThat(mail.imapsPort()).isNotEqualTo(MAIL.imapsPort());
            mail.append("solo@acme.example", "INBOX", "From: ann@example.com\nSubject: one\n\nHi\n");
            assertThat(mail.server().greenMail().getReceivedMessages()).hasSize(1);
        }

        @Test
        void startsEmptyEvenAfterAnotherTestFilledItsOwn() {
            assertThat(mail.server().greenMail().getReceivedMessages()).isEmpty();
        }
    }
}
