package dev.imapsync.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A one-folder mailbox (INBOX, messages with UIDs 1..n) as a scripted server plays it to the
 * sync engine: CAPABILITY, LOGIN, EXAMINE, UID SEARCH and a UID FETCH answer for every range,
 * with hand-written answers for chosen commands first. Shared by the hostile-server tests.
 */
final class ScriptedMailbox {
    static final String ACCOUNT = "h1";
    static final String OWNER = "owner@acme.example";
    static final String PASSWORD = "hostile-test-password";
    static final String CAROL = "carol@client.example";
    static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    static final String TAG = "[A-Z]{1,3}\\d+";
    static final String RECENT = "05-Oct-2026 10:00:00 +0000";
    static final String HEADER_FIELDS = "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID"
            + " IN-REPLY-TO REFERENCES";

    private final String capabilities;
    private final long uidValidity;
    private final int messages;
    private final Map<String, List<String>> answers = new LinkedHashMap<>();

    ScriptedMailbox(String capabilities, long uidValidity, int messages) {
        this.capabilities = capabilities;
        this.uidValidity = uidValidity;
        this.messages = messages;
    }

    /** A hand-written answer to commands matching {@code regex}, before the generated ones. */
    ScriptedMailbox answer(String regex, String... lines) {
        answers.put(regex, List.of(lines));
        return this;
    }

    /** The regex of {@code UID FETCH lo:hi (…)}. */
    static String fetch(long lo, long hi) {
        return "(?is)" + TAG + " UID FETCH " + lo + ":" + hi + " \\(.*";
    }

    /** Every answer, hand-written ones first. */
    Map<String, List<String>> answers() {
        Map<String, List<String>> all = new LinkedHashMap<>(answers);
        all.put("(?i)" + TAG + " CAPABILITY", List.of("* CAPABILITY " + capabilities, "{tag} OK CAPABILITY completed"));
        all.put("(?is)" + TAG + " LOGIN .*", List.of("{tag} OK [CAPABILITY " + capabilities + "] Logged in"));
        all.put("(?i)" + TAG + " AUTHENTICATE PLAIN \\S+", List.of("{tag} OK [CAPABILITY " + capabilities + "] Logged in"));
        all.put("(?i)" + TAG + " AUTHENTICATE PLAIN", List.of("+ ", "{tag} OK [CAPABILITY " + capabilities
                + "] Logged in"));
        all.put("(?i)" + TAG + " (NOOP|CLOSE|UNSELECT)", List.of("{tag} OK done"));
        all.put("(?i)" + TAG + " ENABLE .*", List.of("* ENABLED", "{tag} OK enabled"));
        all.put("(?i)" + TAG + " EXAMINE (INBOX|\"INBOX\")( \\(CONDSTORE\\))?", List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS ()] Read-only mailbox.",
                "* " + messages + " EXISTS",
                "* 0 RECENT",
                "* OK [UIDVALIDITY " + uidValidity + "] UIDs valid",
                "* OK [UIDNEXT " + (messages + 1) + "] Predicted next UID",
                "{tag} OK [READ-ONLY] EXAMINE completed"));
        all.put("(?i)" + TAG + " UID SEARCH .*", List.of("* SEARCH " + LongStream.rangeClosed(1, messages)
                .mapToObj(Long::toString).collect(Collectors.joining(" ")), "{tag} OK SEARCH completed"));
        for (long lo = 1; lo <= messages; lo++) {
            for (long hi = lo; hi <= messages; hi++) {
                List<String> lines = new ArrayList<>();
                for (long uid = lo; uid <= hi; uid++) {
                    lines.add(fetchLine((int) uid, uid));
                }
                lines.add("{tag} OK FETCH completed");
                all.putIfAbsent(fetch(lo, hi), lines);
            }
        }
        return all;
    }

    /** The whole session: greeting, then every command answered until LOGOUT. */
    Script script() {
        return greeting().answerCommands(answers());
    }

    /** The session up to the command matching {@code regex}, left unanswered: the caller says what comes next. */
    Script scriptUntil(String regex) {
        answers.put(regex, List.of());
        return greeting().answerCommandsUntil(regex, answers());
    }

    Script greeting() {
        return new Script().send("* OK [CAPABILITY " + capabilities + "] scripted server ready");
    }

    /** The header block of message {@code uid}. */
    static String headers(long uid) {
        return "From: " + CAROL + "\r\n"
                + "To: " + OWNER + "\r\n"
                + "Subject: Message " + uid + "\r\n"
                + "Date: Mon, 5 Oct 2026 10:00:00 +0000\r\n"
                + "Message-ID: <hostile-" + uid + "@example.test>\r\n"
                + "\r\n";
    }

    /** The start of a FETCH response, up to the header literal's announcement (no CRLF). */
    static String fetchStart(int sequence, long uid) {
        return "* " + sequence + " FETCH (UID " + uid + " INTERNALDATE \"" + RECENT + "\" RFC822.SIZE 900"
                + " BODY[HEADER.FIELDS (" + HEADER_FIELDS + ")] ";
    }

    /** The FETCH response of message {@code uid}, its header block as a literal. */
    static String fetchLine(int sequence, long uid) {
        String headers = headers(uid);
        return fetchStart(sequence, uid) + "{" + headers.getBytes(UTF_8).length + "}\r\n" + headers + ")";
    }

    static ImapAccount.Builder account(int port, Security security) {
        return ImapAccount.builder()
                .id(ACCOUNT)
                .emailAddress(OWNER)
                .endpoint("127.0.0.1", port, security)
                .password(OWNER, PASSWORD)
                .readTimeout(Duration.ofSeconds(5))
                .trustCertificatePem(TestCertificates.localhost().pem());
    }

    /** An engine that records previews too, for the scripts that answer the preview fetch. */
    static SyncEngine engineWithPreviews(InMemorySyncStore store, int batchSize) {
        return SyncEngine.builder()
                .store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-carol", CAROL).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .options(SyncOptions.builder().batchSize(batchSize, batchSize, batchSize).build())
                .build();
    }

    static SyncEngine engine(InMemorySyncStore store, int batchSize) {
        return SyncEngine.builder()
                .store(store)
                .contactMatcher(InMemoryContactMatcher.builder().add("c-carol", CAROL).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                // these scripts play the header fetch; previews on scripted servers: PreviewHostileSyncTest
                .options(SyncOptions.builder().batchSize(batchSize, batchSize, batchSize).previews(false).build())
                .build();
    }

    static FolderSelection inbox() {
        return FolderSelection.of(FolderSelector.assignRoles(List.of(
                MailFolder.fromList("INBOX", "/", List.of("\\HasNoChildren")))));
    }
}
