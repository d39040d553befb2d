package dev.imapsync.sync;

import static dev.imapsync.sync.PipelinedScripts.TAG;
import static dev.imapsync.sync.PipelinedScripts.account;
import static dev.imapsync.sync.PipelinedScripts.headerLine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The next batch's {@code UID FETCH} is on the wire before the current one's answer is read
 * (RFC 9051 §5.5 pipelining), so a distant server never idles a round trip between batches. The
 * scripted server proves it: it answers the first FETCH only once the second has arrived, which
 * a client that waits for each answer never sends. Every message is still recorded once, in UID
 * order of batches, and each batch's checkpoint is its own.
 */
class PipelinedFetchScriptedTest {

    @Test
    void theNextBatchIsAskedForBeforeTheCurrentAnswerIsRead() {
        Script script = PipelinedScripts.loggedInAndSearched(6)
                .expect("(?i)" + TAG + " UID FETCH 1:2 \\(.*")
                // no answer yet: the client must send the next batch's command without it
                .expect("(?i)" + TAG + " UID FETCH 3:4 \\(.*");
        for (long uid = 1; uid <= 2; uid++) {
            script.send(headerLine(uid));
        }
        script.send("{previous-tag} OK FETCH completed");
        for (long uid = 3; uid <= 4; uid++) {
            script.send(headerLine(uid));
        }
        script.send("{tag} OK FETCH completed");
        Map<String, List<String>> rest = new LinkedHashMap<>();
        List<String> last = new ArrayList<>(List.of(headerLine(5), headerLine(6), "{tag} OK FETCH completed"));
        rest.put("(?i)" + TAG + " UID FETCH 5:6 \\(.*", last);
        rest.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
        script.answerCommands(rest);

        InMemorySyncStore store = new InMemorySyncStore();
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(), script)) {
            SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .contactMatcher(InMemoryContactMatcher.builder().add("c-bob", "bob@partner.example").build())
                    .clock(Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC))
                    .options(SyncOptions.builder().batchSize(2, 1, 2).previews(false).build())
                    .build();
            SyncReport report = engine.sync(account(server), FolderSelection.of(List.of(
                    MailFolder.fromList("INBOX", "/", List.of()))));

            assertThat(report.status()).as("%s %s", report.failure(), report.folders()).isEqualTo(SyncStatus.OK);
            assertThat(store.messages("p1")).extracting(SyncedMessage::uid).containsExactlyInAnyOrder(1L, 2L, 3L, 4L,
                    5L, 6L);
            assertThat(store.checkpoint("p1", "INBOX").orElseThrow().lastUid()).isEqualTo(6);
            server.close();
            server.assertNoFailures();
            assertThat(server.commandsMatching("(?i)" + TAG + " UID FETCH .*")).isEqualTo(3);
        }
    }
}
