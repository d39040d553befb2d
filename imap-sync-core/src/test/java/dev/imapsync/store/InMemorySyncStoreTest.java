package dev.imapsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.testing.contract.SyncStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link SyncStore} contract, plus what only the in-memory store answers. */
class InMemorySyncStoreTest extends SyncStoreContract {
    @Override
    protected SyncStore newStore() {
        return new InMemorySyncStore();
    }

    private InMemorySyncStore inMemory() {
        return (InMemorySyncStore) store;
    }

    @Test
    void listsAnAccountsMessagesWithTheFolderAndUidTheyWereFirstRecordedFrom() {
        SyncedMessage inInbox = message("gm:1001", INBOX, 5, T0);
        SyncedMessage other = message("gm:1002", ALL_MAIL, 76, T0);
        SyncedMessage inAllMail = message("gm:1001", ALL_MAIL, 77, T0);
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(inInbox), List.of(), checkpoint(INBOX, 7, 5, 0)));

        store.commit(ACCOUNT, new SyncBatch(ALL_MAIL, List.of(other, inAllMail), List.of(),
                checkpoint(ALL_MAIL, 9, 77, 0)));

        assertThat(inMemory().messages(ACCOUNT)).containsExactly(inInbox, other);
        assertThat(inMemory().messageCount(ACCOUNT)).isEqualTo(2);
        assertThat(inMemory().messages(OTHER_ACCOUNT)).isEmpty();
        assertThat(inMemory().messageCount(OTHER_ACCOUNT)).isZero();
    }

    @Test
    void listsAnAccountsActivitiesInTheOrderRecorded() {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 2, 1));
        store.commit(OTHER_ACCOUNT, batchOf(INBOX, 7, 3));

        assertThat(inMemory().activities(ACCOUNT)).extracting(a -> a.messageKey().value())
                .containsExactly(key(2), key(1));
        assertThat(inMemory().activityCount(ACCOUNT)).isEqualTo(2);
        assertThat(inMemory().activities(OTHER_ACCOUNT)).extracting(ContactActivity::role)
                .containsExactly(ParticipantRole.FROM);
    }

    @Test
    void answersCopiesThatDoNotChangeWithLaterCommits() {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 1));
        List<SyncedMessage> before = inMemory().messages(ACCOUNT);
        List<ContactActivity> history = store.history(ANN.id(), 10);

        store.commit(ACCOUNT, batchOf(INBOX, 7, 2));

        assertThat(before).hasSize(1);
        assertThat(history).hasSize(1);
        assertThatThrownBy(() -> history.clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void saysWhatToFixInABatch() {
        SyncedMessage good = message(key(1), INBOX, 1, T0);
        SyncedMessage stray = message(key(2), ALL_MAIL, 2, T0);
        SyncedMessage absent = message(key(3), INBOX, 3, T0);
        SyncedMessage tooBig = message(key(4), INBOX, 0x1_0000_0000L, T0);

        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(good, stray), List.of(),
                checkpoint(INBOX, 7, 2, 0))))
                .hasMessage("Message mid:m0002@example.com (UID 2) was read from folder [Gmail]/All Mail, but the batch"
                        + " is for folder INBOX: commit each folder's messages in a batch of its own");
        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(good),
                List.of(activity(absent, BOB, ParticipantRole.CC)), checkpoint(INBOX, 7, 2, 0))))
                .hasMessage("The CC activity of contact c-bob is for message mid:m0003@example.com, which is not in"
                        + " the batch: commit each activity with its message");
        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(tooBig), List.of(),
                checkpoint(INBOX, 7, 2, 0))))
                .hasMessage("Message mid:m0004@example.com in folder INBOX has UID 4294967296, out of range"
                        + " (1 to 4294967295)");
    }

    @Test
    void saysWhatToFixInAQuery() {
        assertThatThrownBy(() -> store.history(ANN.id(), 0))
                .hasMessage("The history limit is 0: give at least 1");
        assertThatThrownBy(() -> store.history(" ", 10))
                .hasMessage("The contact id is empty: give the id of a contact");
        assertThatThrownBy(() -> store.commit("", batchOf(INBOX, 7, 1)))
                .hasMessage("The account id is empty: give the id of the account being synced");
    }
}
