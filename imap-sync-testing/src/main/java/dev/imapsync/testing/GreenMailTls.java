package dev.imapsync.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.AuthorizationException;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import javax.net.ssl.SSLServerSocket;

/**
 * A running GreenMail serving IMAP in cleartext and IMAPS (TLS from the first byte) on
 * ephemeral ports of 127.0.0.1, the IMAPS side presenting a given {@link TestCertificate}.
 *
 * <p>Why not GreenMail's own IMAPS: GreenMail 2.1.8 takes its TLS key from
 * {@code DummySSLServerSocketFactory}, a lazily made JVM-wide singleton that reads the system
 * properties {@code greenmail.tls.keystore.file}, {@code greenmail.tls.keystore.password} and
 * {@code greenmail.tls.key.password} (else the bundled {@code greenmail.p12}) once, the first
 * time any GreenMail in the JVM opens a TLS port. So one JVM could only ever have one GreenMail
 * certificate, and whichever test came first would choose it. Here the IMAPS port is instead a
 * small {@link AbstractServer} that runs GreenMail's own {@code ImapHandler} behind our
 * {@link javax.net.ssl.SSLServerSocket}, sharing the GreenMail's users and mailboxes: each
 * instance can have its own certificate, and the system properties are never touched.
 *
 * <p>What GreenMail 2.1.8 speaks (asserted by {@code GreenMailFactsTest}): greeting
 * {@code * OK IMAP4rev1 Server GreenMail v2.1.8 ready} without a CAPABILITY code; CAPABILITY
 * {@code IMAP4rev1 LITERAL+ UIDPLUS SORT IDLE MOVE SASL-IR AUTH=XOAUTH2 QUOTA}, the same
 * before and after login; no STARTTLS (answered {@code BAD}); LOGIN and AUTHENTICATE XOAUTH2
 * (the token is the password), not AUTHENTICATE PLAIN; LIST without SPECIAL-USE attributes,
 * {@code LIST (SPECIAL-USE)} and {@code LIST ... RETURN (...)} are {@code BAD}; no XLIST, ID,
 * ENABLE or NAMESPACE; hierarchy delimiter {@code "."}.
 *
 * <p>Do not call {@code greenMail().reset()}: it replaces the mailboxes the IMAPS side serves.
 * {@code greenMail().getImaps()} is null, since the IMAPS port is not one of GreenMail's own.
 */
public final class GreenMailTls implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final GreenMail greenMail;
    private final CertificateImapsServer imaps;
    private final TestCertificate certificate;
    private boolean closed;

    private GreenMailTls(GreenMail greenMail, CertificateImapsServer imaps, TestCertificate certificate) {
        this.greenMail = greenMail;
        this.imaps = imaps;
        this.certificate = certificate;
    }

    /** Starts with {@link TestCertificates#localhost()} as the IMAPS certificate. */
    public static GreenMailTls start() {
        return start(TestCertificates.localhost());
    }

    /** Starts IMAP and IMAPS; IMAPS presents {@code certificate}. */
    public static GreenMailTls start(TestCertificate certificate) {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, LOOPBACK, ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        CertificateImapsServer imaps = new CertificateImapsServer(greenMail.getManagers(), certificate);
        try {
            imaps.startService();
            if (!imaps.waitTillRunning(STARTUP_TIMEOUT.toMillis()) || !imaps.isRunning()) {
                throw new IllegalStateException("GreenMail IMAPS did not start within " + STARTUP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll(imaps, greenMail);
            throw new IllegalStateException("interrupted while starting GreenMail IMAPS", e);
        } catch (RuntimeException e) {
            stopAll(imaps, greenMail);
            throw e;
        }
        return new GreenMailTls(greenMail, imaps, certificate);
    }

    public String host() {
        return LOOPBACK;
    }

    /** The cleartext IMAP port (no STARTTLS: GreenMail does not offer it). */
    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** The IMAPS port, TLS from the first byte with {@link #certificate()}. */
    public int imapsPort() {
        return imaps.getPort();
    }

    public TestCertificate certificate() {
        return certificate;
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    /**
     * Adds (or updates the password of) a user who logs in as {@code login}; the login is
     * also the user's email address.
     */
    public GreenMailUser addUser(String login, String password) {
        return greenMail.setUser(login, login, password);
    }

    /** As {@link #append(GreenMailUser, String, String, Instant, Flags.Flag...)}, received now and unflagged. */
    public long append(GreenMailUser user, String folder, String rfc822) {
        return append(user, folder, rfc822, Instant.now());
    }

    /**
     * Stores a message as the server would have received it, in {@code folder} ("INBOX",
     * "Sent", "Archive.2024": "." separates levels), creating the folder if needed; returns
     * its UID. {@code rfc822} is the raw message, headers and body, with LF or CRLF line ends;
     * {@code internalDate} is what INTERNALDATE and SEARCH SINCE see.
     */
    public long append(GreenMailUser user, String folder, String rfc822, Instant internalDate, Flags.Flag... flags) {
        Flags messageFlags = new Flags();
        for (Flags.Flag flag : flags) {
            messageFlags.add(flag);
        }
        return folder(user, folder).appendMessage(parse(rfc822), messageFlags, Date.from(internalDate));
    }

    private MailFolder folder(GreenMailUser user, String name) {
        ImapHostManager mailboxes = greenMail.getManagers().getImapHostManager();
        try {
            if (name.equalsIgnoreCase("INBOX")) {
                return mailboxes.getInbox(user);
            }
            MailFolder existing = mailboxes.getFolder(user, name);
            return existing != null ? existing : mailboxes.createMailbox(user, name);
        } catch (FolderException | AuthorizationException e) {
            throw new IllegalStateException("cannot open or create folder " + name + " of " + user.getLogin(), e);
        }
    }

    private static MimeMessage parse(String rfc822) {
        byte[] bytes = rfc822.replaceAll("\r?\n", "\r\n").getBytes(UTF_8);
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("not a parsable RFC 822 message", e);
        }
    }

    /** Stops IMAPS and GreenMail, each waiting a bounded time. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stopAll(imaps, greenMail);
        }
    }

    private static void stopAll(CertificateImapsServer imaps, GreenMail greenMail) {
        try {
            imaps.stopService(STOP_TIMEOUT.toMillis());
        } finally {
            greenMail.stop();
        }
    }

    /** GreenMail's IMAP protocol handler behind our own TLS server socket. */
    private static final class CertificateImapsServer extends AbstractServer {
        private final TestCertificate certificate;

        CertificateImapsServer(Managers managers, TestCertificate certificate) {
            super(new ServerSetup(0, LOOPBACK, ServerSetup.PROTOCOL_IMAPS), managers);
            this.certificate = certificate;
            setDaemon(true);
        }

        @Override
        protected ServerSocket openServerSocket() throws IOException {
            SSLServerSocket socket = (SSLServerSocket)
                    certificate.serverSslContext().getServerSocketFactory().createServerSocket();
            try {
                socket.setEnabledProtocols(TestCertificate.TLS_PROTOCOLS);
                socket.bind(new InetSocketAddress(bindTo, 0));
            } catch (IOException | RuntimeException e) {
                try {
                    socket.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
            setup = setup.port(socket.getLocalPort());
            setName("imap-sync-test-greenmail-imaps-" + socket.getLocalPort());
            return socket;
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            return QuietImapHandler.on(managers, socket, log);
        }
    }
}
