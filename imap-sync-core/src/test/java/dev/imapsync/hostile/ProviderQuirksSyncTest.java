package dev.imapsync.hostile;

import static dev.imapsync.hostile.ScriptedMailbox.ACCOUNT;
import static dev.imapsync.hostile.ScriptedMailbox.TAG;
import static dev.imapsync.hostile.ScriptedMailbox.fetch;
import static dev.imapsync.hostile.ScriptedMailbox.inbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Security;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sync engine against providers' quirks, played from transcripts in the shape the
 * providers answer (capabilities and response texts as Gmail, Office 365 and iCloud send them):
 * connection limits, quotas, IMAP switched off, long-command errors, backoff advice, disabled
 * AUTHENTICATE PLAIN, UIDVALIDITY 0 without QRESYNC. Each test states the status and words the
 * person sees, and that the checkpoint never passes messages that were not recorded.
 */
class ProviderQuirksSyncTest {
    static final String GMAIL = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS"
            + " COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL-"
            + " SPECIAL-USE APPENDLIMIT=35651584";
    static final String GMAIL_PRE_LOGIN = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1"
            + " XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER";
    static final String OFFICE365 = "IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN"
            + " IDLE NAMESPACE LITERAL+";
    static final String ICLOUD = "IMAP4rev1 SASL-IR AUTH=ATOKEN AUTH=PLAIN ID ENABLE IDLE NAMESPACE UIDPLUS"
            + " CHILDREN UNSELECT XSENDER X-NETSCAPE XLIST LITERAL+ ACL QUOTA CONDSTORE";

    private final InMemorySyncStore store = new InMemorySyncStore();
    private ScriptedImapServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------- Gmail

    @Test
    void gmailsConnectionLimitAtLoginIsThrottled() {
        SyncReport report = sync(i -> new Script().send("* OK Gimap ready for requests from 127.0.0.1 a1b2c3")
                .answerCommands(new ScriptedMailbox(GMAIL_PRE_LOGIN, 1, 2)
                        .answer("(?is)" + TAG + " AUTHENTICATE PLAIN.*",
                                "{tag} NO [ALERT] Too many simultaneous connections. (Failure)")
                        .answers()));

        assertFailure(report, FailureKind.THROTTLED, SyncStatus.THROTTLED,
                "[ALERT] Too many simultaneous connections. (Failure)");
        assertThat(server.commandsMatching("(?is)" + TAG + " (LOGIN|AUTHENTICATE) .*")).isEqualTo(1);
    }

    @Test
    void gmailsOverquotaAtLoginIsThrottled() {
        SyncReport report = sync(i -> new Script().send("* OK Gimap ready for requests from 127.0.0.1 a1b2c3")
                .answerCommands(new ScriptedMailbox(GMAIL_PRE_LOGIN, 1, 2)
                        .answer("(?is)" + TAG + " AUTHENTICATE PLAIN.*",
                                "{tag} NO [OVERQUOTA] Account exceeded command or bandwidth limits. (Failure)")
                        .answers()));

        assertFailure(report, FailureKind.THROTTLED, SyncStatus.THROTTLED,
                "[OVERQUOTA] Account exceeded command or bandwidth limits");
    }

    @Test
    void gmailsOverquotaInTheMiddleOfASyncIsThrottledAndLosesNothing() {
        SyncReport report = sync(i -> i == 0
                ? new ScriptedMailbox(GMAIL, 1, 4).answer(fetch(3, 4),
                        "{tag} NO [OVERQUOTA] Account exceeded command or bandwidth limits. (Failure)").script()
                : new ScriptedMailbox(GMAIL, 1, 4).script());

        assertFailure(report, FailureKind.THROTTLED, SyncStatus.THROTTLED, "[OVERQUOTA]");
        assertCheckpoint(2, 1L, 2L);
        assertRerunCompletes(4);
    }

    @Test
    void gmailWithImapSwitchedOffIsImapDisabled() {
        String alert = "[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and"
                + " enable your account for IMAP access. (Failure)";
        SyncReport report = sync(i -> new Script().send("* OK Gimap ready for requests from 127.0.0.1 a1b2c3")
                .answerCommands(new ScriptedMailbox(GMAIL_PRE_LOGIN, 1, 2)
                        .answer("(?is)" + TAG + " AUTHENTICATE PLAIN.*", "{tag} NO " + alert).answers()));

        Failure failure = assertFailure(report, FailureKind.IMAP_DISABLED, SyncStatus.AUTH_FAILED,
                "the server says IMAP is not enabled: " + alert);
        assertThat(failure.hint()).isNotBlank();
    }

    // ---------------------------------------------------------------- Office 365

    @Test
    void office365sCommandErrorTenIsAProtocolErrorQuotingItAndKeepsTheCheckpoint() {
        // Office 365 answers "BAD Command Error. 10" to commands it finds too long or malformed.
        SyncReport report = sync(i -> i == 0
                ? new ScriptedMailbox(OFFICE365, 14, 4).answer(fetch(3, 4), "{tag} BAD Command Error. 10").script()
                : new ScriptedMailbox(OFFICE365, 14, 4).script());

        assertFailure(report, FailureKind.PROTOCOL_ERROR, SyncStatus.ERROR, "Command Error. 10");
        assertCheckpoint(2, 1L, 2L);
        assertRerunCompletes(4);
    }

    @Test
    void office365sSuggestedBackoffAtLoginIsThrottledWithTheAdvice() {
        SyncReport report = sync(i -> new ScriptedMailbox(OFFICE365, 14, 2).greeting()
                .answerCommands(new ScriptedMailbox(OFFICE365, 14, 2).answer("(?is)" + TAG + " AUTHENTICATE PLAIN.*",
                        "{tag} NO Request is throttled. Suggested Backoff Time: 92415 milliseconds").answers()));

        assertFailure(report, FailureKind.THROTTLED, SyncStatus.THROTTLED,
                "Request is throttled. Suggested Backoff Time: 92415 milliseconds");
    }

    @Test
    void office365sSuggestedBackoffInTheMiddleOfASyncIsThrottledAndLosesNothing() {
        SyncReport report = sync(i -> i == 0
                ? new ScriptedMailbox(OFFICE365, 14, 4).answer(fetch(3, 4),
                        "{tag} NO Request is throttled. Suggested Backoff Time: 92415 milliseconds").script()
                : new ScriptedMailbox(OFFICE365, 14, 4).script());

        assertFailure(report, FailureKind.THROTTLED, SyncStatus.THROTTLED, "Suggested Backoff Time: 92415");
        assertCheckpoint(2, 1L, 2L);
        assertRerunCompletes(4);
    }

    @Test
    void office365WithAuthenticatePlainDisabledIsAuthFailedAfterOneAttempt() {
        // Basic authentication switched off for the tenant: AUTH=PLAIN is still announced, and refused.
        SyncReport report = sync(i -> new ScriptedMailbox(OFFICE365, 14, 2).greeting()
                .answerCommands(new ScriptedMailbox(OFFICE365, 14, 2)
                        .answer("(?is)" + TAG + " AUTHENTICATE PLAIN.*", "{tag} NO AUTHENTICATE failed.").answers()));

        assertFailure(report, FailureKind.AUTH_FAILED, SyncStatus.AUTH_FAILED, "AUTHENTICATE failed.");
        assertThat(server.commandsMatching("(?is)" + TAG + " (LOGIN|AUTHENTICATE) .*"))
                .as("no fallback to LOGIN with the same password").isEqualTo(1);
    }

    // ---------------------------------------------------------------- iCloud

    @Test
    void icloudsUidValidityZeroWithoutQresyncSyncsOnceAndTheRerunFetchesNothing() {
        // UIDVALIDITY 0 is not allowed by RFC 3501, and is seen in the wild; it must not read as "changed".
        SyncReport first = sync(i -> new ScriptedMailbox(ICLOUD, 0, 3).script());
        assertThat(first.status()).as(String.valueOf(first)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L);

        SyncReport rerun = ScriptedMailbox.engine(store, 2).sync(account(), inbox());

        assertThat(rerun.status()).as(String.valueOf(rerun)).isEqualTo(SyncStatus.OK);
        assertThat(rerun.fetched()).isZero();
        assertThat(rerun.warnings()).noneMatch(w -> w.toUpperCase().contains("UIDVALIDITY"));
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L, 3L);
        assertThat(server.commandsMatching("(?i)" + TAG + " (ENABLE QRESYNC|SELECT .*\\(QRESYNC.*)")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private SyncReport sync(IntFunction<Script> scripts) {
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), scripts);
        return ScriptedMailbox.engine(store, 2).sync(account(), inbox());
    }

    private dev.imapsync.account.ImapAccount account() {
        return ScriptedMailbox.account(server.port(), Security.SSL_TLS).build();
    }

    private Failure assertFailure(SyncReport report, FailureKind kind, SyncStatus status, String quoted) {
        Failure failure = report.failure().orElseThrow(() -> new AssertionError("expected a failure: " + report));
        assertThat(failure.kind()).as(failure.toString()).isEqualTo(kind);
        assertThat(report.status()).isEqualTo(status);
        assertThat(failure.message()).startsWith("Account " + ACCOUNT).contains(quoted);
        assertThat(failure.hint()).isNotBlank();
        return failure;
    }

    private void assertCheckpoint(long lastUid, Long... uids) {
        assertThat(store.checkpoint(ACCOUNT, "INBOX")).get().extracting(FolderCheckpoint::lastUid).isEqualTo(lastUid);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(uids);
    }

    private void assertRerunCompletes(long messages) {
        SyncReport rerun = ScriptedMailbox.engine(store, 2).sync(account(), inbox());
        assertThat(rerun.status()).as(String.valueOf(rerun)).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ACCOUNT)).extracting(SyncedMessage::uid).hasSize((int) messages)
                .doesNotHaveDuplicates();
    }
}
