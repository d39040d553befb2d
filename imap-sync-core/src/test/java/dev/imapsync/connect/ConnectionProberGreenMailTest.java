package dev.imapsync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificate;
import dev.imapsync.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prober against a real IMAP server (GreenMail, in-process): plain and TLS ports. */
class ConnectionProberGreenMailTest {
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "correct horse battery staple";

    private static GreenMailTls server;
    private final ConnectionProber prober = ConnectionProber.standard();

    @BeforeAll
    static void startServer() {
        server = GreenMailTls.start(TestCertificates.localhost());
        var user = server.addUser(USER, PASSWORD);
        server.append(user, "INBOX", "From: bob@example.test\nTo: " + USER + "\nSubject: hi\n\nbody\n");
        server.append(user, "Sent", "From: " + USER + "\nTo: bob@example.test\nSubject: re: hi\n\nbody\n");
        server.append(user, "Trash", "From: x@example.test\nTo: " + USER + "\nSubject: old\n\nbody\n");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ImapAccount.Builder account(int port, Security security) {
        return ImapAccount.builder()
                .endpoint("127.0.0.1", port, security)
                .password(USER, PASSWORD)
                .trustCertificatePem(TestCertificates.localhost().pem());
    }

    @Test
    void correctSettingsWorkAndListFoldersWithRoles() {
        ProbeResult result = prober.probe(account(server.imapsPort(), Security.SSL_TLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of("127.0.0.1", server.imapsPort(), Security.SSL_TLS));
        assertThat(result.failure()).isEmpty();
        assertThat(result.capabilities()).contains("IMAP4REV1");
        assertThat(result.folders()).extracting(MailFolder::name).contains("INBOX", "Sent", "Trash");
        assertThat(folder(result, "Sent").roles()).containsExactly(FolderRole.SENT);
        assertThat(folder(result, "INBOX").roles()).containsExactly(FolderRole.INBOX);
        assertThat(result.attempts()).extracting(ProbeAttempt::step, ProbeAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ProbeAttempt.Step.TRANSPORT, "OK"),
                org.assertj.core.groups.Tuple.tuple(ProbeAttempt.Step.LOGIN, "OK"));
        assertThat(result.workingAccount().endpoint().security()).isEqualTo(Security.SSL_TLS);
    }

    @Test
    void starttlsAskedOnTheTlsPortFallsBackToImplicitTlsAndSaysWhichModeWon() {
        ProbeResult result = prober.probe(account(server.imapsPort(), Security.STARTTLS).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of("127.0.0.1", server.imapsPort(), Security.SSL_TLS));
        assertThat(result.attempts().get(0).endpoint().security()).isEqualTo(Security.STARTTLS);
        assertThat(result.attempts().get(0).succeeded()).isFalse();
        assertThat(result.attempts().get(1).endpoint()).isEqualTo(result.endpoint().orElseThrow());
        assertThat(result.attempts().get(1).succeeded()).isTrue();
        // the fallback is decided as soon as TLS works on the port, not after a timeout
        assertThat(result.duration()).isLessThan(ConnectionProber.DEFAULT_TRANSPORT_TIMEOUT);
    }

    @Test
    void wrongPasswordIsAuthFailedAfterExactlyOneLogin() {
        ProbeResult result = prober.probe(account(server.imapsPort(), Security.STARTTLS)
                .password(USER, "wrong").build());

        assertThat(result.ok()).isFalse();
        Failure failure = result.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
        assertThat(failure.message()).startsWith("Account alice@example.test at 127.0.0.1:" + server.imapsPort()
                + " (ssl): the server rejected the credentials");
        assertThat(failure.message()).doesNotContain("wrong");
        assertThat(failure.hint()).contains("password");
        assertThat(result.attempts()).filteredOn(a -> a.step() == ProbeAttempt.Step.LOGIN).hasSize(1);
    }

    @Test
    void untrustedCertificateIsTlsUntrustedAndNothingElseIsUsed() {
        ImapAccount account = ImapAccount.builder()
                .endpoint("127.0.0.1", server.imapsPort(), Security.SSL_TLS)
                .password(USER, PASSWORD)
                .build();

        ProbeResult result = prober.probe(account);

        Failure failure = result.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.TLS_UNTRUSTED);
        assertThat(failure.message()).isEqualTo("Account alice@example.test at 127.0.0.1:" + server.imapsPort()
                + " (ssl): the server's certificate is not trusted: it is self-signed or issued by an unknown"
                + " authority.");
        assertThat(failure.hint()).contains("trust it for this account only");
        assertThat(result.attempts()).hasSize(1);
        assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
    }

    @Test
    void certificateForAnotherHostIsTlsHostname() {
        TestCertificate other = TestCertificates.otherHost();
        try (GreenMailTls otherServer = GreenMailTls.start(other)) {
            otherServer.addUser(USER, PASSWORD);
            ImapAccount account = ImapAccount.builder()
                    .endpoint("127.0.0.1", otherServer.imapsPort(), Security.SSL_TLS)
                    .password(USER, PASSWORD)
                    .trustCertificatePem(other.pem())
                    .build();

            ProbeResult result = prober.probe(account);

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.TLS_HOSTNAME);
            assertThat(failure.message()).contains("issued for another host name");
            assertThat(failure.hint()).contains("not for 127.0.0.1");
            assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
        }
    }

    @Test
    void trustedPemIsAcceptedForThatAccountOnly() {
        TestCertificate own = TestCertificate.selfSigned("localhost", "127.0.0.1");
        try (GreenMailTls ownServer = GreenMailTls.start(own)) {
            ownServer.addUser(USER, PASSWORD);
            ImapAccount trusting = ImapAccount.builder()
                    .endpoint("127.0.0.1", ownServer.imapsPort(), Security.SSL_TLS)
                    .password(USER, PASSWORD)
                    .trustCertificatePem(own.pem())
                    .build();
            ImapAccount other = trusting.toBuilder().id("someone-else")
                    .trustCertificatePem(TestCertificates.localhost().pem()).build();
            ImapAccount plain = ImapAccount.builder()
                    .endpoint("127.0.0.1", ownServer.imapsPort(), Security.SSL_TLS)
                    .password(USER, PASSWORD).build();

            assertThat(prober.probe(trusting).ok()).isTrue();
            assertThat(prober.probe(plain).failure().orElseThrow().kind()).isEqualTo(FailureKind.TLS_UNTRUSTED);
            // 'other' trusts a different certificate besides this one: still trusted, as it names this one too
            assertThat(prober.probe(other).ok()).isTrue();
        }
    }

    @Test
    void closedPortIsConnectionRefused() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }

        ProbeResult result = prober.probe(account(closedPort, Security.SSL_TLS).build());

        Failure failure = result.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(failure.message()).startsWith("Account alice@example.test at 127.0.0.1:" + closedPort
                + " (ssl): nothing accepted the connection");
        assertThat(failure.hint()).contains("Check the port");
    }

    @Test
    void portThatAcceptsAndNeverSpeaksEndsWithinTheDeadline() throws IOException {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    accepted.forEach(ConnectionProberGreenMailTest::closeQuietly);
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            ConnectionProber quick = ConnectionProber.builder().deadline(Duration.ofSeconds(3))
                    .transportTimeout(Duration.ofSeconds(1)).build();

            ProbeResult result = quick.probe(account(silent.getLocalPort(), Security.SSL_TLS).build());

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(failure.message()).contains("(ssl): no answer while negotiating TLS");
            assertThat(result.duration()).isLessThan(Duration.ofSeconds(3).plusMillis(500));
        }
    }

    @Test
    void cleartextOnlyServerWithoutOptInIsInsecureRefused() {
        ProbeResult result = prober.probe(account(server.imapPort(), Security.STARTTLS).build());

        Failure failure = result.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.INSECURE_REFUSED);
        assertThat(failure.message()).contains("answers only in cleartext").contains("no credentials were sent");
        assertThat(failure.hint()).contains("--allow-insecure");
        assertThat(result.attempts()).noneMatch(a -> a.step() == ProbeAttempt.Step.LOGIN);
        assertThat(result.attempts()).noneMatch(a -> a.endpoint().security() == Security.NONE);
    }

    @Test
    void cleartextIsUsedOnlyWithExplicitOptIn() {
        ProbeResult result = prober.probe(account(server.imapPort(), Security.STARTTLS).allowInsecure(true).build());

        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(result.endpoint()).contains(Endpoint.of("127.0.0.1", server.imapPort(), Security.NONE));
        // every encrypted alternative was tried before cleartext
        List<Security> tried = new ArrayList<>();
        result.attempts().forEach(a -> tried.add(a.endpoint().security()));
        assertThat(tried.indexOf(Security.NONE)).isGreaterThan(tried.lastIndexOf(Security.SSL_TLS));
    }

    @Test
    void tlsAskedOnThePlainPortIsAHandshakeFailure() {
        ProbeResult result = prober.probe(account(server.imapPort(), Security.SSL_TLS).build());

        ProbeAttempt first = result.attempts().get(0);
        assertThat(first.endpoint().security()).isEqualTo(Security.SSL_TLS);
        assertThat(first.outcome()).isEqualTo("TLS_HANDSHAKE");
        // GreenMail offers no STARTTLS on that port, so nothing secure remains
        assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.INSECURE_REFUSED);
    }

    @Test
    void oauth2TokenIsSentWithXoauth2WhereOffered() {
        // GreenMail offers AUTH=XOAUTH2 and takes the password as the token
        ImapAccount account = account(server.imapsPort(), Security.SSL_TLS)
                .credentials(Credentials.oauth2(USER, () -> Secret.of(PASSWORD))).build();

        assertThat(prober.probe(account).ok()).isTrue();
    }

    @Test
    void failingTokenSupplierIsReportedWithoutLeakingAnything() {
        ImapAccount account = account(server.imapsPort(), Security.SSL_TLS)
                .credentials(Credentials.oauth2(USER, () -> {
                    throw new IllegalStateException("refresh token revoked");
                })).build();

        Failure failure = prober.probe(account).failure().orElseThrow();

        assertThat(failure.kind()).isEqualTo(FailureKind.AUTH_FAILED);
        assertThat(failure.message()).contains("access-token supplier failed").doesNotContain("refresh token revoked");
        assertThat(failure.hint()).contains("authorize the application again");
    }

    @Test
    void probeFirstSkipsCandidatesThatDoNotAnswerAndStopsAtAWrongPassword() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ImapAccount nowhere = account(closedPort, Security.SSL_TLS).build();
        ImapAccount right = account(server.imapsPort(), Security.SSL_TLS).build();
        ImapAccount wrongPassword = account(server.imapsPort(), Security.SSL_TLS).password(USER, "wrong").build();

        ProbeResult found = prober.probeFirst(List.of(nowhere, right));
        assertThat(found.ok()).isTrue();
        assertThat(found.endpoint().orElseThrow().port()).isEqualTo(server.imapsPort());

        // a rejected password is not retried at the next candidate (providers lock accounts that do that)
        ProbeResult stopped = prober.probeFirst(List.of(wrongPassword, right));
        assertThat(stopped.failure().orElseThrow().kind()).isEqualTo(FailureKind.AUTH_FAILED);

        // when all fail, the first candidate's failure is the one reported
        ProbeResult allFailed = prober.probeFirst(List.of(nowhere, nowhere.withEndpoint(
                Endpoint.of("127.0.0.1", closedPort, Security.STARTTLS))));
        assertThat(allFailed.account()).isSameAs(nowhere);
    }

    private static MailFolder folder(ProbeResult result, String name) {
        return result.folders().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the test is over; nothing to report
        }
    }
}
