package dev.imapsync.hostile;

import static dev.imapsync.hostile.ScriptedMailbox.ACCOUNT;
import static dev.imapsync.hostile.ScriptedMailbox.TAG;
import static dev.imapsync.hostile.ScriptedMailbox.fetch;
import static dev.imapsync.hostile.ScriptedMailbox.fetchLine;
import static dev.imapsync.hostile.ScriptedMailbox.inbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Security;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Servers whose UIDs misbehave: the same UID twice in one answer, UIDs below the checkpoint in
 * a FETCH answer, a UIDNEXT that goes backwards with the same UIDVALIDITY, EXPUNGE in the
 * middle of a FETCH answer. Whatever the server says, each message is recorded exactly once
 * and the checkpoint never moves backwards (which would re-read) nor past a message that was
 * not recorded.
 */
class FolderAnomaliesSyncTest {
    private static final String CAPABILITIES = "IMAP4rev1";

    private final InMemorySyncStore store = new InMemorySyncStore();
    private ScriptedImapServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSameUidTwiceInOneAnswerIsRecordedOnce() {
        SyncReport report = sync(new ScriptedMailbox(CAPABILITIES, 7, 3)
                .answer(fetch(1, 2), fetchLine(1, 1), fetchLine(1, 1), fetchLine(2, 2), fetchLine(2, 2),
                        "{tag} OK FETCH completed")
                .script());

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L);
        assertThat(store.activities(ACCOUNT)).hasSize(3);
        assertThat(lastUid()).isEqualTo(3);
    }

    @Test
    void uidsBelowTheCheckpointInAFetchAnswerAreNotRecordedAgain() {
        sync(new ScriptedMailbox(CAPABILITIES, 7, 2).script());
        assertThat(lastUid()).isEqualTo(2);

        // Two new messages; the server's answer to UID FETCH 3:4 also carries UIDs 1 and 2.
        SyncReport report = sync(new ScriptedMailbox(CAPABILITIES, 7, 4)
                .answer(fetch(3, 4), fetchLine(1, 1), fetchLine(2, 2), fetchLine(3, 3), fetchLine(4, 4),
                        "{tag} OK FETCH completed")
                .script());

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(report.fetched()).isEqualTo(2);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.activities(ACCOUNT)).hasSize(4);
        assertThat(lastUid()).isEqualTo(4);
    }

    @Test
    void aUidNextThatShrinksNeitherRereadsNorMovesTheCheckpointBack() {
        sync(new ScriptedMailbox(CAPABILITIES, 7, 4).script());
        assertThat(lastUid()).isEqualTo(4);

        // Same UIDVALIDITY, but the server now says the next UID is 3.
        SyncReport shrunk = sync(new ScriptedMailbox(CAPABILITIES, 7, 4)
                .answer("(?i)" + TAG + " EXAMINE .*",
                        "* 2 EXISTS",
                        "* OK [UIDVALIDITY 7] UIDs valid",
                        "* OK [UIDNEXT 3] Predicted next UID",
                        "{tag} OK [READ-ONLY] EXAMINE completed")
                .script());

        assertThat(shrunk.status()).as(String.valueOf(shrunk)).isIn(SyncStatus.OK, SyncStatus.ERROR);
        assertThat(lastUid()).as("never backwards").isEqualTo(4);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L, 4L);

        // Then the server is itself again, with one new message.
        SyncReport recovered = sync(new ScriptedMailbox(CAPABILITIES, 7, 5).script());

        assertThat(recovered.status()).as(String.valueOf(recovered)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.activities(ACCOUNT)).hasSize(5);
        assertThat(lastUid()).isEqualTo(5);
    }

    @Test
    void expungeInTheMiddleOfAFetchAnswerLosesNothing() {
        // Message 3 is expunged by another client while the answer streams: sequence numbers shift.
        SyncReport report = sync(new ScriptedMailbox(CAPABILITIES, 7, 4)
                .answer(fetch(3, 4), fetchLine(3, 3), "* 3 EXPUNGE", "* 2 EXPUNGE", fetchLine(2, 4),
                        "{tag} OK FETCH completed")
                .script());

        assertThat(report.status()).as(String.valueOf(report)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L, 4L);
        assertThat(lastUid()).isEqualTo(4);
    }

    private SyncReport sync(Script script) {
        if (server != null) {
            server.close();
        }
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), script);
        SyncReport report = ScriptedMailbox.engine(store, 2).sync(
                ScriptedMailbox.account(server.port(), Security.SSL_TLS).build(), inbox());
        assertThat(store.messages(ACCOUNT)).extracting(m -> m.key().value()).as(String.valueOf(report))
                .doesNotHaveDuplicates();
        assertThat(store.activities(ACCOUNT)).extracting(a -> a.messageKey().value() + " " + a.role())
                .doesNotHaveDuplicates();
        return report;
    }

    private long lastUid() {
        return store.checkpoint(ACCOUNT, "INBOX").map(FolderCheckpoint::lastUid).orElse(0L);
    }
}
