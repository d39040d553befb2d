package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.policy.BulkMail;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.Visibility;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy commands and options as a user runs them, in-process against GreenMail and an H2
 * file: {@code sync} with the policy options and its {@code excluded} counts, {@code history}'s
 * {@code bulk}, {@code block add|remove|list}, {@code erase}, {@code accounts add} storing the
 * settings.
 */
class PrivacyCliTest {
    private static final String USER = "sam@acme.test";
    private static final String PASSWORD = "pa55-word-for-sam";
    private static final Map<String, String> ENV = Map.of("IMAP_PASSWORD", PASSWORD);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DATE = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusDays(1));

    private static GreenMailTls server;
    private static Path certificate;
    private static Path contacts;

    @TempDir
    Path dir;
    private String db;

    @BeforeAll
    static void start(@TempDir Path shared) throws IOException {
        server = GreenMailTls.start(TestCertificates.localhost());
        var user = server.addUser(USER, PASSWORD);
        server.append(user, "INBOX", "From: Cleo Client <cleo@client.example>\nTo: " + USER
                + "\nSubject: Our order\nMessage-ID: <client-1@client.example>\n\nPlease send the offer.\n");
        server.append(user, "INBOX", "From: Colin Colleague <colin@acme.test>\nTo: " + USER
                + "\nSubject: Lunch?\nMessage-ID: <internal-1@acme.test>\n\nAt noon?\n");
        server.append(user, "INBOX", "From: Letters <news@letters.example>\nTo: " + USER
                + "\nSubject: Weekly news\nList-Id: <weekly.letters.example>\nList-Unsubscribe: <mailto:u@letters.example>"
                + "\nMessage-ID: <news-1@letters.example>\n\nThis week...\n");
        server.append(user, "INBOX", "From: Bea <bea@blocked.example>\nTo: " + USER
                + "\nSubject: Private matter\nDate: " + DATE + "\nMessage-ID: <blocked-1@blocked.example>\n\nPrivate.\n");
        certificate = TestCertificates.localhost().writePem(shared.resolve("server.pem"));
        contacts = shared.resolve("contacts.csv");
        Files.writeString(contacts, "c-cleo,cleo@client.example\nc-colin,colin@acme.test\n"
                + "c-news,news@letters.example\nc-bea,bea@blocked.example\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void database() {
        db = "jdbc:h2:" + dir.resolve("crm").toAbsolutePath();
    }

    @Test
    void syncKeepsInternalAndBulkMailOutByDefaultAndCountsWhy() throws IOException {
        Run sync = sync("--json");

        assertThat(sync.code).as(sync.err).isZero();
        JsonNode report = JSON.readTree(sync.out);
        assertThat(report.get("excluded").toString())
                .isEqualTo("{\"internal\":1,\"blocked\":0,\"bulk\":1,\"erased\":0}");
        assertThat(report.get("fetched").asLong()).isEqualTo(4);
        assertThat(report.get("matched").asLong()).isEqualTo(2);
        assertThat(entries("c-cleo")).hasSize(1);
        assertThat(entries("c-bea")).hasSize(1);
        assertThat(entries("c-colin")).isEmpty();
        assertThat(entries("c-news")).isEmpty();
    }

    @Test
    void syncAsTextSaysWhatTheRulesKeptOut() {
        Run sync = sync();

        assertThat(sync.code).as(sync.err).isZero();
        assertThat(sync.out).contains("Kept out by the privacy rules: 1 bulk, 1 internal");
    }

    @Test
    void theOptionsRecordInternalMailAndFlagBulkMail() throws IOException {
        Run sync = sync("--record-internal", "--bulk", "flag", "--json");

        assertThat(sync.code).as(sync.err).isZero();
        assertThat(JSON.readTree(sync.out).get("excluded").toString())
                .isEqualTo("{\"internal\":0,\"blocked\":0,\"bulk\":0,\"erased\":0}");
        assertThat(entries("c-colin")).hasSize(1);
        JsonNode news = entries("c-news");
        assertThat(news).hasSize(1);
        assertThat(news.get(0).get("bulk").asBoolean()).isTrue();
        assertThat(entries("c-cleo").get(0).get("bulk").asBoolean()).isFalse();
        assertThat(run("history", "--db", db, "--contact", "c-news").out).contains("[bulk] Weekly news");
    }

    @Test
    void anInternalDomainMakesItsMailInternal() throws IOException {
        Run sync = sync("--internal-domain", "client.example", "--json");

        assertThat(sync.code).as(sync.err).isZero();
        assertThat(JSON.readTree(sync.out).get("excluded").get("internal").asLong()).isEqualTo(2);
        assertThat(entries("c-cleo")).isEmpty();
    }

    @Test
    void metadataVisibilityStoresNoSubject() throws IOException {
        Run sync = sync("--visibility", "metadata", "--json");

        assertThat(sync.code).as(sync.err).isZero();
        JsonNode entry = entries("c-cleo").get(0);
        assertThat(entry.get("subject").asText()).isEmpty();
        assertThat(entry.get("preview").isNull()).isTrue();
        assertThat(entry.get("from").asText()).isEqualTo("cleo@client.example");
    }

    @Test
    void blockingADomainPurgesItsMailAndKeepsItOutOfTheNextSync() throws IOException {
        assertThat(sync().code).isZero();
        assertThat(entries("c-bea")).hasSize(1);

        Run block = run("block", "add", "--db", db, "--domain", "Blocked.Example", "--json");

        assertThat(block.code).as(block.err).isZero();
        JsonNode added = JSON.readTree(block.out);
        assertThat(added.get("kind").asText()).isEqualTo("domain");
        assertThat(added.get("value").asText()).isEqualTo("blocked.example");
        assertThat(added.get("account").isNull()).isTrue();
        assertThat(added.get("added").asBoolean()).isTrue();
        assertThat(added.get("removed").get("messages").asLong()).isEqualTo(1);
        assertThat(added.get("removed").get("entries").asLong()).isEqualTo(1);
        assertThat(added.get("accounts").get(0).get("accountId").asText()).isEqualTo(USER);
        assertThat(entries("c-bea")).isEmpty();

        Run list = run("block", "list", "--db", db, "--json");
        assertThat(list.code).isZero();
        assertThat(JSON.readTree(list.out).toString())
                .isEqualTo("[{\"kind\":\"domain\",\"value\":\"blocked.example\",\"account\":null}]");
        Run listText = run("block", "list", "--db", db);
        assertThat(listText.out).contains("domain", "blocked.example", "every account");

        Run again = run("block", "add", "--db", db, "--domain", "blocked.example");
        assertThat(again.code).isZero();
        assertThat(again.out).startsWith("Already blocked: domain blocked.example for every account. Nothing recorded");
    }

    @Test
    void aBlockedAddressIsCountedInTheSyncAndUnblockingItBringsItsMailBack() throws IOException {
        // an address, not a domain: GreenMail 2.1.8's SEARCH FROM matches whole addresses only (RFC 3501
        // says substrings); a domain's revisit is checked on Dovecot (PrivacyDovecotEndToEndTest, imap-sync-jdbc)
        Run block = run("block", "add", "--db", db, "--address", "Bea@Blocked.example");
        assertThat(block.code).as(block.err).isZero();
        assertThat(block.out).isEqualTo("Blocked address bea@blocked.example for every account. Nothing recorded of"
                + " it." + System.lineSeparator());

        Run first = sync("--json");
        assertThat(JSON.readTree(first.out).get("excluded").get("blocked").asLong()).isEqualTo(1);
        assertThat(entries("c-bea")).isEmpty();

        Run unblock = run("block", "remove", "--db", db, "--address", "bea@blocked.example");
        assertThat(unblock.code).as(unblock.err).isZero();
        assertThat(unblock.out).contains("Unblocked address bea@blocked.example for every account: the next sync of"
                + " each account reads its mail again within its window.");
        Run second = sync("--json");
        assertThat(second.code).as(second.err).isZero();
        assertThat(JSON.readTree(second.out).get("fetched").asLong()).as("only the unblocked mail is read").isEqualTo(1);
        assertThat(entries("c-bea")).hasSize(1);
        assertThat(Database.privacy(db).revisits(USER)).isEmpty();

        Run none = run("block", "remove", "--db", db, "--address", "bea@blocked.example", "--json");
        assertThat(none.code).isEqualTo(ExitCodes.FAILED);
        assertThat(JSON.readTree(none.out).get("unblocked").asBoolean()).isFalse();
        assertThat(none.err).startsWith("No block entry for address bea@blocked.example for every account in ");
    }

    @Test
    void anAccountsEntryIsListedForItAndNotForOthers() throws IOException {
        Run block = run("block", "add", "--db", db, "--address", "Cleo@Client.example", "--account", "acct-9");
        assertThat(block.code).as(block.err).isZero();

        assertThat(JSON.readTree(run("block", "list", "--db", db, "--account", "acct-9", "--json").out)).hasSize(1);
        assertThat(JSON.readTree(run("block", "list", "--db", db, "--account", "acct-1", "--json").out)).isEmpty();
        assertThat(run("block", "list", "--db", db, "--account", "acct-1").out).contains("Nothing is blocked");
        assertThat(run("block", "list", "--db", db).out).contains("address", "cleo@client.example", "account acct-9");
    }

    @Test
    void erasingAnAddressSaysWhatWentPerAccountAndTheNextSyncBringsNothingBack() throws IOException {
        assertThat(sync().code).isZero();

        Run erase = run("erase", "--db", db, "--address", "Cleo@Client.Example", "--json");

        assertThat(erase.code).as(erase.err).isZero();
        JsonNode result = JSON.readTree(erase.out);
        assertThat(result.get("address").asText()).isEqualTo("cleo@client.example");
        assertThat(result.get("removed").toString()).isEqualTo("{\"entries\":1,\"messages\":1,\"previews\":0}");
        assertThat(result.get("accounts").toString()).isEqualTo("[{\"accountId\":\"" + USER
                + "\",\"entries\":1,\"messages\":1,\"previews\":0}]");
        assertThat(entries("c-cleo")).isEmpty();

        // from scratch, as after a UIDVALIDITY change: the suppression entry keeps it out
        Run reset = run("accounts", "reset", "--db", db, "--id", USER);
        assertThat(reset.code).as(reset.err).isZero();
        Run again = sync("--json");
        assertThat(JSON.readTree(again.out).get("excluded").get("erased").asLong()).isEqualTo(1);
        assertThat(entries("c-cleo")).isEmpty();

        Run twice = run("erase", "--db", db, "--address", "cleo@client.example");
        assertThat(twice.code).isZero();
        assertThat(twice.out).startsWith("Erased cleo@client.example: 0 history entries, 0 messages and 0 previews"
                + " removed (nothing was recorded of it).");
    }

    @Test
    void accountsAddStoresThePrivacySettings() throws IOException {
        Run added = run("accounts", "add", "--db", db, "--id", "sam", "--host", "imap.example.test", "--security", "ssl",
                "--user", USER, "--password-env", "IMAP_PASSWORD", "--internal-domain", "acme.test",
                "--internal-domain", "@Acme-Group.example", "--record-internal", "--bulk", "FLAG",
                "--visibility", "subject");

        assertThat(added.code).as(added.err).isZero();
        assertThat(added.out).contains("Privacy: visibility subject, bulk flag, internal mail recorded, internal domains"
                + " acme-group.example, acme.test");
        PrivacySettings stored = repository().find("sam").orElseThrow().account().privacy();
        assertThat(stored).isEqualTo(new PrivacySettings(Visibility.SUBJECT, true, BulkMail.FLAG,
                Set.of("acme.test", "acme-group.example")));
    }

    @Test
    void runDropsThePreviewsOlderThanKeepPreviews() throws IOException {
        assertThat(sync().code).isZero();
        assertThat(entries("c-bea").get(0).get("preview").isNull()).isFalse();

        Run run = run("run", "--db", db, "--contacts", contacts.toString(), "--cycles", "1", "--keep-previews", "12h");

        assertThat(run.code).as(run.err).isZero();
        JsonNode bea = entries("c-bea").get(0);                       // sent a day ago
        assertThat(bea.get("preview").isNull()).isTrue();
        assertThat(bea.get("subject").asText()).isEqualTo("Private matter");
        assertThat(entries("c-cleo").get(0).get("preview").isNull()).isFalse();   // received now

        Run shorter = run("run", "--db", db, "--contacts", contacts.toString(), "--cycles", "1", "--keep-previews",
                "30d", "--keep-history", "7d");
        assertThat(shorter.code).isEqualTo(ExitCodes.USAGE);
        assertThat(shorter.err).contains("--keep-history 7d is shorter than --keep-previews 30d");
    }

    @Test
    void wrongValuesAreUsageErrors() {
        Run bulk = sync("--bulk", "maybe");
        assertThat(bulk.code).isEqualTo(ExitCodes.USAGE);
        assertThat(bulk.err).isEqualTo("usage error: --bulk 'maybe' is not one of skip, flag, record"
                + System.lineSeparator());

        Run visibility = sync("--visibility", "none");
        assertThat(visibility.code).isEqualTo(ExitCodes.USAGE);
        assertThat(visibility.err).contains("--visibility 'none' is not one of metadata, subject, full");

        Run domain = sync("--internal-domain", "a@b.example");
        assertThat(domain.code).isEqualTo(ExitCodes.USAGE);
        assertThat(domain.err).contains("--internal-domain: Not a domain: 'a@b.example'");

        Run both = run("block", "add", "--db", db, "--address", "a@b.example", "--domain", "b.example");
        assertThat(both.code).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err).contains("mutually exclusive");

        Run neither = run("block", "add", "--db", db);
        assertThat(neither.code).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.err).contains("--address", "--domain");

        Run notAnAddress = run("block", "add", "--db", db, "--address", "client.example");
        assertThat(notAnAddress.code).isEqualTo(ExitCodes.USAGE);
        assertThat(notAnAddress.err).contains("--address: Not an email address: 'client.example'");

        Run erase = run("erase", "--db", db, "--address", "client.example");
        assertThat(erase.code).isEqualTo(ExitCodes.USAGE);
        assertThat(erase.err).contains("'client.example' is not an email address", "block add --domain");
    }

    // helpers

    private Run sync(String... more) {
        List<String> args = new ArrayList<>(List.of("sync", "--db", db, "--host", "127.0.0.1",
                "--port", Integer.toString(server.imapsPort()), "--security", "ssl", "--user", USER,
                "--password-env", "IMAP_PASSWORD", "--trust-cert", certificate.toString(),
                "--contacts", contacts.toString(), "--folders", "INBOX"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** The contact's history entries, as {@code history --json} answers them. */
    private JsonNode entries(String contact) throws IOException {
        Run history = run("history", "--db", db, "--contact", contact, "--json");
        assertThat(history.code).as(history.err).isZero();
        return JSON.readTree(history.out).get("entries");
    }

    private JdbcAccountRepository repository() throws IOException {
        Path keyFile = dir.resolve("crm.imapsync-key");
        SecretKeys keys = SecretKeys.parse(Files.readAllLines(keyFile).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.joining(",")));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        return JdbcAccountRepository.builder(h2).keys(keys).build();
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
