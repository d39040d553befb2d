package dev.imapsync.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

import dev.imapsync.testing.ScriptedImapServer.ReceivedLine;
import dev.imapsync.testing.ScriptedImapServer.Script;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ScriptedImapServerTest {

    private static final TestCertificate CERTIFICATE = TestCertificates.localhost();

    private static Script startTlsConversation() {
        return new Script()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Scripted ready")
                .expectAndReply("\\S+ CAPABILITY",
                        "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", "{tag} OK CAPABILITY completed")
                .expectAndReply("\\S+ STARTTLS", "{tag} OK Begin TLS negotiation now")
                .startTls(CERTIFICATE)
                .expectAndReply("\\S+ CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN", "{tag} OK CAPABILITY completed")
                .expectAndReply("\\S+ LOGIN alice s3cret", "{tag} OK LOGIN completed")
                .expectAndReply("\\S+ LOGOUT", "* BYE bye", "{tag} OK LOGOUT completed");
    }

    @Test
    void playsStartTlsAndRecordsWhatArrivedBeforeAndAfterTls() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.start(startTlsConversation())) {
            try (RawImapClient client = RawImapClient.connect(server.port())) {
                assertThat(client.readLine()).isEqualTo("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Scripted ready");
                assertThat(client.command("c1", "CAPABILITY")).containsExactly(
                        "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", "c1 OK CAPABILITY completed");
                assertThat(client.command("c2", "STARTTLS")).containsExactly("c2 OK Begin TLS negotiation now");
                client.startTls(RawImapClient.sslContextTrusting(CERTIFICATE.pem()), "127.0.0.1");
                assertThat(client.command("c3", "CAPABILITY")).first().isEqualTo("* CAPABILITY IMAP4rev1 AUTH=PLAIN");
                assertThat(client.command("c4", "LOGIN alice s3cret")).containsExactly("c4 OK LOGIN completed");
                assertThat(client.command("c5", "LOGOUT")).containsExactly("* BYE bye", "c5 OK LOGOUT completed");
                assertThat(client.readLine()).as("closed after the last step").isNull();
            }
            server.close();

            assertThat(server.receivedLines()).containsExactly(
                    new ReceivedLine(0, "c1 CAPABILITY", false),
                    new ReceivedLine(0, "c2 STARTTLS", false),
                    new ReceivedLine(0, "c3 CAPABILITY", true),
                    new ReceivedLine(0, "c4 LOGIN alice s3cret", true),
                    new ReceivedLine(0, "c5 LOGOUT", true));
            assertThat(server.linesBeforeTls()).containsExactly("c1 CAPABILITY", "c2 STARTTLS")
                    .noneMatch(line -> line.contains("s3cret"));
            assertThat(server.commandsMatching("\\S+ CAPABILITY")).isEqualTo(2);
            assertThat(server.connectionCount()).isEqualTo(1);
            server.assertNoFailures();
        }
    }

    @Test
    void angusMailWithStartTlsRequiredSendsItsCredentialsOnlyOverTls() throws Exception {
        Script script = new Script()
                .send("* OK Scripted ready")
                .answerCommandsUntil("\\S+ STARTTLS", Map.of(
                        "\\S+ CAPABILITY", List.of("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", "{tag} OK done"),
                        "\\S+ STARTTLS", List.of("{tag} OK Begin TLS")))
                .startTls(CERTIFICATE)
                .answerCommands(Map.of(
                        "\\S+ CAPABILITY", List.of("* CAPABILITY IMAP4rev1 AUTH=PLAIN", "{tag} OK done"),
                        "\\S+ (LOGIN|AUTHENTICATE) .*", List.of("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")));
        try (ScriptedImapServer server = ScriptedImapServer.start(script)) {
            Properties properties = new Properties();
            properties.put("mail.imap.starttls.enable", "true");
            properties.put("mail.imap.starttls.required", "true");
            properties.put("mail.imap.ssl.socketFactory", CERTIFICATE.clientSslContextTrustingOnlyThis().getSocketFactory());
            properties.put("mail.imap.ssl.checkserveridentity", "true");
            properties.put("mail.imap.connectiontimeout", "5000");
            properties.put("mail.imap.timeout", "5000");
            Store store = Session.getInstance(properties).getStore("imap");

            assertThatThrownBy(() -> store.connect(server.host(), server.port(), "alice", "s3cret"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("Invalid credentials");
            server.close();

            assertThat(server.linesBeforeTls()).isNotEmpty().noneMatch(line -> line.contains("s3cret"));
            assertThat(server.receivedLines()).filteredOn(ReceivedLine::tls)
                    .anyMatch(line -> line.text().matches("\\S+ (LOGIN|AUTHENTICATE) .*"));
            server.assertNoFailures();
        }
    }

    @Test
    void injectedBytesArriveInOneWriteTogetherWithTheOkBeforeTheHandshake() throws Exception {
        String injected = "c1 OK Begin TLS\r\n* OK [ALERT] injected before TLS\r\n";
        Script script = new Script()
                .send("* OK ready")
                .expect("\\S+ STARTTLS")
                .sendRawThenStartTls("{tag} OK Begin TLS\r\n* OK [ALERT] injected before TLS\r\n", CERTIFICATE)
                .expectAndReply("\\S+ NOOP", "{tag} OK NOOP over TLS");
        try (ScriptedImapServer server = ScriptedImapServer.start(script);
                RawImapClient client = RawImapClient.connect(server.port())) {
            assertThat(client.readLine()).isEqualTo("* OK ready");
            client.send("c1 STARTTLS");

            InputStream in = client.socket().getInputStream();
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            assertThat(new String(buffer, 0, read, US_ASCII)).as("one read returns the whole single write")
                    .isEqualTo(injected);

            client.startTls(RawImapClient.sslContextTrusting(CERTIFICATE.pem()), "localhost");
            assertThat(client.command("c2", "NOOP")).containsExactly("c2 OK NOOP over TLS");
            server.close();
            server.assertNoFailures();
        }
    }

    @Test
    void aLineThatDoesNotMatchExpectIsAFailureAndEndsTheConnection() throws Exception {
        Script script = new Script().send("* OK ready").expectAndReply("\\S+ CAPABILITY", "{tag} OK");
        try (ScriptedImapServer server = ScriptedImapServer.start(script);
                RawImapClient client = RawImapClient.connect(server.port())) {
            client.readLine();
            client.send("x1 LOGIN alice s3cret");

            assertThat(client.readLine()).as("connection closed").isNull();
            server.close();
            assertThat(server.failures()).singleElement(THROWABLE)
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("connection #0: the script expected /\\S+ CAPABILITY/ but the client sent: x1 LOGIN alice s3cret");
            assertThatThrownBy(server::assertNoFailures).isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("the scripted server recorded 1 failure(s)");
        }
    }

    @Test
    void aClientThatLeavesWhileTheScriptExpectsMoreIsAFailure() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script().send("* OK ready").expect("\\S+ LOGOUT"))) {
            try (RawImapClient client = RawImapClient.connect(server.port())) {
                client.readLine();
            }
            server.close();

            assertThat(server.failures()).singleElement().asString()
                    .contains("the client closed the connection while the script expected /\\S+ LOGOUT/");
        }
    }

    @Test
    void answerCommandsRepliesByPatternWithContinuationsLiteralsAndBadAndStopsAtLogout() throws Exception {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("\\S+ AUTHENTICATE PLAIN", List.of("+ ", "{tag} NO [AUTHENTICATIONFAILED] nope"));
        answers.put("(?s)\\S+ LOGIN .*", List.of("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials"));
        Script script = new Script().send("* OK ready").answerCommands(answers).send("* BYE the script goes on after LOGOUT");
        try (ScriptedImapServer server = ScriptedImapServer.start(script);
                RawImapClient client = RawImapClient.connect(server.port())) {
            client.readLine();
            client.send("a1 AUTHENTICATE PLAIN");
            assertThat(client.readLine()).isEqualTo("+ ");
            client.send("AGFsaWNlAHMzY3JldA==");
            assertThat(client.readLine()).isEqualTo("a1 NO [AUTHENTICATIONFAILED] nope");

            client.send("a2 LOGIN alice {6}");
            assertThat(client.readLine()).isEqualTo("+ Ready for literal data");
            client.send("s3cr\"t");
            assertThat(client.readLine()).isEqualTo("a2 NO [AUTHENTICATIONFAILED] Invalid credentials");

            assertThat(client.command("a3", "NOOP")).containsExactly("a3 BAD Command not scripted");
            assertThat(client.command("a4", "LOGOUT")).containsExactly("* BYE Logging out", "a4 OK LOGOUT completed");
            assertThat(client.readLine()).isEqualTo("* BYE the script goes on after LOGOUT");
            assertThat(client.readLine()).isNull();
            server.close();

            assertThat(server.receivedLines()).extracting(ReceivedLine::text).containsExactly(
                    "a1 AUTHENTICATE PLAIN", "AGFsaWNlAHMzY3JldA==", "a2 LOGIN alice {6}\r\ns3cr\"t", "a3 NOOP", "a4 LOGOUT");
            server.assertNoFailures();
        }
    }

    @Test
    void implicitTlsServerSpeaksTlsFromTheFirstByte() throws Exception {
        Script script = new Script().send("* OK TLS ready").expectAndReply("\\S+ LOGOUT", "* BYE", "{tag} OK");
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(CERTIFICATE, script);
                RawImapClient client = RawImapClient.connectTls(
                        server.port(), RawImapClient.sslContextTrusting(CERTIFICATE.pem()), "127.0.0.1")) {
            assertThat(client.readLine()).isEqualTo("* OK TLS ready");
            client.socket().setSoTimeout(300);
            assertThatThrownBy(client::readLine).as("idle for longer than the server's read poll")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(client.command("z", "LOGOUT")).containsExactly("* BYE", "z OK");
            server.close();

            assertThat(server.receivedLines()).containsExactly(new ReceivedLine(0, "z LOGOUT", true));
            assertThat(server.linesBeforeTls()).isEmpty();
            server.assertNoFailures();
        }
    }

    @Test
    void aClientRejectingTheCertificateShowsUpAsAServerSideFailure() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.startImplicitTls(
                TestCertificates.otherHost(), new Script().send("* OK never seen"))) {
            assertThatThrownBy(() -> RawImapClient.connectTls(
                    server.port(), RawImapClient.sslContextTrusting(TestCertificates.otherHost().pem()), "127.0.0.1"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseMessage("No subject alternative names matching IP address 127.0.0.1 found");
            server.close();

            assertThat(server.failures()).as("handshake alert or broken pipe, depending on timing")
                    .singleElement().isInstanceOf(IOException.class);
            assertThat(server.receivedLines()).isEmpty();
        }
    }

    @Test
    void scriptsMayDifferByConnectionIndex() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.start(index -> index == 0
                ? new Script().send("* BYE too busy").hangUp().send("* OK never sent")
                : new Script().send("* OK welcome"))) {
            try (RawImapClient first = RawImapClient.connect(server.port())) {
                assertThat(first.readLine()).isEqualTo("* BYE too busy");
                assertThat(first.readLine()).isNull();
            }
            try (RawImapClient second = RawImapClient.connect(server.port())) {
                assertThat(second.readLine()).isEqualTo("* OK welcome");
            }
            server.close();

            assertThat(server.connectionCount()).isEqualTo(2);
            server.assertNoFailures();
        }
    }

    @Test
    void silenceNeverSpeaksButRecordsAndEndsWhenTheServerCloses() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script().silence());
                RawImapClient client = RawImapClient.connect(server.port())) {
            client.socket().setSoTimeout((int) Duration.ofMillis(300).toMillis());
            client.send("a1 CAPABILITY");

            assertThatThrownBy(client::readLine).isInstanceOf(SocketTimeoutException.class);
            server.close();
            server.close();

            client.socket().setSoTimeout(5_000);
            assertThat(client.readLine()).as("closed by the server").isNull();
            assertThat(server.receivedLines()).containsExactly(new ReceivedLine(0, "a1 CAPABILITY", false));
            server.assertNoFailures();
        }
    }

    @Test
    void resetAbortsTheConnection() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script().send("* OK ready").expect("\\S+ NOOP").reset());
                RawImapClient client = RawImapClient.connect(server.port())) {
            client.readLine();
            client.send("a1 NOOP");

            assertThatThrownBy(client::readLine).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void sendingTheTagBeforeAnyCommandIsAScriptFailure() throws Exception {
        try (ScriptedImapServer server = ScriptedImapServer.start(new Script().send("{tag} OK too early"));
                RawImapClient client = RawImapClient.connect(server.port())) {
            assertThat(client.readLine()).isNull();
            server.close();

            assertThat(server.failures()).singleElement(THROWABLE)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("connection #0: the script sends {tag} before the client sent a command: {tag} OK too early");
        }
    }
}
