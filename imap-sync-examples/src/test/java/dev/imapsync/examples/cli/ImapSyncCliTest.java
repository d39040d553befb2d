package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes, one-line errors and the documented JSON. */
class ImapSyncCliTest {
    private static final String USER = "carol@example.test";
    private static final String PASSWORD = "pa55-word-for-carol";
    private static final Map<String, String> ENV = Map.of("IMAP_PASSWORD", PASSWORD, "WRONG_PASSWORD", "nope");

    private static GreenMailTls server;
    private static Path certificate;

    @BeforeAll
    static void start(@TempDir Path dir) {
        server = GreenMailTls.start(TestCertificates.localhost());
        var user = server.addUser(USER, PASSWORD);
        server.append(user, "INBOX", "From: dave@client.example\nTo: " + USER + "\nSubject: hello\n\nbody\n");
        server.append(user, "Sent", "From: " + USER + "\nTo: dave@client.example\nSubject: re: hello\n\nbody\n");
        server.append(user, "Junk", "From: spam@elsewhere.example\nTo: " + USER + "\nSubject: win\n\nbody\n");
        certificate = TestCertificates.localhost().writePem(dir.resolve("server.pem"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ENV);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] connection(String command, String security, String passwordEnv, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--host", "127.0.0.1",
                "--port", Integer.toString(server.imapsPort()), "--security", security, "--user", USER,
                "--password-env", passwordEnv, "--trust-cert", certificate.toString()));
        if (command.equals("sync")) {
            args.add("--record-internal"); // this mailbox's contacts share the user's domain: internal mail
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void probeJsonHasTheDocumentedShape() throws IOException {
        Run run = run(connection("probe", "starttls", "IMAP_PASSWORD", "--json"));

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.err).isEmpty();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("endpoint").get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(json.get("endpoint").get("port").asInt()).isEqualTo(server.imapsPort());
        assertThat(json.get("endpoint").get("security").asText()).isEqualTo("ssl");
        assertThat(json.get("provider").asText()).isEqualTo("generic");
        assertThat(json.get("capabilities").isArray()).isTrue();
        assertThat(json.get("failure").isNull()).isTrue();
        JsonNode first = json.get("attempts").get(0);
        assertThat(first.get("security").asText()).isEqualTo("starttls");
        assertThat(first.get("outcome").asText()).isNotEqualTo("OK");
        assertThat(first.has("host") && first.has("port") && first.has("millis")).isTrue();
        assertThat(json.get("folders").findValuesAsText("name")).contains("INBOX", "Sent", "Junk");
        assertThat(json.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void failedProbeExitsNonZeroWithOneLineReason() throws IOException {
        Run run = run(connection("probe", "ssl", "WRONG_PASSWORD", "--json"));

        assertThat(run.code).isEqualTo(1);
        assertThat(run.err.lines()).hasSize(1);
        assertThat(run.err).startsWith("probe failed: AUTH_FAILED: Account carol@example.test at 127.0.0.1:"
                + server.imapsPort() + " (ssl): the server rejected the credentials");
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("failure").get("kind").asText()).isEqualTo("AUTH_FAILED");
        assertThat(json.get("failure").get("hint").asText()).isNotBlank();
        assertThat(json.get("endpoint").isNull()).isTrue();
    }

    @Test
    void foldersJsonRecommendsInboxAndSent() throws IOException {
        Run run = run(connection("folders", "ssl", "IMAP_PASSWORD", "--json"));

        assertThat(run.code).as(run.err).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("recommended").toString()).isEqualTo("[\"INBOX\",\"Sent\"]");
        JsonNode junk = null;
        for (JsonNode f : json.get("folders")) {
            if (f.get("name").asText().equals("Junk")) {
                junk = f;
            }
        }
        assertThat(junk).isNotNull();
        assertThat(junk.get("displayName").asText()).isEqualTo("Junk");
        assertThat(junk.get("roles").toString()).isEqualTo("[\"junk\"]");
        assertThat(json.get("warnings").isArray()).isTrue();
    }

    @Test
    void foldersAsTextShowTheRecommendation() {
        Run run = run(connection("folders", "ssl", "IMAP_PASSWORD"));

        assertThat(run.code).isZero();
        assertThat(run.out).contains("Recommended: INBOX, Sent");
    }

    @Test
    void usageErrorsExitWithCodeTwoAndOneLine() {
        Run missingUser = run("probe", "--host", "127.0.0.1", "--password-env", "IMAP_PASSWORD");
        assertThat(missingUser.code).isEqualTo(2);
        assertThat(missingUser.err.lines()).hasSize(1);
        assertThat(missingUser.err).contains("--user");

        Run badMode = run("probe", "--host", "127.0.0.1", "--security", "tls1", "--user", USER,
                "--password-env", "IMAP_PASSWORD");
        assertThat(badMode.code).isEqualTo(2);
        assertThat(badMode.err).isEqualTo("usage error: Unknown security mode 'tls1': use ssl, starttls or none"
                + System.lineSeparator());

        Run noPassword = run("probe", "--host", "127.0.0.1", "--user", USER, "--password-env", "NOT_SET");
        assertThat(noPassword.code).isEqualTo(2);
        assertThat(noPassword.err).startsWith("usage error: The environment variable NOT_SET named by"
                + " --password-env is not set or empty");

        Run cleartext = run("probe", "--host", "127.0.0.1", "--security", "none", "--user", USER,
                "--password-env", "IMAP_PASSWORD");
        assertThat(cleartext.code).isEqualTo(2);
        assertThat(cleartext.err).contains("is cleartext").contains("allowInsecure");
    }

    @Test
    void demoRunsWithoutAnyAccount() {
        Run run = run("demo");

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("(starttls)").contains("(ssl) works")
                .contains("recommended")
                .contains("FAILED (AUTH_FAILED)")
                .contains("FAILED (TLS_UNTRUSTED)")
                .contains("Maria Schmidt, Kunde GmbH (#1001)")
                .contains("OUTBOUND TO   Sent   Re: Quote request: 40 units")
                .contains("Invitation: Acme product webinar  (one entry: in demo-alex's INBOX and demo-sam's Sent)")
                .contains("Sofia Rossi, Rossi Moda (#1010): no mail yet")
                // the newsletter and the colleagues' own thread: kept out by the privacy defaults, and counted
                .contains("kept out by the privacy rules: 1 bulk, 1 internal")
                .doesNotContain("Your weekly digest")
                .contains("INBOX  up to date, 0 fetched");
    }

    @Test
    void syncThenHistoryAndStatusReadWhatItWrote(@TempDir Path dir) throws IOException {
        Path contacts = Files.writeString(dir.resolve("contacts.csv"),
                "# contact_id,email[,email...]\ndave,dave@client.example\n", StandardCharsets.UTF_8);
        String db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();

        Run sync = run(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db, "--contacts", contacts.toString(),
                "--json"));

        assertThat(sync.code).as(sync.err).isZero();
        JsonNode report = new ObjectMapper().readTree(sync.out);
        assertThat(report.get("accountId").asText()).isEqualTo(USER);
        assertThat(report.get("status").asText()).isEqualTo("OK");
        assertThat(report.get("fetched").asInt()).isEqualTo(2);
        assertThat(report.get("matched").asInt()).isEqualTo(2);
        assertThat(report.get("activities").asInt()).isEqualTo(2);
        assertThat(report.get("folders").findValuesAsText("name")).containsExactly("INBOX", "Sent");
        assertThat(report.get("folders").get(0).has("uidValidity")).isTrue();
        assertThat(report.get("folders").get(0).get("lastUid").asInt()).isEqualTo(1);

        Run read = run("history", "--db", db, "--contact", "dave", "--json");
        assertThat(read.code).as(read.err).isZero();
        JsonNode history = new ObjectMapper().readTree(read.out);
        assertThat(history.get("contactId").asText()).isEqualTo("dave");
        assertThat(history.get("next").isNull()).isTrue();
        JsonNode entries = history.get("entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.findValuesAsText("direction")).containsExactlyInAnyOrder("INBOUND", "OUTBOUND");
        for (JsonNode entry : entries) {
            assertThat(entry.has("messageKey") && entry.has("date") && entry.has("subject") && entry.has("from")
                    && entry.has("fromName") && entry.has("threadId")).as(entry.toString()).isTrue();
            JsonNode account = entry.get("accounts").get(0);
            assertThat(account.get("accountId").asText()).isEqualTo(USER);
            assertThat(account.get("folder").asText()).isIn("INBOX", "Sent");
            assertThat(account.get("uid").asLong()).isPositive();
        }
        assertThat(entries.findValues("roles")).extracting(JsonNode::toString)
                .containsExactlyInAnyOrder("[\"to\"]", "[\"from\"]");

        JsonNode status = new ObjectMapper().readTree(run("status", "--db", db, "--json").out);
        assertThat(status).hasSize(1);
        assertThat(status.get(0).get("accountId").asText()).isEqualTo(USER);
        assertThat(status.get(0).get("status").asText()).isEqualTo("OK");
        assertThat(status.get(0).get("lastSyncedAt").isNull()).isFalse();

        Run again = run(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db, "--contacts", contacts.toString(),
                "--json"));
        assertThat(new ObjectMapper().readTree(again.out).get("fetched").asInt()).isZero();
    }

    @Test
    void historyPagesWithTheCursorItPrintsAndContactsListsTheBusiest(@TempDir Path dir) throws IOException {
        Path contacts = Files.writeString(dir.resolve("contacts.csv"), "dave,dave@client.example\n",
                StandardCharsets.UTF_8);
        String db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        Run sync = run(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db, "--contacts", contacts.toString()));
        assertThat(sync.code).as(sync.err).isZero();
        ObjectMapper json = new ObjectMapper();

        Run page = run("history", "--db", db, "--contact", "dave", "--limit", "1", "--json");
        assertThat(page.code).as(page.err).isZero();
        JsonNode first = json.readTree(page.out);
        String next = first.get("next").asText();
        JsonNode second = json.readTree(run("history", "--db", db, "--contact", "dave", "--limit", "1",
                "--before", next, "--json").out);

        assertThat(first.get("entries")).hasSize(1);
        assertThat(second.get("entries")).hasSize(1);
        assertThat(first.get("entries").get(0).get("preview").asText()).isEqualTo("body");
        assertThat(List.of(first.get("entries").get(0).get("subject").asText(),
                second.get("entries").get(0).get("subject").asText())).containsExactlyInAnyOrder("hello", "re: hello");
        assertThat(second.get("next").isNull()).isTrue();
        Run text = run("history", "--db", db, "--contact", "dave", "--limit", "1");
        assertThat(text.out.lines()).as("the entry, its preview, the way on").hasSize(3).last()
                .isEqualTo("More: add --before " + next);
        JsonNode elsewhere = json.readTree(run("history", "--db", db, "--contact", "dave", "--account",
                "someone-else@elsewhere.example", "--json").out);
        assertThat(elsewhere.get("entries")).isEmpty();

        Run garbled = run("history", "--db", db, "--contact", "dave", "--before", "not-a-cursor");
        assertThat(garbled.code).isEqualTo(ExitCodes.USAGE);
        assertThat(garbled.err.lines()).singleElement().asString().startsWith("usage error: --before:")
                .contains("cursor");
        Run tooMany = run("history", "--db", db, "--contact", "dave", "--limit", "501");
        assertThat(tooMany.code).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.err).contains("--limit 501").contains("--before");

        JsonNode busiest = json.readTree(run("contacts", "--db", db, "--json").out);
        assertThat(busiest).hasSize(1);
        assertThat(busiest.get(0).get("contactId").asText()).isEqualTo("dave");
        assertThat(busiest.get(0).get("messages").asLong()).isEqualTo(2);
        assertThat(busiest.get(0).get("lastInbound").isNull()).isFalse();
        assertThat(busiest.get(0).get("lastOutbound").isNull()).isFalse();
        Run listed = run("contacts", "--db", db, "--limit", "1");
        assertThat(listed.code).as(listed.err).isZero();
        assertThat(listed.out.lines()).singleElement().asString().startsWith("dave ").contains("2 messages");
        assertThat(run("contacts", "--db", db, "--limit", "0").code).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void syncRefusesABadContactsFileWithOneLine(@TempDir Path dir) throws IOException {
        Path contacts = Files.writeString(dir.resolve("bad.csv"), "dave\n", StandardCharsets.UTF_8);
        String db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();

        Run bad = run(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db, "--contacts", contacts.toString()));
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err.lines()).hasSize(1);
        assertThat(bad.err).startsWith("usage error: --contacts").contains("Line 1");
    }

    @Test
    void aFolderThatIsGoneFailsAloneWhileTheOthersSync(@TempDir Path dir) throws IOException {
        Path contacts = Files.writeString(dir.resolve("c.csv"), "dave,dave@client.example\n", StandardCharsets.UTF_8);
        String db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();

        // "Sent Items" is not on this server (a folder renamed since it was chosen): "Sent" is
        Run run = run(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db, "--contacts", contacts.toString(),
                "--folders", "INBOX,Sent Items", "--json"));

        assertThat(run.code).as(run.err).isEqualTo(1);
        assertThat(run.err.lines()).hasSize(1);
        JsonNode report = new ObjectMapper().readTree(run.out);
        assertThat(report.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(report.get("fetched").asInt()).as("INBOX synced").isEqualTo(1);
        JsonNode missing = null;
        for (JsonNode folder : report.get("folders")) {
            if (folder.get("name").asText().equals("Sent Items")) {
                missing = folder;
            }
        }
        assertThat(missing).as(report.toString()).isNotNull();
        assertThat(missing.get("failure").get("message").asText()).contains("Sent Items").contains("\"Sent\"");
        assertThat(missing.get("failure").get("hint").asText()).isNotBlank();

        JsonNode status = new ObjectMapper().readTree(run("status", "--db", db, "--json").out).get(0);
        assertThat(status.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(status.get("message").asText()).contains("Sent Items").contains("\"Sent\"");
        assertThat(status.get("lastSyncedAt").isNull()).isFalse();
    }

    @Test
    void aSyncThatFailsBeforeItsFirstFolderIsRecordedAndReported(@TempDir Path dir) throws IOException {
        Path contacts = Files.writeString(dir.resolve("c.csv"), "dave,dave@client.example\n", StandardCharsets.UTF_8);
        String db = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        assertThat(run(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db, "--contacts", contacts.toString()))
                .code).isZero();

        Run wrong = run(connection("sync", "ssl", "WRONG_PASSWORD", "--db", db, "--contacts", contacts.toString(),
                "--json"));

        assertThat(wrong.code).isEqualTo(1);
        assertThat(wrong.err.lines()).hasSize(1);
        assertThat(wrong.err).startsWith("sync AUTH_FAILED: ");
        JsonNode report = new ObjectMapper().readTree(wrong.out);
        assertThat(report.get("status").asText()).isEqualTo("AUTH_FAILED");
        assertThat(report.get("failure").get("kind").asText()).isEqualTo("AUTH_FAILED");
        assertThat(report.get("failure").get("hint").asText()).isNotBlank();
        assertThat(report.get("folders")).isEmpty();
        assertThat(report.toString()).doesNotContain(PASSWORD).doesNotContain("nope");
        JsonNode status = new ObjectMapper().readTree(run("status", "--db", db, "--json").out).get(0);
        assertThat(status.get("status").asText()).isEqualTo("AUTH_FAILED");
        assertThat(status.get("message").asText()).contains("the server rejected the credentials");
        assertThat(status.get("lastSyncedAt").isNull()).as("the sync before it worked").isFalse();

        Path untrusted = Files.writeString(dir.resolve("other.pem"),
                TestCertificates.otherHost().pem(), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(connection("sync", "ssl", "IMAP_PASSWORD", "--db", db,
                "--contacts", contacts.toString())));
        args.set(args.indexOf(certificate.toString()), untrusted.toString());
        Run text = run(args.toArray(String[]::new));
        assertThat(text.code).isEqualTo(1);
        assertThat(text.out).startsWith("TLS_FAILED: 0 messages read").contains("TLS_UNTRUSTED: ");
        assertThat(new ObjectMapper().readTree(run("status", "--db", db, "--json").out).get(0).get("status")
                .asText()).isEqualTo("TLS_FAILED");
    }

    private record Run(int code, String out, String err) {
    }
}
