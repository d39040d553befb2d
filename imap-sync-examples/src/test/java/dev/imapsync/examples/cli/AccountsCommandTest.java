package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.account.Credentials;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.AccountUnavailableException;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accounts add|list|remove|new-key} as a user runs them, against an H2 file. */
class AccountsCommandTest {
    private static final String USER = "erin@example.test";
    private static final String PASSWORD = "s3cret-Erin-passw0rd";
    private static final String NL = System.lineSeparator();

    private static GreenMailTls server;
    private static Path certificate;

    @TempDir
    Path dir;
    private String db;
    private Path dbFile;
    private final Map<String, String> env = new HashMap<>(Map.of("IMAP_PASSWORD", PASSWORD, "WRONG", "nope"));

    @BeforeAll
    static void start(@TempDir Path certDir) {
        server = GreenMailTls.start(TestCertificates.localhost());
        var user = server.addUser(USER, PASSWORD);
        server.append(user, "INBOX", "From: dave@example.test\nTo: " + USER + "\nSubject: hello\n\nbody\n");
        server.append(user, "Sent", "From: " + USER + "\nTo: dave@example.test\nSubject: re\n\nbody\n");
        certificate = TestCertificates.localhost().writePem(certDir.resolve("server.pem"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void database() {
        dbFile = dir.resolve("data").resolve("crm");
        db = "jdbc:h2:" + dbFile.toAbsolutePath();
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.copyOf(env));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String[] add(String id, String... more) {
        List<String> args = new ArrayList<>(List.of("accounts", "add", "--db", db, "--id", id,
                "--host", "imap.example.test", "--security", "ssl", "--user", USER, "--password-env", "IMAP_PASSWORD"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private Path keyFile() {
        return dbFile.resolveSibling("crm.imapsync-key");
    }

    private SecretKeys keysFromFile() throws IOException {
        return SecretKeys.parse(Files.readAllLines(keyFile()).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.joining(",")));
    }

    private JdbcAccountRepository repository(SecretKeys keys) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        return JdbcAccountRepository.builder(h2).keys(keys).build();
    }

    @Test
    void addListRemoveRoundTrip() throws IOException, SQLException {
        Run added = run(add("erin", "--email", USER, "--alias", "e@example.test", "--folders", "INBOX,Sent",
                "--initial-days", "30", "--interval", "5m"));

        assertThat(added.code).as(added.err).isZero();
        assertThat(added.out).startsWith("Added account erin: " + USER + " at imap.example.test:993 (ssl), folders:"
                + " INBOX, Sent, interval: 5m; password encrypted with key 'dev-");
        assertThat(added.err).startsWith("warning: IMAPSYNC_KEY is not set, so account passwords are encrypted with"
                + " the development key just made in " + keyFile());
        assertThat(added.err).contains("For development only").contains("accounts new-key");

        Run list = run("accounts", "list", "--db", db);
        assertThat(list.code).as(list.err).isZero();
        assertThat(list.err).isEmpty();
        assertThat(list.out.lines()).hasSize(2);
        assertThat(list.out.lines().findFirst().orElseThrow())
                .matches("ID +SERVER +SECURITY +USER +EMAIL +FOLDERS +INTERVAL");
        assertThat(list.out.lines().skip(1).findFirst().orElseThrow()).matches(
                "erin +imap\\.example\\.test:993 +ssl +erin@example\\.test +erin@example\\.test +INBOX, Sent +5m");

        Run listJson = run("accounts", "list", "--db", db, "--json");
        assertThat(listJson.code).isZero();
        JsonNode accounts = new ObjectMapper().readTree(listJson.out);
        assertThat(accounts.size()).isEqualTo(1);
        JsonNode erin = accounts.get(0);
        assertThat(erin.get("id").asText()).isEqualTo("erin");
        assertThat(erin.get("host").asText()).isEqualTo("imap.example.test");
        assertThat(erin.get("port").asInt()).isEqualTo(993);
        assertThat(erin.get("security").asText()).isEqualTo("ssl");
        assertThat(erin.get("user").asText()).isEqualTo(USER);
        assertThat(erin.get("email").asText()).isEqualTo(USER);
        assertThat(erin.get("folders").toString()).isEqualTo("[\"INBOX\",\"Sent\"]");
        assertThat(erin.get("interval").asText()).isEqualTo("PT5M");
        assertThat(erin.get("auth").asText()).isEqualTo("password");
        assertThat(listJson.out).doesNotContain(PASSWORD);

        // what was stored, read back with the development key
        ManagedAccount stored = repository(keysFromFile()).find("erin").orElseThrow();
        assertThat(((Credentials.Password) stored.account().credentials()).password().reveal()).isEqualTo(PASSWORD);
        assertThat(stored.account().aliases()).containsExactly("e@example.test");
        assertThat(stored.initialWindow()).contains(Duration.ofDays(30));
        assertThat(stored.folders()).isEqualTo(FolderChoice.named(List.of("INBOX", "Sent")));
        assertThat(storedRows()).hasSize(1).allSatisfy(row -> assertThat(row).doesNotContain(PASSWORD));

        Run removed = run("accounts", "remove", "--db", db, "--id", "erin");
        assertThat(removed.code).as(removed.err).isZero();
        assertThat(removed.out).isEqualTo("Removed account erin (its history and checkpoints stay; --purge-history deletes them)." + NL);

        Run empty = run("accounts", "list", "--db", db);
        assertThat(empty.code).isZero();
        assertThat(empty.out).startsWith("No accounts stored in " + db);
        assertThat(run("accounts", "list", "--db", db, "--json").out.strip()).isEqualTo("[ ]");
    }

    @Test
    void theDevelopmentKeyIsMadeOnceAndKeptBesideTheDatabase() throws IOException {
        assertThat(run(add("one")).code).isZero();
        String firstKey = Files.readString(keyFile());
        if (Files.getFileAttributeView(keyFile(), java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        }
        try (var files = Files.list(keyFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        Run second = run(add("two", "--recommended"));

        assertThat(second.code).as(second.err).isZero();
        assertThat(second.err).startsWith("warning: IMAPSYNC_KEY is not set, so account passwords are encrypted"
                + " with the development key in " + keyFile() + ".");
        assertThat(Files.readString(keyFile())).isEqualTo(firstKey);
        JdbcAccountRepository repository = repository(keysFromFile());
        for (String id : List.of("one", "two")) {
            ManagedAccount account = repository.find(id).orElseThrow();
            assertThat(((Credentials.Password) account.account().credentials()).password().reveal())
                    .isEqualTo(PASSWORD);
        }
        assertThat(repository.find("two").orElseThrow().folders()).isEqualTo(FolderChoice.recommended());
    }

    @Test
    void aNewDevelopmentKeyWarnsAboutAccountsSavedUnderAnother() throws IOException {
        assertThat(run(add("one")).code).isZero();
        Files.delete(keyFile());

        Run again = run(add("two"));

        assertThat(again.code).isZero();
        assertThat(again.err).contains("warning: the 1 account(s) already in this database were saved under another"
                + " key and cannot be read with the new development key: add them again");
    }

    @Test
    void imapsyncKeyIsUsedWhenSetAndAWrongOneStillLists() {
        String right = SecretKeys.generate("prod-1");
        env.put("IMAPSYNC_KEY", right);
        Run added = run(add("erin", "--json"));
        assertThat(added.code).as(added.err).isZero();
        assertThat(added.err).isEmpty();
        assertThat(keyFile()).doesNotExist();
        assertThat(added.out).doesNotContain(PASSWORD).contains("\"id\" : \"erin\"");

        String wrong = SecretKeys.generate("prod-1");   // same id, other bytes
        env.put("IMAPSYNC_KEY", wrong);
        Run list = run("accounts", "list", "--db", db);
        assertThat(list.code).as(list.err).isZero();
        assertThat(list.out).contains("erin");

        assertThatThrownBy(() -> repository(SecretKeys.parse(wrong)).find("erin"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageStartingWith("The secret of account 'erin' does not decrypt with key 'prod-1'");
        assertThatThrownBy(() -> repository(SecretKeys.parse(SecretKeys.generate("other"))).find("erin"))
                .isInstanceOf(AccountUnavailableException.class)
                .hasMessageContaining("account 'erin' is encrypted with key 'prod-1', which is not configured");
        assertThat(repository(SecretKeys.parse(right)).find("erin")).isPresent();
    }

    @Test
    void aMalformedKeyIsAUsageErrorWithoutKeyMaterial() {
        env.put("IMAPSYNC_KEY", "prod:c2hvcnQ=");   // 5 bytes
        Run run = run(add("erin"));

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).isEqualTo("usage error: IMAPSYNC_KEY is malformed: Key 'prod' is 5 bytes: AES needs 16,"
                + " 24 or 32 (32 recommended; SecretKeys.generate makes one)" + NL);

        env.put("IMAPSYNC_KEY", "c2VjcmV0LWtleS1tYXRlcmlhbA==");
        Run noId = run(add("erin"));
        assertThat(noId.code).isEqualTo(2);
        assertThat(noId.err).startsWith("usage error: IMAPSYNC_KEY is malformed: Key entry 1 is not id:base64key")
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void aDatabaseThatIsNotAnH2FileNeedsImapsyncKey() {
        db = "jdbc:h2:mem:accounts-no-key";
        Run run = run(add("erin"));

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).isEqualTo("usage error: IMAPSYNC_KEY is not set: it holds the key that encrypts stored"
                + " passwords. Make one with 'java -jar imap-sync.jar accounts new-key', keep it in your secrets store"
                + " and set IMAPSYNC_KEY to it (a development key is made only for an H2 file database)" + NL);
        assertThat(run.out).isEmpty();
    }

    @Test
    void newKeyPrintsOnlyAFreshKeyOnStdout() {
        Run first = run("accounts", "new-key");
        Run second = run("accounts", "new-key", "--id", "2027-01");

        assertThat(first.code).isZero();
        assertThat(first.err).isEmpty();
        assertThat(first.out.lines()).hasSize(1);
        assertThat(SecretKeys.parse(first.out.strip()).currentId()).startsWith("key-");
        assertThat(SecretKeys.parse(second.out.strip()).currentId()).isEqualTo("2027-01");
        assertThat(first.out).isNotEqualTo(second.out);
        assertThat(run("accounts", "new-key", "--id", "no spaces").err)
                .startsWith("usage error: --id: Key id 'no spaces' is not usable");
    }

    @Test
    void removingAnUnknownAccountFails() {
        Run run = run("accounts", "remove", "--db", db, "--id", "nobody");

        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).isEqualTo("No account 'nobody' in " + db + ": nothing removed ('accounts list' shows the"
                + " stored ids)" + NL);
    }

    @Test
    void aPasswordArgumentIsRefusedWithoutEchoingIt() {
        Run run = run(add("erin", "--password", "hunter2-typed-in-clear"));

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("usage error: --password is not accepted").contains("--password-env")
                .doesNotContain("hunter2");
        assertThat(run("accounts", "add", "--help").out).doesNotContain("--password ").contains("--password-env");
        assertThat(keyFile()).doesNotExist();
    }

    @Test
    void securityAutoIsNotStoredWithoutAProbe() {
        List<String> args = new ArrayList<>(List.of(add("erin")));
        args.set(args.indexOf("ssl"), "auto");
        Run auto = run(args.toArray(String[]::new));
        assertThat(auto.code).isEqualTo(2);
        assertThat(auto.err).isEqualTo("usage error: --security auto is not stored: give --security ssl, starttls or"
                + " none, or add --probe to find the mode that works and store that" + NL);

        Run noHost = run("accounts", "add", "--db", db, "--id", "erin", "--user", USER, "--password-env", "IMAP_PASSWORD");
        assertThat(noHost.code).isEqualTo(2);
        assertThat(noHost.err).startsWith("usage error: Give --host and --security (ssl, starttls or none), or --probe");
    }

    @Test
    void probeResolvesSecurityAutoAndChecksTheFolders() throws IOException {
        Run probed = run(probeAdd("IMAP_PASSWORD", "--folders", "INBOX,Sent", "--json"));

        assertThat(probed.code).as(probed.err).isZero();
        JsonNode json = new ObjectMapper().readTree(probed.out);
        assertThat(json.get("security").asText()).isEqualTo("ssl");
        assertThat(json.get("port").asInt()).isEqualTo(server.imapsPort());
        Optional<ManagedAccount> stored = repository(keysFromFile()).find("erin");
        assertThat(stored.orElseThrow().account().trustedCertificates()).hasSize(1);

        Run missingFolder = run(probeAdd("IMAP_PASSWORD", "--folders", "INBOX,Nope"));
        assertThat(missingFolder.code).isEqualTo(2);
        assertThat(missingFolder.err).contains("Nope");

        Run wrongPassword = run(probeAdd("WRONG"));
        assertThat(wrongPassword.code).isEqualTo(1);
        assertThat(wrongPassword.err.lines().filter(l -> !l.startsWith("warning:")))
                .singleElement().asString().startsWith("probe failed, nothing saved: AUTH_FAILED");
        assertThat(run("accounts", "list", "--db", db, "--json").out).contains("INBOX").doesNotContain("Nope");
    }

    private String[] probeAdd(String passwordEnv, String... more) {
        List<String> args = new ArrayList<>(List.of("accounts", "add", "--db", db, "--id", "erin", "--probe",
                "--host", "127.0.0.1", "--port", Integer.toString(server.imapsPort()), "--user", USER,
                "--password-env", passwordEnv, "--trust-cert", certificate.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void intervalsAreCheckedWithAMessage() {
        Run words = run(add("erin", "--interval", "5 minutes"));
        assertThat(words.code).isEqualTo(2);
        assertThat(words.err).isEqualTo("usage error: --interval '5 minutes' is not a duration: write it like 30s, 5m,"
                + " 1h, 1h30m or PT5M" + NL);

        Run zero = run(add("erin", "--interval", "0s"));
        assertThat(zero.code).isEqualTo(2);
        assertThat(zero.err).isEqualTo("usage error: --interval '0s' is too short: give at least 1s" + NL);

        assertThat(AccountsCommand.parseDuration("--interval", "PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(AccountsCommand.parseDuration("--interval", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(AccountsCommand.parseDuration("--interval", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(AccountsCommand.formatDuration(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(keyFile()).doesNotExist();
    }

    @Test
    void h2FileUrlsAreRecognized() {
        assertThat(Keys.h2File("jdbc:h2:./imap-sync-data/imapsync")).contains(Path.of("./imap-sync-data/imapsync"));
        assertThat(Keys.h2File("jdbc:h2:file:/var/db/x;MODE=PostgreSQL")).contains(Path.of("/var/db/x"));
        assertThat(Keys.h2File("jdbc:h2:~/x")).contains(Path.of(System.getProperty("user.home") + "/x"));
        assertThat(Keys.h2File("jdbc:h2:mem:x")).isEmpty();
        assertThat(Keys.h2File("jdbc:h2:tcp://host/~/x")).isEmpty();
        assertThat(Keys.h2File("jdbc:postgresql://host/db")).isEmpty();
        assertThat(Keys.keyFile(Path.of("./d/imapsync"))).isEqualTo(Path.of("./d/imapsync.imapsync-key"));
    }

    /** Every imapsync_account row as the text of all its columns. */
    private List<String> storedRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM imapsync_account")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(meta.getColumnName(i)).append('=').append(rs.getString(i)).append('\n');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private record Run(int code, String out, String err) {
    }
}
