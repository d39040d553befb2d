package dev.imapsync.jdbc.crash;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.AuthorizationException;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.util.ServerSetup;
import dev.imapsync.jdbc.crash.GeneratedMailbox.Mail;
import dev.imapsync.testing.QuietImapHandler;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * GreenMail's IMAP serving cleartext on an ephemeral port of 127.0.0.1, in the test's JVM, with
 * one user whose folders the test fills. GreenMail's handler throws (and prints a stack trace)
 * when a client vanishes mid-answer, which a killed child always does: here that is one debug
 * line.
 */
public final class PlainImapServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Managers managers = new Managers();
    private final Server server = new Server(managers);
    private final GreenMailUser user;
    private final Session session = Session.getInstance(new Properties());

    public PlainImapServer(String login, String password) throws UserException, InterruptedException {
        user = managers.getUserManager().createUser(login, login, password);
        server.startService();
        if (!server.waitTillRunning(STARTUP.toMillis())) {
            server.stopService();
            throw new IllegalStateException("GreenMail IMAP did not start within " + STARTUP);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Stores {@code mail} in its folder (made if needed), received at its date; returns its UID. */
    public long store(Mail mail) {
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(mail.rfc822().getBytes(UTF_8)));
            return folder(mail.folder()).appendMessage(message, new Flags(), Date.from(mail.date()));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("The generated message " + mail.messageId() + " does not parse", e);
        }
    }

    private MailFolder folder(String name) {
        ImapHostManager mailboxes = managers.getImapHostManager();
        try {
            if (name.equals(GeneratedMailbox.INBOX)) {
                return mailboxes.getInbox(user);
            }
            MailFolder existing = mailboxes.getFolder(user, name);
            return existing != null ? existing : mailboxes.createMailbox(user, name);
        } catch (FolderException | AuthorizationException e) {
            throw new IllegalStateException("Cannot open or make folder " + name, e);
        }
    }

    @Override
    public void close() {
        server.stopService();
    }

    /** GreenMail's IMAP handler, quiet about clients that vanish. */
    private static final class Server extends AbstractServer {
        Server(Managers managers) {
            super(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP), managers);
            setDaemon(true);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            try {
                // GreenMail writes a response in several small writes: with Nagle's algorithm and delayed
                // ACKs, each round trip waits about 40 ms, which made a sync of 60 messages take 0.5 s
                socket.setTcpNoDelay(true);
            } catch (SocketException e) {
                // closed already; the handler will find out
            }
            return QuietImapHandler.on(managers, socket, log);
        }
    }
}
