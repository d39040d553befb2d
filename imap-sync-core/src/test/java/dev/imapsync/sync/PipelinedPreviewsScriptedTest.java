package dev.imapsync.sync;

import static dev.imapsync.sync.PipelinedScripts.TAG;
import static dev.imapsync.sync.PipelinedScripts.account;
import static dev.imapsync.sync.PipelinedScripts.headerLine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A batch's preview fetches overlap the next batch (RFC 9051 §5.5 pipelining): the sync writes
 * batch 2's BODYSTRUCTURE fetch before batch 1's part fetch is answered, so a distant server
 * always has the next request queued instead of waiting a round trip for it. The scripted server
 * proves it: it answers batch 1's part fetch only once batch 2's BODYSTRUCTURE fetch has arrived,
 * which a client that commits batch 1 before it looks at batch 2 never sends. Every message is
 * still recorded once with its preview, the batches committed in UID order, each with its own
 * checkpoint.
 */
class PipelinedPreviewsScriptedTest {
    private static final String STRUCTURE = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 30 1)";

    @Test
    void theNextBatchsStructuresAreAskedForBeforeThePartsAreAnswered() {
        Script script = PipelinedScripts.loggedInAndSearched(4)
                .expect("(?i)" + TAG + " UID FETCH 1:2 \\(UID INTERNALDATE .*")
                .expect("(?i)" + TAG + " UID FETCH 3:4 \\(UID INTERNALDATE .*")
                .send(headerLine(1)).send(headerLine(2)).send("{previous-tag} OK FETCH completed")
                .send(headerLine(3)).send(headerLine(4)).send("{tag} OK FETCH completed")
                .expectAndReply("(?i)" + TAG + " UID FETCH 1:2 \\(UID BODYSTRUCTURE\\)",
                        structureLine(1), structureLine(2), "{tag} OK FETCH completed")
                .expect("(?i)" + TAG + " UID FETCH 1:2 \\(UID BODY\\.PEEK\\[1\\]<0\\.\\d+>\\)")
                // no answer yet: the client must ask for batch 2's structures without it
                .expect("(?i)" + TAG + " UID FETCH 3:4 \\(UID BODYSTRUCTURE\\)")
                .send(partLine(1)).send(partLine(2)).send("{previous-tag} OK FETCH completed")
                .send(structureLine(3)).send(structureLine(4)).send("{tag} OK FETCH completed");
        Map<String, List<String>> rest = new LinkedHashMap<>();
        rest.put("(?i)" + TAG + " UID FETCH 3:4 \\(UID BODY\\.PEEK\\[1\\]<0\\.\\d+>\\)",
                List.of(partLine(3), partLine(4), "{tag} OK FETCH completed"));
        rest.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
        script.answerCommands(rest);

        InMemorySyncStore store = new InMemorySyncStore();
        List<Long> committed = new CopyOnWriteArrayList<>();
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), script)) {
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .contactMatcher(InMemoryContactMatcher.builder().add("c-bob", "bob@partner.example").build())
                    .clock(Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC))
                    .options(SyncOptions.builder().batchSize(2, 1, 2).previews(true).build())
                    .listener(new SyncListener() {
                        @Override
                        public void batchCommitted(String accountId, String folder, BatchProgress progress) {
                            committed.add(store.checkpoint("p1", "INBOX").orElseThrow().lastUid());
                        }
                    })
                    .build();
            SyncReport report = engine.sync(account(server), FolderSelection.of(List.of(
                    MailFolder.fromList("INBOX", "/", List.of()))));

            assertThat(report.status()).as("%s %s", report.failure(), report.folders()).isEqualTo(SyncStatus.OK);
            assertThat(store.messages("p1")).extracting(SyncedMessage::uid).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            assertThat(store.messages("p1")).allSatisfy(m -> assertThat(m.preview()).get()
                    .extracting(MessagePreview::text).isEqualTo("Hello Carol, see you tomorrow."));
            assertThat(committed).as("each batch committed once, in order, with its own checkpoint")
                    .containsExactly(2L, 4L);
            server.close();
            server.assertNoFailures();
        }
    }

    private static String structureLine(long uid) {
        return "* " + uid + " FETCH (UID " + uid + " BODYSTRUCTURE " + STRUCTURE + ")";
    }

    private static String partLine(long uid) {
        return "* " + uid + " FETCH (UID " + uid + " BODY[1]<0> {30}\r\nHello Carol, see you tomorrow.)";
    }
}
