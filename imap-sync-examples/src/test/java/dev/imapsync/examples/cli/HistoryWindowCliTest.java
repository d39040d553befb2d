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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history window from the command line: {@code sync --initial-days 30} imports recent mail
 * and says what it left out; a later {@code --initial-days 365} imports exactly the older
 * messages in the wider window, once; {@code accounts reset} and {@code accounts remove
 * --purge-history} start over.
 */
class HistoryWindowCliTest {
    private static final String USER = "fay@example.test";
    private static final String PASSWORD = "pa55-word-for-fay";
    private static final Map<String, String> ENV = Map.of("IMAP_PASSWORD", PASSWORD);

    @TempDir
    Path dir;
    private GreenMailTls server;
    private Path certificate;
    private Path contacts;
    private String db;

    @BeforeEach
    void start() throws IOException {
        server = GreenMailTls.start(TestCertificates.localhost());
        var user = server.addUser(USER, PASSWORD);
        Instant now = Instant.now();
        receive(user, 3, now.minus(Duration.ofDays(500)), "ancient");
        receive(user, 4, now.minus(Duration.ofDays(200)), "old");
        receive(user, 2, now.minus(Duration.ofDays(5)), "new");
        certificate = TestCertificates.localhost().writePem(dir.resolve("server.pem"));
        contacts = Files.writeString(dir.resolve("contacts.csv"), "c-dave,dave@client.example\n");
        db = "jdbc:h2:" + dir.resolve("crm").toAbsolutePath();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void receive(com.icegreen.greenmail.user.GreenMailUser user, int count, Instant date, String prefix) {
        for (int i = 0; i < count; i++) {
            server.append(user, "INBOX", "From: Dave <dave@client.example>\nTo: " + USER + "\nMessage-ID: <" + prefix + i
                    + "@example.test>\nSubject: " + prefix + " " + i + "\n\nbody\n", date.plusSeconds(60L * i));
        }
    }

    @Test
    void aLargerInitialDaysLaterImportsExactlyTheOlderMessagesOnce() throws IOException, SQLException {
        JsonNode first = syncJson(30);
        assertThat(first.get("status").asText()).isEqualTo("OK");
        assertThat(first.get("fetched").asLong()).isEqualTo(2);
        assertThat(first.get("leftOut").asLong()).isEqualTo(7);
        assertThat(first.get("folders").get(0).get("leftOut").asLong()).isEqualTo(7);
        assertThat(subjects()).containsExactlyInAnyOrder("new 0", "new 1");
        Run status = run("status", "--db", db);
        assertThat(status.out).contains("7 older messages were not imported; widen the window to import them");

        JsonNode wider = syncJson(365);
        assertThat(wider.get("fetched").asLong()).isEqualTo(4);
        assertThat(wider.get("leftOut").asLong()).isEqualTo(3);
        assertThat(subjects()).containsExactlyInAnyOrder("new 0", "new 1", "old 0", "old 1", "old 2", "old 3");

        JsonNode again = syncJson(365);
        assertThat(again.get("fetched").asLong()).isZero();
        assertThat(again.get("folders").get(0).get("upToDate").asBoolean()).isTrue();

        Run text = run(sync(1000));
        assertThat(text.code).as(text.err).isZero();
        assertThat(text.out).doesNotContain("older left out");
        assertThat(subjects()).hasSize(9).doesNotHaveDuplicates();
    }

    @Test
    void resetStartsOverKeepingHistoryAndPurgeDeletesIt() throws IOException, SQLException {
        syncJson(30);

        Run reset = run("accounts", "reset", "--db", db, "--id", USER);
        assertThat(reset.code).as(reset.err).isZero();
        assertThat(reset.out).contains("Account " + USER + ": forgot the checkpoints of 1 folder(s); its history stays.");
        assertThat(subjects()).hasSize(2);
        JsonNode resynced = syncJson(30);
        assertThat(resynced.get("fetched").asLong()).isEqualTo(2);
        assertThat(resynced.get("activities").asLong()).isZero();

        Run purged = run("accounts", "reset", "--db", db, "--id", USER, "--purge-history", "--json");
        assertThat(purged.code).as(purged.err).isZero();
        JsonNode json = new ObjectMapper().readTree(purged.out);
        assertThat(json.get("folders").asInt()).isEqualTo(1);
        assertThat(json.get("messages").asLong()).isEqualTo(2);
        assertThat(subjects()).isEmpty();

        syncJson(30);
        Run removed = run("accounts", "remove", "--db", db, "--id", USER, "--purge-history");
        assertThat(removed.code).as("history of an account that is not stored is purged: " + removed.err).isZero();
        assertThat(removed.out).contains("forgot the checkpoints of 1 folder(s) and purged 2 message(s)");
        assertThat(subjects()).isEmpty();
        assertThat(run("accounts", "remove", "--db", db, "--id", USER, "--purge-history").code).isEqualTo(1);
    }

    private JsonNode syncJson(int days) throws IOException {
        List<String> args = new ArrayList<>(List.of(sync(days)));
        args.add("--json");
        Run run = run(args.toArray(String[]::new));
        assertThat(run.code).as(run.err).isZero();
        return new ObjectMapper().readTree(run.out);
    }

    private String[] sync(int days) {
        return new String[] {"sync", "--host", "127.0.0.1", "--port", Integer.toString(server.imapsPort()),
            "--security", "ssl", "--user", USER, "--password-env", "IMAP_PASSWORD", "--trust-cert",
            certificate.toString(), "--db", db, "--contacts", contacts.toString(), "--folders", "INBOX",
            "--initial-days", Integer.toString(days), "--record-internal"}; // contacts share the user's domain
    }

    private List<String> subjects() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        List<String> subjects = new ArrayList<>();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT subject FROM imapsync_message")) {
            while (rs.next()) {
                subjects.add(rs.getString(1));
            }
        }
        return subjects;
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
