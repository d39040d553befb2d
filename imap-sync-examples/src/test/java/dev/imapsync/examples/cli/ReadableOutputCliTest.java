package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.ScriptedImapServer;
import dev.imapsync.testing.ScriptedImapServer.Script;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What people read in the CLI's text answers: folder names decoded ({@code Entwürfe}, never
 * the wire form {@code Entw&APw-rfe}) in {@code sync} and {@code history} as in {@code folders},
 * while the JSON keeps the raw name, which commands need, beside the decoded one; and after a
 * login, the capabilities that matter, not leftovers such as {@code LOGINDISABLED}, which the
 * JSON keeps with all the others.
 */
class ReadableOutputCliTest {
    private static final String USER = "erin@example.test";
    private static final String PASSWORD = "pa55-word-for-erin";
    private static final Map<String, String> ENV = Map.of("IMAP_PASSWORD", PASSWORD);
    private static final String DRAFTS_RAW = "Entw&APw-rfe";
    private static final String DRAFTS = "Entw\u00FCrfe";
    private static final String SENT_RAW = "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-";
    private static final String SENT = "\u041E\u0442\u043F\u0440\u0430\u0432\u043B\u0435\u043D\u043D\u044B\u0435";

    private static GreenMailTls server;
    private static Path certificate;

    @BeforeAll
    static void start(@TempDir Path dir) {
        server = GreenMailTls.start(TestCertificates.localhost());
        var user = server.addUser(USER, PASSWORD);
        server.append(user, "INBOX", "From: dave@client.example\nTo: " + USER + "\nSubject: hello\n\nbody\n");
        // GreenMail takes names decoded and lists them in modified UTF-7, as servers do
        server.append(user, DRAFTS, "From: " + USER + "\nTo: dave@client.example\nSubject: draft\n\nbody\n");
        server.append(user, SENT, "From: " + USER + "\nTo: dave@client.example\nSubject: sent\n\nbody\n");
        certificate = TestCertificates.localhost().writePem(dir.resolve("server.pem"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void syncAndHistoryShowDecodedFolderNamesAndTheirJsonKeepsTheRawOnes(@TempDir Path dir) throws IOException {
        Path contacts = Files.writeString(dir.resolve("contacts.csv"), "dave,dave@client.example\n",
                StandardCharsets.UTF_8);
        String db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        String folders = "INBOX," + DRAFTS + "," + SENT;

        Run text = run(connection("sync", "--db", db, "--contacts", contacts.toString(), "--folders", folders));

        assertThat(text.code).as(text.err).isZero();
        assertThat(text.out).contains("  " + DRAFTS + " ").contains("  " + SENT + " ")
                .doesNotContain(DRAFTS_RAW).doesNotContain(SENT_RAW);

        Run history = run("history", "--db", db, "--contact", "dave");
        assertThat(history.code).as(history.err).isZero();
        assertThat(history.out.lines().filter(line -> line.startsWith("    "))).as("each entry's preview")
                .containsExactly("    body", "    body", "    body");
        assertThat(history.out.lines().filter(line -> !line.startsWith("    "))).hasSize(3)
                .anyMatch(line -> line.contains(" " + DRAFTS + " ") && line.contains("draft"))
                .anyMatch(line -> line.contains(" " + SENT + " ") && line.contains("sent"));
        assertThat(history.out).doesNotContain("&APw-").doesNotContain("&BB4");

        JsonNode entries = new ObjectMapper().readTree(run("history", "--db", db, "--contact", "dave", "--json").out)
                .get("entries");
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.get("accounts").get(0).get("folder").asText()).isEqualTo(DRAFTS_RAW);
            assertThat(e.get("accounts").get(0).get("folderDisplayName").asText()).isEqualTo(DRAFTS);
        });

        Path again = dir.resolve("again");
        Run json = run(connection("sync", "--db", "jdbc:h2:" + again.toAbsolutePath(), "--contacts",
                contacts.toString(), "--folders", folders, "--json"));
        assertThat(json.code).as(json.err).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out);
        assertThat(report.get("folders").findValuesAsText("name")).containsExactly("INBOX", DRAFTS_RAW, SENT_RAW);
        assertThat(report.get("folders").findValuesAsText("displayName")).containsExactly("INBOX", DRAFTS, SENT);
    }

    @Test
    void probeJsonListsEachFolderRawAndDecoded() throws IOException {
        Run probe = run(connection("probe", "--json"));

        assertThat(probe.code).as(probe.err).isZero();
        JsonNode folders = new ObjectMapper().readTree(probe.out).get("folders");
        assertThat(folders).anySatisfy(f -> {
            assertThat(f.get("name").asText()).isEqualTo(SENT_RAW);
            assertThat(f.get("displayName").asText()).isEqualTo(SENT);
        });
    }

    @Test
    void aProbeShowsTheCapabilitiesThatMatterAndKeepsEveryOneInJson() throws IOException {
        String afterLogin = "IMAP4rev1 LOGINDISABLED STARTTLS IDLE CONDSTORE QRESYNC SPECIAL-USE AUTH=PLAIN"
                + " AUTH=XOAUTH2 XYZZY";
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("(?i)\\S+ CAPABILITY", List.of("* CAPABILITY IMAP4rev1", "{tag} OK CAPABILITY completed"));
        answers.put("(?is)\\S+ LOGIN .*", List.of("{tag} OK [CAPABILITY " + afterLogin + "] Logged in"));
        answers.put("(?i)\\S+ LIST .*", List.of("* LIST (\\HasNoChildren) \"/\" INBOX", "{tag} OK LIST completed"));
        answers.put("(?i)\\S+ NOOP", List.of("{tag} OK NOOP completed"));
        try (ScriptedImapServer scripted = ScriptedImapServer.startImplicitTls(TestCertificates.localhost(),
                new Script().send("* OK [CAPABILITY IMAP4rev1] ready").answerCommands(answers))) {
            Run text = run(connection(scripted.port(), "probe"));
            Run json = run(connection(scripted.port(), "probe", "--json"));

            assertThat(text.code).as(text.err).isZero();
            assertThat(text.out).contains("Capabilities: IDLE CONDSTORE QRESYNC SPECIAL-USE; sign-in: PLAIN, XOAUTH2;"
                    + " 4 more with --json").doesNotContain("LOGINDISABLED").doesNotContain("XYZZY");
            assertThat(json.code).as(json.err).isZero();
            assertThat(new ObjectMapper().readTree(json.out).get("capabilities")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("IMAP4REV1", "LOGINDISABLED", "STARTTLS", "IDLE", "CONDSTORE", "QRESYNC",
                            "SPECIAL-USE", "AUTH=PLAIN", "AUTH=XOAUTH2", "XYZZY");
        }
    }

    private static String[] connection(String command, String... more) {
        return connection(server.imapsPort(), command, more);
    }

    private static String[] connection(int port, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--security", "ssl", "--user", USER,
                "--password-env", "IMAP_PASSWORD", "--trust-cert", certificate.toString()));
        if (command.equals("sync")) {
            args.add("--record-internal"); // this mailbox's contacts share the user's domain: internal mail
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ENV);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
    }
}
