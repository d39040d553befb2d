package dev.imapsync.hostile;

import static dev.imapsync.hostile.ScriptedMailbox.TAG;
import static dev.imapsync.hostile.ScriptedMailbox.inbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.TestCertificates;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers that answer the preview fetch badly: a structure that is no structure, one of tens of
 * thousands of parts, a partial body far larger than asked for, a NO. Each message concerned gets
 * an empty preview and the folder's report a warning naming its UID; the batch is recorded, and
 * the other messages keep their previews.
 */
class PreviewHostileSyncTest {
    private static final String CAPABILITIES = "IMAP4rev1";
    private static final String TEXT_2 = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 30 1)";

    private final InMemorySyncStore store = new InMemorySyncStore();
    private ScriptedImapServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStructureNestedBeyondTheBoundCostsThatMessageItsPreviewOnly() {
        // 100 multiparts deep: within the transport's bound of 128 parentheses, beyond the preview's
        String nested = "(".repeat(100) + "\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1" + ") \"MIXED\"".repeat(99) + ")";
        Map<Long, SyncedMessage> recorded = sync(new ScriptedMailbox(CAPABILITIES, 7, 2)
                .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE " + nested + ")",
                        "* 2 FETCH (UID 2 BODYSTRUCTURE " + TEXT_2 + ")", "{tag} OK FETCH completed")
                .answer(part("2", "1"), "* 2 FETCH (UID 2 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "{tag} OK FETCH completed"));

        assertThat(recorded.get(1L).preview()).hasValueSatisfying(p -> {
            assertThat(p.text()).isEmpty();
            assertThat(p.attachments()).isEmpty();
        });
        assertThat(recorded.get(2L).preview().map(MessagePreview::text)).contains("Hello Carol, see you tomorrow.");
        assertThat(warnings).anyMatch(w -> w.startsWith("UID 1: ") && w.contains("nested deeper"));
    }

    @Test
    void aStructureOfTensOfThousandsOfPartsIsReadWithinBounds() {
        String parts = "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)".repeat(20_000);
        Map<Long, SyncedMessage> recorded = sync(new ScriptedMailbox(CAPABILITIES, 7, 2)
                .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE (" + parts + " \"MIXED\"))",
                        "* 2 FETCH (UID 2 BODYSTRUCTURE " + TEXT_2 + ")", "{tag} OK FETCH completed")
                .answer(part("1", "1"), "* 1 FETCH (UID 1 BODY[1]<0> {1}", "x)", "{tag} OK FETCH completed")
                .answer(part("2", "1"), "* 2 FETCH (UID 2 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "{tag} OK FETCH completed")
                .answer(part("1:2", "1"), "* 1 FETCH (UID 1 BODY[1]<0> {1}", "x)",
                        "* 2 FETCH (UID 2 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "{tag} OK FETCH completed"));

        assertThat(recorded.get(1L).preview()).isPresent();
        assertThat(recorded.get(1L).preview().get().attachments().size()).as("attachments kept")
                .isLessThan(20_000);
        assertThat(recorded.get(2L).preview().map(MessagePreview::text)).contains("Hello Carol, see you tomorrow.");
        assertThat(warnings).anyMatch(w -> w.startsWith("UID 1: "));
    }

    @Test
    void aPartialBodyFarLargerThanAskedForIsNoPreview() {
        String huge = "x".repeat(5_000_000);
        Map<Long, SyncedMessage> recorded = sync(new ScriptedMailbox(CAPABILITIES, 7, 2)
                .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE " + TEXT_2 + ")",
                        "* 2 FETCH (UID 2 BODYSTRUCTURE " + TEXT_2 + ")", "{tag} OK FETCH completed")
                .answer(part("1:2", "1"), "* 1 FETCH (UID 1 BODY[1]<0> {5000000}", huge + ")",
                        "* 2 FETCH (UID 2 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "{tag} OK FETCH completed"));

        assertThat(recorded.get(1L).preview()).hasValueSatisfying(p -> assertThat(p.text()).isEmpty());
        assertThat(recorded.get(2L).preview().map(MessagePreview::text)).contains("Hello Carol, see you tomorrow.");
        assertThat(warnings).contains("UID 1: the server sent 5000000 bytes of part 1 where 4096 were asked for;"
                + " no preview");
    }

    @Test
    void aNoForOneMessagesTextCostsThatMessageItsTextOnly() {
        Map<Long, SyncedMessage> recorded = sync(new ScriptedMailbox(CAPABILITIES, 7, 2)
                .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE " + TEXT_2 + ")",
                        "* 2 FETCH (UID 2 BODYSTRUCTURE " + TEXT_2 + ")", "{tag} OK FETCH completed")
                .answer(part("1:2", "1"), "{tag} NO Some messages could not be read")
                .answer(part("1", "1"), "{tag} NO Message 1 is damaged on disk")
                .answer(part("2", "1"), "* 2 FETCH (UID 2 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "{tag} OK FETCH completed"));

        assertThat(recorded.get(1L).preview()).hasValueSatisfying(p -> assertThat(p.text()).isEmpty());
        assertThat(recorded.get(2L).preview().map(MessagePreview::text)).contains("Hello Carol, see you tomorrow.");
        assertThat(warnings).anyMatch(w -> w.startsWith("UIDs 1: the server answered NO (Message 1 is damaged on disk)"));
    }

    @ParameterizedTest(name = "dropped {0}")
    @ValueSource(strings = {"before the structures", "inside a partial body"})
    void aConnectionDroppedDuringThePreviewFetchRecordsNothingAndTheRerunRecordsEachMessageOnceWithItsPreview(
            String when) {
        ScriptedMailbox healthy = new ScriptedMailbox(CAPABILITIES, 7, 2)
                .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE " + TEXT_2 + ")",
                        "* 2 FETCH (UID 2 BODYSTRUCTURE " + TEXT_2 + ")", "{tag} OK FETCH completed")
                .answer(part("1:2", "1"), "* 1 FETCH (UID 1 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "* 2 FETCH (UID 2 BODY[1]<0> {30}", "Hello Carol, see you tomorrow.)",
                        "{tag} OK FETCH completed");
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), index -> {
            if (index > 0) {
                return healthy.script();
            }
            ScriptedMailbox broken = new ScriptedMailbox(CAPABILITIES, 7, 2)
                    .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE " + TEXT_2 + ")",
                            "* 2 FETCH (UID 2 BODYSTRUCTURE " + TEXT_2 + ")", "{tag} OK FETCH completed");
            return when.startsWith("before") ? broken.scriptUntil(structures()).reset()
                    : broken.scriptUntil(part("1:2", "1")).sendRaw("* 1 FETCH (UID 1 BODY[1]<0> {30}\r\nHello")
                            .hangUp();
        });
        ImapAccount account = ScriptedMailbox.account(server.port(), Security.SSL_TLS).build();

        SyncReport failed = ScriptedMailbox.engineWithPreviews(store, 2).sync(account, inbox());

        assertThat(failed.status()).isEqualTo(SyncStatus.CONNECTION_FAILED);
        assertThat(store.messages(ScriptedMailbox.ACCOUNT)).as("nothing half-recorded").isEmpty();
        assertThat(store.checkpoint(ScriptedMailbox.ACCOUNT, "INBOX")).isEmpty();

        SyncReport rerun = ScriptedMailbox.engineWithPreviews(store, 2).sync(account, inbox());

        assertThat(rerun.status()).isEqualTo(SyncStatus.OK);
        assertThat(store.messages(ScriptedMailbox.ACCOUNT)).extracting(SyncedMessage::uid).containsExactly(1L, 2L);
        assertThat(store.messages(ScriptedMailbox.ACCOUNT)).allSatisfy(m -> assertThat(m.preview()
                .map(MessagePreview::text)).contains("Hello Carol, see you tomorrow."));
        assertThat(store.activityCount(ScriptedMailbox.ACCOUNT)).isEqualTo(2);
    }

    @Test
    void aPartTheServerCannotDecodeForBinaryIsFetchedAsStored() {
        // RFC 3516: NO [UNKNOWN-CTE] for a transfer encoding the server cannot undo
        String qp = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 35 1)";
        Map<Long, SyncedMessage> recorded = sync(new ScriptedMailbox("IMAP4rev1 BINARY", 7, 2)
                .answer(structures(), "* 1 FETCH (UID 1 BODYSTRUCTURE " + qp + ")",
                        "* 2 FETCH (UID 2 BODYSTRUCTURE " + qp + ")", "{tag} OK FETCH completed")
                .answer("(?is)" + TAG + " UID FETCH 1:2 \\(UID BINARY\\.PEEK\\[1\\]<0\\.4096>\\)",
                        "* 2 FETCH (UID 2 BINARY[1]<0> ~{25}", "Gr\u00fc\u00dfe aus K\u00f6ln, Carol.)",
                        "{tag} NO [UNKNOWN-CTE] Message 1 has an encoding I do not know")
                .answer("(?is)" + TAG + " UID FETCH 1 \\(UID BINARY\\.PEEK\\[1\\]<0\\.4096>\\)",
                        "{tag} NO [UNKNOWN-CTE] Message 1 has an encoding I do not know")
                .answer(part("1", "1"), "* 1 FETCH (UID 1 BODY[1]<0> {35}", "Gr=C3=BC=C3=9Fe aus K=C3=B6ln, Ann.)",
                        "{tag} OK FETCH completed"));

        assertThat(recorded.get(1L).preview().map(MessagePreview::text)).contains("Grüße aus Köln, Ann.");
        assertThat(recorded.get(2L).preview().map(MessagePreview::text)).contains("Grüße aus Köln, Carol.");
        assertThat(warnings).noneMatch(w -> w.contains("UNKNOWN-CTE"));
    }

    private java.util.List<String> warnings = java.util.List.of();

    private Map<Long, SyncedMessage> sync(ScriptedMailbox mailbox) {
        server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), index -> mailbox.script());
        SyncReport report = ScriptedMailbox.engineWithPreviews(store, 2).sync(ScriptedMailbox.account(server.port(),
                Security.SSL_TLS).build(), inbox());
        assertThat(report.status()).as("report %s", report).isEqualTo(SyncStatus.OK);
        warnings = report.folders().get(0).warnings();
        assertThat(store.messages(ScriptedMailbox.ACCOUNT)).hasSize(2);
        return store.messages(ScriptedMailbox.ACCOUNT).stream().collect(Collectors.toMap(SyncedMessage::uid, m -> m));
    }

    private static String structures() {
        return "(?is)" + TAG + " UID FETCH 1:2 \\(UID BODYSTRUCTURE\\)";
    }

    private static String part(String uids, String section) {
        return "(?is)" + TAG + " UID FETCH " + uids + " \\(UID BODY\\.PEEK\\[" + section + "\\]<0\\.4096>\\)";
    }
}
