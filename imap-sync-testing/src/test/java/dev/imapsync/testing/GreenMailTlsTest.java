package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class GreenMailTlsTest {

    private static final String MESSAGE = """
            From: Bob Builder <bob@example.org>
            To: alice@example.com
            Subject: Quarterly numbers
            Date: Tue, 02 Jan 2024 10:00:00 +0000
            Message-ID: <q1@example.org>

            See attached.
            """;

    @Test
    void imapsPresentsTheGivenCertificateAndPassesHostNameVerification() throws Exception {
        try (GreenMailTls server = GreenMailTls.start()) {
            SSLContext trustingOnlyThePem = RawImapClient.sslContextTrusting(server.certificate().pem());

            for (String hostName : new String[] {"127.0.0.1", "localhost"}) {
                try (RawImapClient client = RawImapClient.connectTls(server.imapsPort(), trustingOnlyThePem, hostName)) {
                    assertThat(client.readLine()).startsWith("* OK ");
                }
            }
        }
    }

    @Test
    void aCertificateForAnotherNameFailsHostNameVerification() throws Exception {
        try (GreenMailTls server = GreenMailTls.start(TestCertificates.otherHost())) {
            SSLContext trustingOnlyThePem = RawImapClient.sslContextTrusting(server.certificate().pem());

            assertThatThrownBy(() -> RawImapClient.connectTls(server.imapsPort(), trustingOnlyThePem, "127.0.0.1"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(CertificateException.class)
                    .rootCause()
                    .hasMessage("No subject alternative names matching IP address 127.0.0.1 found");
            assertThatThrownBy(() -> RawImapClient.connectTls(server.imapsPort(), trustingOnlyThePem, "localhost"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .rootCause()
                    .isInstanceOf(CertificateException.class)
                    .hasMessage("No subject alternative DNS name matching localhost found.");
        }
    }

    @Test
    void twoInstancesInOneJvmPresentTheirOwnCertificates() throws Exception {
        TestCertificate mine = TestCertificate.selfSigned("localhost", "127.0.0.1");
        try (GreenMailTls first = GreenMailTls.start(); GreenMailTls second = GreenMailTls.start(mine)) {
            SSLContext trustingMine = mine.clientSslContextTrustingOnlyThis();

            try (RawImapClient client = RawImapClient.connectTls(second.imapsPort(), trustingMine, "127.0.0.1")) {
                assertThat(client.readLine()).startsWith("* OK ");
            }
            assertThatThrownBy(() -> RawImapClient.connectTls(first.imapsPort(), trustingMine, "127.0.0.1"))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void usersLogInOverBothPortsAndSeeMessagesAppendedToTheirFolders() throws Exception {
        try (GreenMailTls server = GreenMailTls.start()) {
            GreenMailUser alice = server.addUser("alice@example.com", "pa55word");
            long inboxUid = server.append(alice, "INBOX", MESSAGE, Instant.parse("2024-01-02T10:00:05Z"));
            long sentUid = server.append(alice, "Sent", MESSAGE.replace("q1@", "s1@"), Instant.now(), Flags.Flag.SEEN);

            assertThat(inboxUid).isEqualTo(1);
            assertThat(sentUid).isEqualTo(1);
            try (RawImapClient client = RawImapClient.connect(server.imapPort())) {
                client.readLine();
                assertThat(client.command("a1", "LOGIN alice@example.com pa55word")).last().asString().startsWith("a1 OK");
                assertThat(client.command("a2", "LIST \"\" \"*\""))
                        .contains("* LIST () \".\" \"INBOX\"", "* LIST () \".\" \"Sent\"");
                assertThat(client.command("a3", "EXAMINE INBOX")).contains("* 1 EXISTS");
                assertThat(client.command("a4", "UID FETCH 1:* (INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))
                        .anySatisfy(line -> assertThat(line).contains("INTERNALDATE \"02-Jan-2024 10:00:05 +0000\""))
                        .contains("Subject: Quarterly numbers");
            }
        }
    }

    @Test
    void angusMailReadsTheMailboxOverImapsVerifyingCertificateAndHostName() throws Exception {
        try (GreenMailTls server = GreenMailTls.start()) {
            GreenMailUser alice = server.addUser("alice", "pa55word");
            server.append(alice, "Archive.2024", MESSAGE);

            Properties properties = new Properties();
            properties.put("mail.imaps.ssl.socketFactory",
                    RawImapClient.sslContextTrusting(server.certificate().pem()).getSocketFactory());
            properties.put("mail.imaps.ssl.checkserveridentity", "true");
            properties.put("mail.imaps.connectiontimeout", "5000");
            properties.put("mail.imaps.timeout", "5000");
            Store store = Session.getInstance(properties).getStore("imaps");
            store.connect("127.0.0.1", server.imapsPort(), "alice", "pa55word");
            try {
                Folder archive = store.getFolder("Archive.2024");
                archive.open(Folder.READ_ONLY);
                Message[] messages = archive.getMessages();
                assertThat(messages).hasSize(1);
                assertThat(messages[0].getSubject()).isEqualTo("Quarterly numbers");
                archive.close(false);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void closeIsSafeTwiceAndFreesThePorts() throws Exception {
        GreenMailTls server = GreenMailTls.start();
        int imaps = server.imapsPort();

        server.close();
        server.close();

        assertThatThrownBy(() -> RawImapClient.connect(imaps)).isInstanceOf(java.net.ConnectException.class);
    }
}
