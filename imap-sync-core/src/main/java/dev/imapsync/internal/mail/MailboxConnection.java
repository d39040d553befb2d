package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.FailureClassifier;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.internal.transport.TlsSettings;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in IMAP connection of one account. Confined to the thread that opened it.
 * Closing it is safe twice.
 */
public final class MailboxConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxConnection.class);

    private final ImapAccount account;
    private final Endpoint endpoint;
    private final GuardedImapStore store;
    private final SocketDeadline deadline;

    private MailboxConnection(ImapAccount account, Endpoint endpoint, GuardedImapStore store, SocketDeadline deadline) {
        this.account = account;
        this.endpoint = endpoint;
        this.store = store;
        this.deadline = deadline;
    }

    /**
     * Connects and logs in once; {@link MailboxConnector} is the way in.
     *
     * @param deadline when it passes, the connection is closed and what was under way ends as
     *                 TIMEOUT ({@link SocketDeadline#none()} for a connection bounded only by its timeouts)
     * @throws ConnectionFailure classified; the credentials were sent at most once
     */
    static MailboxConnection open(ImapAccount account, Endpoint endpoint, TlsSettings tls,
                                  SocketDeadline deadline) throws ConnectionFailure {
        return open(account, endpoint, tls, deadline, BearerLogin.XOAUTH2);
    }

    /**
     * As {@link #open(ImapAccount, Endpoint, TlsSettings, SocketDeadline)}, with the bearer
     * mechanism used where the server offers both (tests try each against one server).
     */
    static MailboxConnection open(ImapAccount account, Endpoint endpoint, TlsSettings tls, SocketDeadline deadline,
                                  BearerLogin preferredBearer) throws ConnectionFailure {
        GuardedImapStore store = new GuardedImapStore(MailSessions.session(account, endpoint),
                MailSessions.connection(account, endpoint, tls, deadline), endpoint, account.credentials(),
                preferredBearer, deadline);
        try {
            // an OAuth2 token is not given to Angus: the store asks the supplier itself, once the
            // server has shown it takes a bearer token (Angus wants a non-null password)
            store.connect(endpoint.host(), endpoint.port(), account.credentials().user(),
                    passwordOf(account.credentials()));
        } catch (MessagingException e) {
            closeQuietly(store);
            throw new ConnectionFailure(deadline.expired() ? timedOut("logging in", e)
                    : bearerRefusal(LoginFailures.classify(e, store.credentialsAboutToBeSent()), store));
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw new ConnectionFailure(FailureClassifier.classify(e, "logging in"));
        }
        LOG.debug("account {}: logged in at {}", account.id(), endpoint);
        return new MailboxConnection(account, endpoint, store, deadline);
    }

    private static String passwordOf(Credentials credentials) {
        return credentials instanceof Credentials.Password ? ((Credentials.Password) credentials).password().reveal()
                : "";
    }

    /**
     * A refused bearer token's failure, with the status of the server's error challenge; or, where
     * the server answered {@code NO [UNAVAILABLE]} (RFC 5530: a subsystem is down, try again
     * later), OAUTH_UNAVAILABLE: the server could not check the token with its authorization
     * server (Dovecot's {@code oauth2} passdb when introspection fails), which is retried, not a
     * refused token.
     */
    private static Classified bearerRefusal(Classified c, GuardedImapStore store) {
        if (c.kind() != FailureKind.AUTH_FAILED || !store.bearerSent()) {
            return c;
        }
        if (c.detail().toUpperCase(Locale.ROOT).contains("[UNAVAILABLE]")) {
            return new Classified(FailureKind.OAUTH_UNAVAILABLE, "the server could not check the OAuth2 token now"
                    + " (its authorization server may be down): " + c.detail(), c.cause());
        }
        String status = store.bearerError();
        if (status == null || status.isEmpty()) {
            return c;
        }
        return new Classified(c.kind(), c.detail() + " (the server's error challenge said: " + status + ")", c.cause());
    }

    /** The endpoint this connection is logged in at. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The server's capabilities after login, upper case, in the server's order. */
    public List<String> capabilities() throws ConnectionFailure {
        Object result = command("asking for capabilities", p -> {
            List<String> names = new ArrayList<>();
            for (String c : p.getCapabilities().keySet()) {
                if (!c.startsWith("__")) {
                    names.add(c.toUpperCase(Locale.ROOT));
                }
            }
            return names;
        });
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) result;
        return List.copyOf(names);
    }

    /** Whether the server announced this capability (after login). */
    public boolean hasCapability(String capability) {
        try {
            return store.hasCapability(capability);
        } catch (MessagingException e) {
            return false;
        }
    }

    /**
     * Opens a folder read-only (EXAMINE), with CONDSTORE where offered and Gmail's items where
     * the server is Gmail.
     *
     * @param decodedName the folder's name with modified UTF-7 decoded
     */
    public FolderReader examine(String decodedName) throws ConnectionFailure {
        return FolderReader.examine(store, decodedName, hasCapability("CONDSTORE"), hasCapability("X-GM-EXT-1"),
                hasCapability("OBJECTID"), hasCapability("BINARY"));
    }

    /**
     * Opens a folder read-only (EXAMINE) to read single messages in full: an email opened on
     * demand, one attachment streamed.
     *
     * @param decodedName the folder's name with modified UTF-7 decoded
     */
    public MessageFolder examineMessages(String decodedName) throws ConnectionFailure {
        return new MessageFolder(FolderReader.examine(store, decodedName, false, hasCapability("X-GM-EXT-1"), false, false),
                decodedName);
    }

    /**
     * The store behind this connection, for {@link IdleConnection}, which opens its folder
     * read-only and drives IDLE on it with its own commands.
     */
    GuardedImapStore store() {
        return store;
    }

    /**
     * Every folder, with the special-use attributes when the server offers them
     * ({@code LIST "" "*" RETURN (SPECIAL-USE)} where LIST-EXTENDED and SPECIAL-USE are
     * announced, a plain LIST otherwise).
     */
    public List<ListedFolder> listFolders() throws ConnectionFailure {
        Object result = command("listing folders", p -> {
            boolean extended = p.hasCapability("LIST-EXTENDED") && p.hasCapability("SPECIAL-USE");
            Response[] responses = p.command(extended ? "LIST \"\" \"*\" RETURN (SPECIAL-USE)" : "LIST \"\" \"*\"", null);
            Response last = responses[responses.length - 1];
            List<ListedFolder> folders = new ArrayList<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof IMAPResponse && ((IMAPResponse) responses[i]).keyEquals("LIST")) {
                    folders.add(parseList((IMAPResponse) responses[i]));
                    responses[i] = null;
                }
            }
            p.notifyResponseHandlers(responses);
            keepViolation(last);
            p.handleResult(last);
            return folders;
        });
        @SuppressWarnings("unchecked")
        List<ListedFolder> folders = (List<ListedFolder>) result;
        return List.copyOf(folders);
    }

    /**
     * When the response reader refused what the server sent, Angus ends the command with a
     * synthetic BYE and closes the store with nothing but that BYE's text; this keeps the
     * reader's exception as the cause, so the failure says what the server did.
     */
    private static void keepViolation(Response last) throws ProtocolException {
        Exception behind = last.getException();
        if (last.isBYE() && FailureClassifier.isProtocolViolation(behind)) {
            throw new ProtocolException(behind.getMessage(), behind);
        }
    }

    /** Parses the rest of {@code * LIST (attributes) "delimiter"|NIL name}, keeping the raw name. */
    static ListedFolder parseList(IMAPResponse r) throws ParsingException {
        String[] attributes = r.readSimpleList();
        r.skipSpaces();
        String delimiter;
        if (r.peekByte() == '"') {
            r.readByte();
            byte b = r.readByte();
            if (b == '\\') {
                b = r.readByte();
            }
            delimiter = String.valueOf((char) (b & 0xff));
            r.readByte(); // closing quote
        } else {
            String nil = r.readAtom();
            if (!"NIL".equalsIgnoreCase(nil)) {
                throw new ParsingException("LIST delimiter is neither a quoted character nor NIL: " + nil);
            }
            delimiter = "";
        }
        r.skipSpaces();
        String name = r.readAtomString();
        if (name == null) {
            throw new ParsingException("LIST answer without a mailbox name");
        }
        return new ListedFolder(name, delimiter, attributes == null ? List.of() : Arrays.asList(attributes));
    }

    private Object command(String what, IMAPFolder.ProtocolCommand command) throws ConnectionFailure {
        try {
            IMAPFolder root = (IMAPFolder) store.getDefaultFolder();
            return root.doCommand(command);
        } catch (MessagingException e) {
            if (deadline.expired()) {
                throw new ConnectionFailure(timedOut(what, e));
            }
            Classified c = FailureClassifier.classify(e, what);
            Throwable violation = ConnectionFailure.violation(e);
            if (violation != null) {
                // the reader's own words, not Angus's synthetic "* BYE Jakarta Mail Exception: ..." around them
                c = new Classified(FailureKind.PROTOCOL_ERROR, "the server broke the IMAP protocol while " + what
                        + ": " + violation.getMessage() + "; the connection was closed", e);
            } else if (c.kind() == FailureKind.PROTOCOL_ERROR && e.getMessage() != null) {
                c = new Classified(FailureKind.PROTOCOL_ERROR, "the server failed " + what + ": " + e.getMessage(), e);
            }
            throw new ConnectionFailure(c);
        } catch (RuntimeException e) {
            // Angus's parsers trust the server; what the response reader lets through may still trip
            // them (an index past the end of a response): the server's answer, not a bug to escape
            throw new ConnectionFailure(new Classified(FailureKind.PROTOCOL_ERROR, "the server's answer while "
                    + what + " could not be read (" + e + ")", e));
        }
    }

    private static Classified timedOut(String what, Exception e) {
        return new Classified(FailureKind.TIMEOUT, "no answer within the deadline (it passed while " + what + ")", e);
    }

    /** Logs out and closes; safe twice. */
    @Override
    public void close() {
        deadline.close();
        closeQuietly(store);
    }

    private static void closeQuietly(GuardedImapStore store) {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("closing the IMAP connection failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "MailboxConnection[account=" + account.id() + ", endpoint=" + endpoint + "]";
    }
}
