package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.SocketDeadline;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection that waits in IMAP IDLE (RFC 2177) on the folder that receives new mail,
 * read-only: it logs in like every other connection ({@link MailboxConnector}), opens
 * the folder with EXAMINE (so no flag ever changes and nothing is expunged) and then runs IDLE
 * commands, each ended with DONE by a timer after the re-issue interval.
 *
 * <p>IDLE is driven the way Angus drives its own IDLE: the command is written with
 * {@code writeCommand} inside {@link IMAPFolder#doCommand} and the responses are read one by
 * one with the protocol's reader, while another thread may end the command by writing DONE
 * ({@link IMAPProtocol#idleAbort()}). The socket keeps the account's read timeout: during IDLE
 * a read that times out with nothing received only means the server had nothing to say, and
 * reading goes on; but once DONE was sent, the server must answer within the read timeout or
 * the connection counts as dead. A timer also closes the sockets if the answer to DONE has not
 * come by then (a server that trickles keep-alive lines but never answers).
 *
 * <p>Threads: {@link #open()}, {@link #examineNewMailFolder()}, {@link #idle} and
 * {@link #close()} run on one thread at a time; {@link #done()}, {@link #stop()} and
 * {@link #abort(String)} may be called from any thread.
 */
public final class IdleConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleConnection.class);
    private static final String INBOX = "INBOX";

    private final ImapAccount account;
    private final MailboxConnector connector;
    private final SocketDeadline sockets = SocketDeadline.none();
    private final Duration answerTimeout;
    private volatile MailboxConnection connection;
    private IMAPFolder folder;
    private String folderName;
    private long exists = -1;

    /** The protocol while an IDLE command is under way (after the server's continuation), else null. */
    private volatile IMAPProtocol idling;
    /** Counts IDLE commands, so that a timer of an earlier one never ends a later one. */
    private volatile long generation;
    private final AtomicBoolean doneSent = new AtomicBoolean();
    private volatile long doneSentAt;
    private volatile boolean stopRequested;
    private volatile String abortReason;
    private volatile boolean idleRefused;

    /**
     * A connection not yet opened.
     *
     * @param connector opens the connection for the account; the account's read timeout is
     *                  also how long the server may take to answer DONE
     */
    public IdleConnection(MailboxConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.account = connector.account();
        this.answerTimeout = account.readTimeout();
    }

    /** Connects and logs in once, at the account's endpoint. */
    public void open() throws ConnectionFailure {
        if (connection != null) {
            throw new IllegalStateException("already open");
        }
        MailboxConnection opened = connector.open(sockets);
        connection = opened;
        if (abortReason != null) {
            throw new ConnectionFailure(Classified.of(FailureKind.TIMEOUT, abortReason));
        }
    }

    /** Whether the server announced IDLE after login. */
    public boolean supportsIdle() {
        return requireOpen().hasCapability("IDLE");
    }

    /**
     * Opens the folder that receives new mail read-only (EXAMINE): the {@code \All} folder on
     * Gmail (where every message arrives, whatever its labels), INBOX elsewhere or when Gmail
     * hides All Mail from IMAP.
     *
     * @return the folder's name, as the server lists it
     */
    public String examineNewMailFolder() throws ConnectionFailure {
        MailboxConnection c = requireOpen();
        List<MailFolder> folders = MailboxFacts.folders(c.listFolders());
        MailProvider provider = MailboxFacts.provider(account, c.endpoint(), c.capabilities(), folders);
        String raw = INBOX;
        if (provider == MailProvider.GMAIL) {
            raw = folders.stream().filter(f -> f.hasRole(FolderRole.ALL) && f.isSelectable()).findFirst()
                    .map(MailFolder::name).orElse(INBOX);
        }
        String decoded = MailFolder.decodeName(raw);
        try {
            IMAPFolder f = (IMAPFolder) c.store().getFolder(decoded);
            f.open(Folder.READ_ONLY);
            folder = f;
            folderName = raw;
            exists = f.getMessageCount();
        } catch (FolderNotFoundException e) {
            throw new ConnectionFailure(new Classified(FailureKind.PROTOCOL_ERROR,
                    "the folder to watch does not exist: " + raw, e));
        } catch (MessagingException | RuntimeException e) {
            throw failure(e, "opening folder " + raw + " read-only");
        }
        LOG.debug("account {}: watching folder {} ({} messages)", account.id(), raw, exists);
        return raw;
    }

    /** The watched folder's name as the server lists it, or null before {@link #examineNewMailFolder()}. */
    public String folderName() {
        return folderName;
    }

    /** How many messages the watched folder holds, as last reported by the server; -1 before EXAMINE. */
    public long exists() {
        return exists;
    }

    /**
     * Runs one IDLE command until it ends: returns when the server answered the DONE that a
     * timer sends {@code reissueAfter} after the server accepted IDLE (or that {@link #stop()}
     * or {@link #done()} sent), so the caller can issue the next one.
     *
     * @param reissueAfter how long one IDLE command lasts (RFC 2177 servers may end IDLE after 30 minutes)
     * @param timer        runs the DONE and the check that DONE was answered
     * @param listener     told when IDLE starts and when new mail arrives
     * @throws ConnectionFailure the connection is gone (BYE, closed, reset, no answer to DONE in
     *                           time) or the server refused IDLE
     */
    public void idle(Duration reissueAfter, ScheduledExecutorService timer, IdleListener listener)
            throws ConnectionFailure {
        Objects.requireNonNull(reissueAfter, "reissueAfter");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(listener, "listener");
        IMAPFolder f = folder;
        if (f == null) {
            throw new IllegalStateException("no folder open: call examineNewMailFolder() first");
        }
        long id = ++generation;
        doneSent.set(false);
        ScheduledFuture<?>[] timers = new ScheduledFuture<?>[2];
        try {
            f.doCommand(p -> {
                try {
                    run(p, id, reissueAfter, timer, timers, listener);
                } catch (IOException e) {
                    throw new ProtocolException("I/O failure while idling", e);
                }
                return null;
            });
        } catch (MessagingException | RuntimeException e) {
            throw failure(e, "idling on folder " + folderName);
        } finally {
            idling = null;
            for (ScheduledFuture<?> t : timers) {
                if (t != null) {
                    t.cancel(false);
                }
            }
        }
    }

    private void run(IMAPProtocol p, long id, Duration reissueAfter, ScheduledExecutorService timer,
                     ScheduledFuture<?>[] timers, IdleListener listener) throws IOException, ProtocolException {
        String tag = p.writeCommand("IDLE", null);
        while (true) {
            Response r = read(p);
            if (r == null) {
                throw new SocketTimeoutException("the server did not answer IDLE within " + answerTimeout);
            }
            if (r.isContinuation()) {
                break;
            }
            if (r.isTagged() && tag.equals(r.getTag()) && !r.isOK()) {
                idleRefused = true;
            }
            if (ended(p, r, tag)) {
                return;
            }
            untagged(r, listener);
        }
        idling = p;
        listener.idling();
        long reissueNanos = reissueAfter.toNanos();
        timers[0] = timer.schedule(() -> doneIfStill(id), reissueNanos, TimeUnit.NANOSECONDS);
        timers[1] = timer.schedule(() -> abortIfStill(id, "the server did not answer DONE within "
                + answerTimeout + ": the connection is dead"), reissueNanos + answerTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
        if (stopRequested) {
            done();
        }
        while (true) {
            Response r = read(p);
            if (r == null) {
                if (doneSent.get() && System.nanoTime() - doneSentAt >= answerTimeout.toNanos()) {
                    throw new SocketTimeoutException("the server did not answer DONE within " + answerTimeout);
                }
                continue; // a quiet IDLE: nothing happened in the folder
            }
            if (ended(p, r, tag)) {
                return;
            }
            untagged(r, listener);
        }
    }

    /**
     * One response, or null when the read timed out with nothing received: the reader has
     * consumed no byte then, so reading can simply go on.
     */
    private static Response read(IMAPProtocol p) throws IOException, ProtocolException {
        try {
            return new IMAPResponse(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Whether {@code r} ends the IDLE command (its tagged OK); BYE and a tagged NO or BAD throw. */
    private static boolean ended(IMAPProtocol p, Response r, String tag) throws ProtocolException {
        if (r.isBYE()) {
            throw new ConnectionException(p, r);
        }
        if (r.isTagged() && tag.equals(r.getTag())) {
            if (r.isOK()) {
                return true;
            }
            throw new ProtocolException(r);
        }
        return false;
    }

    private void untagged(Response r, IdleListener listener) {
        if (!(r instanceof IMAPResponse) || !r.isUnTagged()) {
            return;
        }
        IMAPResponse response = (IMAPResponse) r;
        if (response.keyEquals("EXISTS")) {
            long n = response.getNumber();
            long before = exists;
            exists = n;
            if (before >= 0 && n > before) {
                listener.newMail(n);
            }
        } else if (response.keyEquals("EXPUNGE")) {
            if (exists > 0) {
                exists--;
            }
        }
        // RECENT always comes with the EXISTS of the same messages; FETCH (flag changes),
        // OK keep-alives and anything else say nothing about new mail
    }

    /**
     * Ends the current IDLE command by sending DONE, at most once per command; nothing when no
     * IDLE is under way. Any thread.
     */
    public void done() {
        IMAPProtocol p = idling;
        if (p != null && doneSent.compareAndSet(false, true)) {
            doneSentAt = System.nanoTime();
            p.idleAbort(); // writes DONE; a failed write shows as a dead connection soon after
        }
    }

    private void doneIfStill(long id) {
        if (generation == id) {
            done();
        }
    }

    private void abortIfStill(long id, String reason) {
        if (generation == id && idling != null) {
            abort(reason);
        }
    }

    /**
     * Asks the connection to end gracefully: the current IDLE command (or the next one, as soon
     * as the server accepts it) is ended with DONE. Any thread.
     */
    public void stop() {
        stopRequested = true;
        done();
    }

    /**
     * Whether the server answered IDLE with NO or BAD instead of accepting it (it announced a
     * capability it does not honour): retrying would only fail again.
     */
    public boolean idleRefused() {
        return idleRefused;
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Closes the sockets at once, whatever the connection is doing (logging in, reading): what
     * is under way ends with a failure whose detail is {@code reason}. Any thread.
     *
     * @param reason why, for the failure that results (never a secret)
     */
    public void abort(String reason) {
        if (abortReason == null) {
            abortReason = reason;
        }
        sockets.expireNow();
    }

    /**
     * Closes the folder (CLOSE on a read-only folder never expunges) and logs out; safe twice.
     * After a failure, call {@link #abort(String)} first so that nothing waits for a dead server.
     */
    @Override
    public void close() {
        IMAPFolder f = folder;
        folder = null;
        if (f != null) {
            try {
                if (f.isOpen()) {
                    f.close(false);
                }
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("account {}: closing the watched folder failed: {}", account.id(), e.toString());
            }
        }
        MailboxConnection c = connection;
        if (c != null) {
            c.close();
        } else {
            sockets.close();
        }
    }

    private MailboxConnection requireOpen() {
        MailboxConnection c = connection;
        if (c == null) {
            throw new IllegalStateException("not open: call open() first");
        }
        return c;
    }

    /** What ended a command: TIMEOUT when this connection was aborted, else {@link CommandFailures#classify}. */
    private ConnectionFailure failure(Throwable e, String what) {
        String aborted = abortReason;
        if (aborted != null) {
            return new ConnectionFailure(new Classified(FailureKind.TIMEOUT, aborted, e));
        }
        return new ConnectionFailure(CommandFailures.classify(e, what));
    }

    @Override
    public String toString() {
        return "IdleConnection[account=" + account.id() + ", endpoint=" + account.endpoint()
                + (folderName == null ? "" : ", folder=" + folderName) + "]";
    }
}
