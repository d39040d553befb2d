package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show} from the command line, after a {@code sync} into an H2 file: the email's text and
 * attachments with the stored account, the JSON answer, an attachment saved byte for byte or
 * refused over the cap, and one-line errors for an unknown key, a missing account and a message
 * that is gone.
 */
class ShowCliTest {
    private static final String USER = "gus@example.test";
    private static final String PASSWORD = "pa55-word-for-gus";
    private static final Map<String, String> ENV = Map.of("IMAP_PASSWORD", PASSWORD);
    private static final String KEY = "mid:quote-7@client.example";
    private static final byte[] PDF = new byte[40_000];

    static {
        new Random(3).nextBytes(PDF);
    }

    @TempDir
    Path dir;
    private GreenMailTls server;
    private GreenMailUser user;
    private Path certificate;
    private String db;

    @BeforeEach
    void start() throws IOException {
        server = GreenMailTls.start(TestCertificates.localhost());
        user = server.addUser(USER, PASSWORD);
        server.append(user, "INBOX", message(), Instant.now());
        certificate = TestCertificates.localhost().writePem(dir.resolve("server.pem"));
        Path contacts = Files.writeString(dir.resolve("contacts.csv"), "c-dora,dora@client.example\n");
        db = "jdbc:h2:" + dir.resolve("crm").toAbsolutePath();
        Run added = run("accounts", "add", "--db", db, "--id", USER, "--host", "127.0.0.1", "--port",
                Integer.toString(server.imapsPort()), "--security", "ssl", "--user", USER, "--password-env",
                "IMAP_PASSWORD", "--trust-cert", certificate.toString(), "--folders", "INBOX");
        assertThat(added.code).as(added.err).isZero();
        Run synced = run("sync", "--host", "127.0.0.1", "--port", Integer.toString(server.imapsPort()), "--security",
                "ssl", "--user", USER, "--password-env", "IMAP_PASSWORD", "--trust-cert", certificate.toString(),
                "--db", db, "--contacts", contacts.toString(), "--folders", "INBOX");
        assertThat(synced.code).as(synced.err).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String message() {
        return "From: Dora Client <dora@client.example>\nTo: " + USER + "\nSubject: Quote 7\n"
                + "Message-ID: <quote-7@client.example>\nDate: Tue, 3 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n"
                + "Content-Type: multipart/alternative; boundary=\"b2\"\n\n--b2\n"
                + "Content-Type: text/plain; charset=UTF-8\n\nHello Gus,\nthe quote is attached.\n--b2\n"
                + "Content-Type: text/html; charset=UTF-8\n\n<p onclick=\"x()\">Hello <b>Gus</b></p><script>alert(1)</script>"
                + "<img src=\"https://tracker.example/p.gif\">\n--b2--\n--b1\n"
                + "Content-Type: application/pdf; name=\"quote.pdf\"\nContent-Disposition: attachment; filename=\"quote.pdf\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + Base64.getMimeEncoder().encodeToString(PDF) + "\n--b1--\n";
    }

    @Test
    void showsTheEmailsTextAndAttachmentsWithTheStoredAccount() {
        Run run = run("show", "--db", db, "--message", KEY);

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("From:    Dora Client <dora@client.example>").contains("Subject: Quote 7")
                .contains("Folder:  INBOX, UID 1").contains("Hello Gus,\nthe quote is attached.")
                .containsPattern("  2 +quote\\.pdf +application/pdf +\\d+ bytes")
                .contains("Note: 1 remote image(s) held back");
    }

    @Test
    void answersInJsonWithTheSanitizedHtml() throws IOException {
        Run run = run("show", "--db", db, "--message", KEY, "--json");

        assertThat(run.code).as(run.err).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("messageKey").asText()).isEqualTo(KEY);
        assertThat(json.get("subject").asText()).isEqualTo("Quote 7");
        assertThat(json.get("from").get(0).get("address").asText()).isEqualTo("dora@client.example");
        assertThat(json.get("to").get(0).get("address").asText()).isEqualTo(USER);
        assertThat(json.get("cc")).isEmpty();
        assertThat(json.get("date").asText()).isEqualTo("2026-11-03T10:00:00Z");
        assertThat(json.get("text").asText()).isEqualTo("Hello Gus,\nthe quote is attached.");
        assertThat(json.get("html").asText()).isEqualTo("<p>Hello <b>Gus</b></p>"
                + "<img data-remote-src=\"https://tracker.example/p.gif\">");
        assertThat(json.get("attachments").get(0).get("name").asText()).isEqualTo("quote.pdf");
        assertThat(json.get("attachments").get(0).get("part").asText()).isEqualTo("2");
        assertThat(json.get("attachments").get(0).get("type").asText()).isEqualTo("application/pdf");
        assertThat(json.get("folder").asText()).isEqualTo("INBOX");
        assertThat(json.get("uid").asLong()).isEqualTo(1);
    }

    @Test
    void savesAnAttachmentByteForByteAndRefusesOneOverTheCap() throws IOException {
        Path file = dir.resolve("quote.pdf");
        Run saved = run("show", "--db", db, "--message", KEY, "--save-attachment", "quote.pdf", "--to", file.toString());

        assertThat(saved.code).as(saved.err).isZero();
        assertThat(saved.out).contains("Saved quote.pdf (40000 bytes) to " + file);
        assertThat(Files.readAllBytes(file)).isEqualTo(PDF);

        Path small = dir.resolve("small.pdf");
        Run refused = run("show", "--db", db, "--message", KEY, "--save-attachment", "quote.pdf", "--to",
                small.toString(), "--max-attachment-bytes", "1000");
        assertThat(refused.code).isEqualTo(ExitCodes.FAILED);
        assertThat(lines(refused.err)).singleElement().asString()
                .startsWith("show: Part 2 of the email (UID 1 in folder INBOX) has at least ")
                .contains("more than the cap of 1000 bytes");
        assertThat(small).doesNotExist();
        assertThat(dir.resolve("small.pdf.part")).doesNotExist();

        Run unknown = run("show", "--db", db, "--message", KEY, "--save-attachment", "nope.doc", "--to", small.toString());
        assertThat(unknown.code).isEqualTo(ExitCodes.FAILED);
        assertThat(lines(unknown.err)).containsExactly("show: the email has no attachment named 'nope.doc'; it has quote.pdf");
    }

    @Test
    void opensWithTheConnectionOptionsOfSyncInsteadOfAStoredAccount() {
        Run run = run("show", "--db", db, "--message", KEY, "--host", "127.0.0.1", "--port",
                Integer.toString(server.imapsPort()), "--security", "ssl", "--user", USER, "--password-env",
                "IMAP_PASSWORD", "--trust-cert", certificate.toString());

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("Subject: Quote 7");
    }

    @Test
    void saysInOneLineWhatIsWrong() throws Exception {
        Run unknown = run("show", "--db", db, "--message", "mid:nope@client.example");
        assertThat(unknown.code).isEqualTo(ExitCodes.FAILED);
        assertThat(lines(unknown.err)).containsExactly("show: no account holds message mid:nope@client.example in "
                + db + ": check the key ('history --json' lists them), or give --account to search an account");

        Run notAKey = run("show", "--db", db, "--message", "quote-7@client.example");
        assertThat(notAKey.code).isEqualTo(ExitCodes.USAGE);
        assertThat(notAKey.err).startsWith("usage error: --message: Not a message key: 'quote-7@client.example'");

        Run missing = run("show", "--db", db, "--message", KEY, "--account", "someone-else");
        assertThat(missing.code).isEqualTo(ExitCodes.FAILED);
        assertThat(lines(missing.err)).containsExactly("show: account someone-else is not stored in " + db + ": add it"
                + " with 'accounts add --id someone-else …', or give the connection options of 'sync' (--host, --user,"
                + " --password-env)");

        server.greenMail().getManagers().getImapHostManager().getInbox(user).deleteAllMessages();
        Run gone = run("show", "--db", db, "--message", KEY);
        assertThat(gone.code).isEqualTo(ExitCodes.FAILED);
        assertThat(lines(gone.err)).containsExactly("show: This email is no longer in the mailbox of account " + USER
                + ": it is not where it was recorded (INBOX UID 1) nor, by its Message-ID, in INBOX. It was deleted or"
                + " moved to a folder that is not synced; it stays on the timeline.");
    }

    /** The lines of stderr but the development key's warning. */
    private static List<String> lines(String err) {
        List<String> out = new ArrayList<>();
        for (String line : err.split("\n")) {
            if (!line.isBlank() && !line.startsWith("warning: IMAPSYNC_KEY is not set")) {
                out.add(line);
            }
        }
        return out;
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
