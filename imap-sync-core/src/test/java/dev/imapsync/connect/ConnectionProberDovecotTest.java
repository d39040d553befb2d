package dev.imapsync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The prober against a real Dovecot (started by .ci/dovecot/start.sh): interoperability. */
class ConnectionProberDovecotTest {
    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private static Dovecot dovecot;
    private final ConnectionProber prober = ConnectionProber.standard();

    @BeforeAll
    static void environment() {
        dovecot = DOVECOT.dovecot();
    }

    private static ImapAccount.Builder account(String user, int port, Security security) {
        return ImapAccount.builder()
                .endpoint(dovecot.host(), port, security)
                .password(user, dovecot.password())
                .trustCertificatePem(dovecot.certificatePem());
    }

    @Test
    void implicitTlsWorksWithSpecialUseRolesFromTheServer() {
        ProbeResult result = prober.probe(account(Dovecot.PLAIN_USER, dovecot.tlsPort(), Security.SSL_TLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS));
        assertThat(result.capabilities()).contains("SPECIAL-USE", "CONDSTORE", "QRESYNC");
        assertThat(result.provider()).isEqualTo(MailProvider.GENERIC);
        assertThat(role(result, "Sent")).containsExactly(FolderRole.SENT);
        assertThat(role(result, "Archive")).containsExactly(FolderRole.ARCHIVE);
        assertThat(role(result, "Junk")).containsExactly(FolderRole.JUNK);
        FolderSelection recommended = FolderSelector.recommend(result.folders(), result.provider());
        assertThat(recommended.names()).containsExactly("INBOX", "Sent");
    }

    @Test
    void starttlsWorksOnThePlainPort() {
        ProbeResult result = prober.probe(account(Dovecot.PLAIN_USER, dovecot.starttlsPort(), Security.STARTTLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of(dovecot.host(), dovecot.starttlsPort(), Security.STARTTLS));
    }

    @Test
    void implicitTlsAskedOnTheStarttlsPortFallsBackToStarttls() {
        ProbeResult result = prober.probe(account(Dovecot.PLAIN_USER, dovecot.starttlsPort(), Security.SSL_TLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of(dovecot.host(), dovecot.starttlsPort(), Security.STARTTLS));
        assertThat(result.attempts().get(0).outcome()).isEqualTo("TLS_HANDSHAKE");
    }

    @Test
    void starttlsAskedOnTheTlsPortFallsBackToImplicitTls() {
        ProbeResult result = prober.probe(account(Dovecot.PLAIN_USER, dovecot.tlsPort(), Security.STARTTLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS));
        assertThat(result.duration()).isLessThan(ConnectionProber.DEFAULT_TRANSPORT_TIMEOUT);
    }

    @Test
    void gmailLayoutIsRecognizedAndImportantPlusSentAreRecommended() {
        ProbeResult result = prober.probe(account(Dovecot.GMAIL_USER, dovecot.tlsPort(), Security.SSL_TLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.provider()).isEqualTo(MailProvider.GMAIL);
        FolderSelection recommended = FolderSelector.recommend(result.folders(), result.provider());
        assertThat(recommended.names()).containsExactly("[Gmail]/Important", "[Gmail]/Sent Mail");
    }

    @Test
    void wrongPasswordIsAuthFailedWithExactlyOneAttemptOnTheServer() throws InterruptedException {
        long before = dovecot.passwordMismatches(Dovecot.PLAIN_USER);

        ProbeResult result = prober.probe(account(Dovecot.PLAIN_USER, dovecot.starttlsPort(), Security.SSL_TLS)
                .password(Dovecot.PLAIN_USER, "not-the-password").build());

        Failure failure = result.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
        assertThat(failure.message()).isEqualTo("Account alice@example.test at 127.0.0.1:" + dovecot.starttlsPort()
                + " (starttls): the server rejected the credentials: [AUTHENTICATIONFAILED] Authentication failed.");
        assertThat(awaitMismatches(before + 1, Duration.ofSeconds(5))).isEqualTo(before + 1);
    }

    @Test
    void certificateNobodyTrustedIsTlsUntrusted() {
        ImapAccount account = ImapAccount.builder()
                .endpoint(dovecot.host(), dovecot.tlsPort(), Security.SSL_TLS)
                .password(Dovecot.PLAIN_USER, dovecot.password()).build();

        ProbeResult result = prober.probe(account);

        assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.TLS_UNTRUSTED);
        assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
    }

    @Test
    void hostNameIsVerifiedByNameAsWellAsByAddress() {
        ProbeResult result = prober.probe(account(Dovecot.PLAIN_USER, dovecot.tlsPort(), Security.SSL_TLS)
                .endpoint("localhost", dovecot.tlsPort(), Security.SSL_TLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
    }

    /** Waits, bounded, until the Dovecot log shows {@code expected} mismatches; returns the count then seen. */
    private static long awaitMismatches(long expected, Duration atMost) throws InterruptedException {
        Instant until = Instant.now().plus(atMost);
        long seen = dovecot.passwordMismatches(Dovecot.PLAIN_USER);
        while (seen < expected && Instant.now().isBefore(until)) {
            Thread.sleep(50); // the log is written by another process; poll it briefly
            seen = dovecot.passwordMismatches(Dovecot.PLAIN_USER);
        }
        // give a second, erroneous attempt the chance to show up before asserting "exactly one"
        Thread.sleep(300);
        return dovecot.passwordMismatches(Dovecot.PLAIN_USER);
    }

    private static java.util.Set<FolderRole> role(ProbeResult result, String name) {
        return result.folders().stream().filter(f -> f.name().equals(name)).findFirst()
                .map(MailFolder::roles).orElseThrow(() -> new AssertionError("no folder " + name + " in " + result));
    }
}
