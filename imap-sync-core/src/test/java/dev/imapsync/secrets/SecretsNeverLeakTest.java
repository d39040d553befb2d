package dev.imapsync.secrets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never leave through logs, messages or values: {@link SecretScenarios} runs probe,
 * sync and a scheduler pass through every failure path in a child JVM whose slf4j-simple logs
 * everything from TRACE up to a file and whose java.util.logging (where Angus Mail logs and
 * traces the protocol) logs everything at ALL to another. Neither the password nor the OAuth2
 * token, nor the base64 forms AUTHENTICATE PLAIN, XOAUTH2 and OAUTHBEARER send them in, nor any base64 text
 * that decodes to them, appears in either log, in the child's output (every {@code toString()}
 * and full stack trace it printed), or on its stderr.
 *
 * <p>A child JVM because slf4j-simple fixes its level and output when a logger is first made:
 * in the test JVM other tests made them already, at WARN.
 */
public class SecretsNeverLeakTest {
    @TempDir
    static Path dir;
    private static String output;
    private static String slf4jLog;
    private static String julLog;

    @BeforeAll
    static void runTheScenariosInAChildJvm() throws Exception {
        Path slf4j = dir.resolve("slf4j.log");
        Path jul = dir.resolve("jul.log");
        Path julConfig = dir.resolve("logging.properties");
        Files.writeString(julConfig, String.join("\n",
                "handlers = java.util.logging.FileHandler",
                ".level = ALL",
                "java.util.logging.FileHandler.level = ALL",
                "java.util.logging.FileHandler.pattern = " + jul.toString().replace("\\", "/"),
                "java.util.logging.FileHandler.formatter = java.util.logging.SimpleFormatter",
                "java.util.logging.FileHandler.encoding = UTF-8", ""));
        List<String> options = new ArrayList<>(ChildJvm.DEFAULT_JVM_OPTIONS);
        options.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-Dorg.slf4j.simpleLogger.logFile=" + slf4j,
                "-Djava.util.logging.config.file=" + julConfig));
        Path out = dir.resolve("child.out");
        int exitCode;
        try (ChildJvm child = ChildJvm.builder(SecretScenarios.class).jvmOptions(options).log(out).start()) {
            exitCode = child.exitCodeWithin(Duration.ofSeconds(150));
        }
        output = read(out);
        assertThat(exitCode).as("exit code (-1: killed after 150 s); output:\n%s", output).isZero();
        slf4jLog = read(slf4j);
        julLog = read(jul);
    }

    @Test
    void everyPathRanToItsClassifiedOutcome() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String how : List.of("password", "oauth2")) {
            expected.put("probe ok " + how, "OK");
            expected.put("sync ok " + how, "OK");
            expected.put("probe rejected " + how, "AUTH_FAILED");
            expected.put("sync rejected " + how, "AUTH_FAILED");
            expected.put("probe imap disabled " + how, "IMAP_DISABLED");
            expected.put("sync imap disabled " + how, "IMAP_DISABLED");
            expected.put("probe throttled " + how, "THROTTLED");
            expected.put("sync throttled " + how, "THROTTLED");
            expected.put("probe tls untrusted " + how, "TLS_UNTRUSTED");
            expected.put("sync tls untrusted " + how, "TLS_UNTRUSTED");
            expected.put("probe refused " + how, "CONNECTION_REFUSED");
            expected.put("sync refused " + how, "CONNECTION_REFUSED");
            expected.put("probe timeout " + how, "TIMEOUT");
            expected.put("sync timeout " + how, "TIMEOUT");
            expected.put("sync store failure " + how, "threw ImapSyncException");
        }
        expected.put("probe ok oauthbearer", "OK");
        expected.put("sync ok oauthbearer", "OK");
        expected.put("probe rejected oauthbearer", "AUTH_FAILED");
        expected.put("sync rejected oauthbearer", "AUTH_FAILED");
        expected.put("probe supplier GRANT_REVOKED", "AUTH_REVOKED");
        expected.put("sync supplier GRANT_REVOKED", "AUTH_REVOKED AUTH_REVOKED");
        expected.put("probe supplier SERVER_UNAVAILABLE", "OAUTH_UNAVAILABLE");
        expected.put("sync supplier SERVER_UNAVAILABLE", "CONNECTION_FAILED OAUTH_UNAVAILABLE");
        expected.put("probe supplier MISCONFIGURED", "OAUTH_MISCONFIGURED");
        expected.put("sync supplier MISCONFIGURED", "AUTH_FAILED OAUTH_MISCONFIGURED");
        expected.put("scheduler pass", "[bad=AUTH_FAILED, good=OK]");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(output).as("output:\n%s", output).containsPattern("(?m)^SCENARIO " + Pattern.quote(e.getKey())
                    + ": .*" + Pattern.quote(e.getValue()));
        }
        assertThat(output).contains("THROWABLE ", "VALUE account status: ", "VALUE pass report: ",
                "VALUE managed account: ", "VALUE credentials: ", "VALUE probe result: ", "VALUE sync report: ");
    }

    @Test
    void theLogsReallyHoldTraceAndProtocolDetail() {
        // without this, an empty log would pass the leak check
        assertThat(slf4jLog).contains("DEBUG dev.imapsync", "INFO dev.imapsync");
        assertThat(julLog).contains("org.eclipse.angus.mail.imap.protocol.IMAPProtocol", "org.eclipse.angus.mail.util.LogOutputStream");
        // Angus traces the protocol at FINEST but keeps the login out unless mail.debug.auth is set, which imap-sync never does
        assertThat(julLog).contains("AUTHENTICATE PLAIN command trace suppressed");
    }

    @Test
    void neitherSecretAppearsInAnyLogLineValueOrStackTrace() {
        assertNoSecret("the child's output (toString of every value, stack traces, stderr)", output);
        assertNoSecret("the slf4j log at TRACE", slf4jLog);
        assertNoSecret("the java.util.logging log at ALL (Angus Mail)", julLog);
    }

    /** The secrets, their distinctive middles, and the base64 forms AUTHENTICATE sends. */
    public static List<String> forbidden() {
        String user = SecretScenarios.USER;
        String password = SecretScenarios.PASSWORD;
        String token = SecretScenarios.TOKEN;
        List<String> forms = new ArrayList<>(List.of(password, token, "Zebra-Lantern", "Marmot-Quasar"));
        for (String clear : List.of("\0" + user + "\0" + password, user + "\0" + user + "\0" + password,
                "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001", password, token)) {
            forms.add(Base64.getEncoder().encodeToString(clear.getBytes(StandardCharsets.UTF_8)));
        }
        return forms;
    }

    /** Fails if {@code text} holds a secret in any of its forms, or base64 that decodes to one. */
    public static void assertNoSecret(String where, String text) {
        for (String form : forbidden()) {
            int at = text.indexOf(form);
            assertThat(at).as("a secret (%s) in %s: …%s…", form, where,
                    at < 0 ? "" : text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 100))).isNegative();
        }
        // any other base64 (another framing, another alignment) that decodes to a secret
        Matcher base64 = Pattern.compile("[A-Za-z0-9+/]{16,}={0,2}").matcher(text);
        while (base64.find()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(base64.group()), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            assertThat(decoded).as("base64 %s in %s", base64.group(), where)
                    .doesNotContain("Zebra-Lantern", "Marmot-Quasar");
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, UTF_8) : "";
    }
}
