package dev.imapsync;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.schedule.Backoff;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.sync.SyncOptions;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting of every builder and value type a host application configures, with each kind
 * of bad value (null, blank, out of range, CR/LF or NUL where a line of a protocol or a log is
 * built from it, overflowing durations): each is rejected when it is given or at
 * {@code build()}, never later inside a sync, with a message that names the setting and says
 * what to give instead. A message never repeats a secret.
 *
 * <p>The JDBC builders have their own table in imap-sync-jdbc ({@code JdbcConfigurationValidationTest}).
 */
class ConfigurationValidationTest {
    private static final String PASSWORD = "Pw-\u00e7onfig-7Q";
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    static Stream<Arguments> invalidSettings() {
        List<Arguments> rows = new ArrayList<>();

        // ImapAccount.Builder
        row(rows, "id", "null", () -> account().id(null), NullPointerException.class, "id");
        for (String id : List.of("", " ", "has space", "x".repeat(129), "a\r\nb", "a\0b", "a;b", "\u00e9")) {
            row(rows, "id", id, () -> account().id(id), IllegalArgumentException.class, "Account id",
                    "1-128 letters, digits or . _ @ + -");
        }
        for (String address : List.of("", "plain", "a@b@c", "a b@c.d", "a@b.c\r\nBcc: x@y.z", "a\0@b.c", "a@b\u0007.c",
                "x".repeat(330) + "@b.c")) {
            row(rows, "emailAddress", address, () -> account().emailAddress(address), IllegalArgumentException.class,
                    "emailAddress", "name@domain");
            row(rows, "alias", address, () -> account().alias(address), IllegalArgumentException.class, "alias",
                    "name@domain");
        }
        row(rows, "emailAddress", "null", () -> account().emailAddress(null), NullPointerException.class, "emailAddress");
        for (String timeout : List.of("connectTimeout", "readTimeout", "writeTimeout")) {
            for (Duration d : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(6), FOREVER)) {
                row(rows, timeout, d.toString(), () -> timeout(account(), timeout, d), IllegalArgumentException.class,
                        timeout, "positive duration of at most 5 minutes");
            }
            row(rows, timeout, "null", () -> timeout(account(), timeout, null), NullPointerException.class, timeout);
        }
        row(rows, "endpoint", "null", () -> account().endpoint(null), NullPointerException.class, "endpoint");
        row(rows, "credentials", "null", () -> account().credentials(null), NullPointerException.class, "credentials");
        row(rows, "trustCertificatePem", "not PEM", () -> account().trustCertificatePem("hello"),
                IllegalArgumentException.class, "BEGIN CERTIFICATE");
        row(rows, "trustCertificatePem", "empty", () -> account().trustCertificatePem(""),
                IllegalArgumentException.class, "BEGIN CERTIFICATE");
        row(rows, "endpoint", "missing", () -> ImapAccount.builder().password("u", PASSWORD).build(),
                IllegalStateException.class, "No endpoint", "endpoint(host, port, security)");
        row(rows, "credentials", "missing", () -> ImapAccount.builder().endpoint("imap.example.com", 993, Security.SSL_TLS)
                .build(), IllegalStateException.class, "No credentials", "password(user, password)");
        row(rows, "security", "NONE without allowInsecure", () -> account().endpoint("imap.example.com", 143,
                Security.NONE).build(), IllegalStateException.class, "cleartext", "allowInsecure(true)");
        row(rows, "credentials", "OAuth2 over cleartext", () -> account().endpoint("imap.example.com", 143, Security.NONE)
                .allowInsecure(true).credentials(Credentials.oauth2("u@example.com", () -> Secret.of("t"))).build(),
                IllegalStateException.class, "OAuth2", "ssl or starttls");
        row(rows, "id", "a login that is no id", () -> ImapAccount.builder().endpoint("imap.example.com", 993,
                Security.SSL_TLS).password("user name with spaces", PASSWORD).build(), IllegalStateException.class,
                "No account id", "id(...)");

        // Endpoint
        for (String host : List.of("", " ", "imap.example.com\r\nA1 LOGOUT", "imap\0.example.com", "user@imap.example.com",
                "imap.example.com/inbox", "imap.example.com;x", "imap.example.com\"", "imap\u0007.example.com",
                "imap example.com", "h".repeat(254), "imap.example.com?x", "imap.example.com#x", "imap\\example")) {
            row(rows, "host", host, () -> new Endpoint(host, 993, Security.SSL_TLS), IllegalArgumentException.class,
                    "host", "imap.example.com");
        }
        row(rows, "host", "null", () -> new Endpoint(null, 993, Security.SSL_TLS), IllegalArgumentException.class,
                "host", "imap.example.com");
        for (int port : new int[] {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            row(rows, "port", String.valueOf(port), () -> new Endpoint("imap.example.com", port, Security.SSL_TLS),
                    IllegalArgumentException.class, "port", "1-65535");
        }
        row(rows, "security", "null", () -> new Endpoint("imap.example.com", 993, null), NullPointerException.class,
                "security");

        // Credentials and Secret
        for (String user : List.of("", "  ", "user\r\nA2 LOGOUT", "user\nx", "us\0er", "user\u0001", "u".repeat(1025))) {
            row(rows, "user", user, () -> Credentials.password(user, PASSWORD), IllegalArgumentException.class,
                    "user name");
            row(rows, "user", user, () -> Credentials.oauth2(user, () -> Secret.of("t")), IllegalArgumentException.class,
                    "user name");
        }
        row(rows, "user", "null", () -> Credentials.password(null, PASSWORD), IllegalArgumentException.class, "user name");
        row(rows, "password", "null", () -> Credentials.password("u", null), NullPointerException.class, "secret");
        row(rows, "password", "empty", () -> Credentials.password("u", ""), IllegalArgumentException.class,
                "secret is empty");
        for (String secret : List.of(PASSWORD + "\n", PASSWORD + "\r\n", "\n" + PASSWORD, PASSWORD + "\0",
                PASSWORD.substring(0, 4) + "\r" + PASSWORD.substring(4))) {
            row(rows, "password", secret.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0"),
                    () -> Credentials.password("u", secret), IllegalArgumentException.class, "line break or NUL",
                    "remove");
        }
        row(rows, "accessTokens", "null", () -> Credentials.oauth2("u", null), NullPointerException.class,
                "accessTokens");

        // SyncOptions
        for (Duration window : List.of(Duration.ZERO, Duration.ofHours(23), Duration.ofDays(-1), Duration.ofDays(36_501),
                FOREVER)) {
            row(rows, "initialWindow", window.toString(), () -> SyncOptions.builder().initialWindow(window),
                    IllegalArgumentException.class, "Initial window", "1 day to 100 years");
        }
        row(rows, "initialWindow", "null", () -> SyncOptions.builder().initialWindow(null), NullPointerException.class,
                "window");
        for (int[] sizes : new int[][] {{0, 0, 0}, {-1, -1, -1}, {10, 20, 30}, {10, 5, 9}, {500, 50, 50_001},
                {Integer.MAX_VALUE, 1, Integer.MAX_VALUE}}) {
            row(rows, "batchSize", sizes[0] + "," + sizes[1] + "," + sizes[2],
                    () -> SyncOptions.builder().batchSize(sizes[0], sizes[1], sizes[2]), IllegalArgumentException.class,
                    "Batch sizes", "1 <= min <= start <= max <= 50000");
        }

        // HeaderParser.Builder
        row(rows, "maxHeaderBytes", "1023", () -> HeaderParser.builder().maxHeaderBytes(1023),
                IllegalArgumentException.class, "maxHeaderBytes", "at least 1024");
        row(rows, "maxAddresses", "0", () -> HeaderParser.builder().maxAddresses(0), IllegalArgumentException.class,
                "maxAddresses", "at least 1");
        row(rows, "maxEncodedWordLength", "74", () -> HeaderParser.builder().maxEncodedWordLength(74),
                IllegalArgumentException.class, "maxEncodedWordLength", "at least 75");
        row(rows, "maxReferences", "-1", () -> HeaderParser.builder().maxReferences(-1), IllegalArgumentException.class,
                "maxReferences", "at least 1");

        // ManagedAccount
        for (Duration window : List.of(Duration.ZERO, Duration.ofDays(36_501), FOREVER)) {
            row(rows, "initialWindow", window.toString(), () -> ManagedAccount.of(account().build())
                    .withInitialWindow(window), IllegalArgumentException.class, "initialWindow", "1 day to 100 years");
        }
        for (Duration interval : List.of(Duration.ZERO, Duration.ofMinutes(-5), Duration.ofDays(367), FOREVER)) {
            row(rows, "interval", interval.toString(), () -> ManagedAccount.of(account().build()).withInterval(interval),
                    IllegalArgumentException.class, "interval", "positive duration of at most 366 days");
        }
        row(rows, "account", "null", () -> new ManagedAccount(null, FolderChoice.recommended(), Optional.empty(),
                Optional.empty()), NullPointerException.class, "account");
        row(rows, "folders", "null", () -> new ManagedAccount(account().build(), null, Optional.empty(), Optional.empty()),
                NullPointerException.class, "folders");
        row(rows, "folders", "no names", () -> FolderChoice.named(List.of()), IllegalArgumentException.class,
                "No folder names", "FolderChoice.recommended()");
        row(rows, "folders", "a blank name", () -> FolderChoice.named(List.of("INBOX", " ")),
                IllegalArgumentException.class, "folder name is empty");

        // SyncScheduler.Builder
        for (String nodeId : List.of("", "n".repeat(201), "node\r\n1", "node\0")) {
            row(rows, "nodeId", nodeId, () -> SyncScheduler.builder().nodeId(nodeId), IllegalArgumentException.class,
                    "Node id", "1-200 characters without control characters");
        }
        for (Duration interval : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(367), FOREVER)) {
            row(rows, "defaultInterval", interval.toString(), () -> SyncScheduler.builder().defaultInterval(interval),
                    IllegalArgumentException.class, "defaultInterval", "at most 366 days");
        }
        for (int n : new int[] {0, -1, 10_001}) {
            row(rows, "maxConcurrentSyncs", String.valueOf(n), () -> SyncScheduler.builder().maxConcurrentSyncs(n),
                    IllegalArgumentException.class, "maxConcurrentSyncs", "1 to 10000");
            row(rows, "perHostLimit", String.valueOf(n), () -> SyncScheduler.builder().perHostLimit(n),
                    IllegalArgumentException.class, "perHostLimit", "1 to 10000");
        }
        for (Duration lease : List.of(Duration.ZERO, Duration.ofSeconds(2), Duration.ofDays(2), FOREVER)) {
            row(rows, "leaseDuration", lease.toString(), () -> SyncScheduler.builder().leaseDuration(lease),
                    IllegalArgumentException.class, "leaseDuration");
        }
        for (Duration timeout : List.of(Duration.ofSeconds(-1), Duration.ofDays(2), FOREVER)) {
            row(rows, "shutdownTimeout", timeout.toString(), () -> SyncScheduler.builder().shutdownTimeout(timeout),
                    IllegalArgumentException.class, "shutdownTimeout", "at most 1 day");
        }
        row(rows, "accounts", "missing", () -> SyncScheduler.builder().engine(engine()).build(),
                IllegalStateException.class, "No accounts", "accounts(...)");
        // Backoff
        row(rows, "initial", "0", () -> Backoff.exponential(Duration.ZERO, Duration.ofHours(1)),
                IllegalArgumentException.class, "initial delay", "not positive");
        row(rows, "max", "below initial", () -> Backoff.exponential(Duration.ofHours(1), Duration.ofMinutes(1)),
                IllegalArgumentException.class, "max", "at least the initial delay");
        row(rows, "max", "FOREVER", () -> Backoff.exponential(Duration.ofMinutes(1), FOREVER),
                IllegalArgumentException.class, "max", "at most 7 days");
        row(rows, "multiplier", "0.5", () -> new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 0.5, 0.2),
                IllegalArgumentException.class, "multiplier", "1 (constant) or more");
        row(rows, "multiplier", "NaN", () -> new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), Double.NaN, 0.2),
                IllegalArgumentException.class, "multiplier");
        row(rows, "jitter", "1.0", () -> Standard.BACKOFF.withJitter(1.0), IllegalArgumentException.class, "jitter",
                "from 0 (none) to below 1");
        row(rows, "jitter", "-0.1", () -> Standard.BACKOFF.withJitter(-0.1), IllegalArgumentException.class, "jitter");

        return rows.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidSettings")
    void anInvalidSettingIsRejectedWithAMessageThatSaysWhatToFix(String setting, String value, ThrowingCallable action,
                                                                 Class<? extends Throwable> type, String[] fragments) {
        assertThatThrownBy(action).as("%s = %s", setting, value)
                .isInstanceOf(type)
                .message().contains(fragments).doesNotContain(PASSWORD);
    }

    // ---- helpers

    private static final class Standard {
        static final Backoff BACKOFF = Backoff.standard();
    }

    private static void row(List<Arguments> rows, String setting, String value, ThrowingCallable action,
                            Class<? extends Throwable> type, String... fragments) {
        rows.add(Arguments.of(setting, printable(value), action, type, fragments));
    }

    private static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "… (" + value.length() + " chars)" : value;
        return shown.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0").replace("\u0007", "\\a");
    }

    private static ImapAccount.Builder account() {
        return ImapAccount.builder().id("a1").endpoint("imap.example.com", 993, Security.SSL_TLS)
                .password("user@example.com", PASSWORD);
    }

    private static void timeout(ImapAccount.Builder b, String which, Duration d) {
        switch (which) {
            case "connectTimeout" -> b.connectTimeout(d);
            case "readTimeout" -> b.readTimeout(d);
            default -> b.writeTimeout(d);
        }
    }

    private static SyncEngine engine() {
        return SyncEngine.builder().store(new InMemorySyncStore())
                .contactMatcher(dev.imapsync.contact.InMemoryContactMatcher.builder().build()).build();
    }
}
