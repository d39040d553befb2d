package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.FailureClassifier;
import dev.imapsync.internal.transport.ServerText;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;

/**
 * A login or command failed; carries the classification (never a secret).
 *
 * <p>When the failure was caused by the transport's framing guard (a line, literal or response
 * over its limit; bytes injected before TLS), the kind is PROTOCOL_ERROR with the guard's own
 * words, whatever the layer that caught it made of the broken connection: the guard closing it
 * is the server's fault, not a lost connection.
 */
public final class ConnectionFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Classified classified;

    ConnectionFailure(Classified classified) {
        super(guarded(classified).kind() + ": " + guarded(classified).detail(), classified.cause());
        this.classified = guarded(classified);
    }

    /** What went wrong. */
    public Classified classified() {
        return classified;
    }

    /**
     * How a sync should read this failure: a PROTOCOL_ERROR that is in fact the connection
     * breaking (an I/O failure, also behind Angus's synthetic BYE) is CONNECTION_LOST, so it is
     * retried like any lost connection. Once logged in, any such break counts; before (TLS,
     * greeting, login) only a plain reset or end of stream does, not a server that said
     * something odd (a garbled greeting, BYE) and hung up. A probe keeps the first reading:
     * there a broken connection may well mean a port that speaks something else.
     *
     * @param loggedIn whether the login had succeeded when this happened
     */
    public Classified onSyncConnection(boolean loggedIn) {
        if (classified.kind() != FailureKind.PROTOCOL_ERROR || classified.cause() == null) {
            return classified;
        }
        String detail = classified.detail();
        if (!loggedIn && !(detail.startsWith("the connection broke while")
                || detail.startsWith("the server closed the connection while")
                || detail.contains("Connection dropped by server?") || detail.contains("Connection reset"))) {
            return classified;
        }
        Throwable io = brokenConnection(classified.cause());
        if (io == null || violation(classified.cause()) != null) {
            return classified;
        }
        String m = io.getMessage() == null || io.getMessage().isBlank() ? io.getClass().getSimpleName() : io.getMessage();
        return new Classified(FailureKind.CONNECTION_LOST, detail + " (the connection was lost: "
                + ServerText.printable(m) + ")", classified.cause());
    }

    private static Classified guarded(Classified c) {
        if (c.kind() == FailureKind.TIMEOUT || c.cause() == null) {
            return c;
        }
        Throwable violation = violation(c.cause());
        if (violation == null
                || c.kind() == FailureKind.PROTOCOL_ERROR && c.detail().contains(violation.getMessage())) {
            return c;
        }
        return new Classified(FailureKind.PROTOCOL_ERROR, violation.getMessage(), c.cause());
    }

    /** An I/O failure in the chain, also behind Angus's synthetic BYE responses, or null. */
    private static Throwable brokenConnection(Throwable e) {
        return find(e, t -> t instanceof IOException || t instanceof ConnectionException);
    }

    /** The guard's exception in the chain, also behind Angus's synthetic BYE responses, or null. */
    static Throwable violation(Throwable e) {
        return find(e, FailureClassifier::isProtocolViolation);
    }

    /**
     * The first exception in the chain that {@code wanted} accepts: causes, the exception behind
     * an Angus response (its synthetic BYE carries the I/O failure), and Jakarta Mail's "next"
     * exceptions; or null.
     */
    private static Throwable find(Throwable e, Predicate<Throwable> wanted) {
        return find(e, wanted, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static Throwable find(Throwable e, Predicate<Throwable> wanted, Set<Throwable> seen) {
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (wanted.test(t)) {
                return t;
            }
            Throwable behind = null;
            if (t instanceof ProtocolException) {
                Response r = ((ProtocolException) t).getResponse();
                behind = r == null ? null : r.getException();
            } else if (t instanceof jakarta.mail.MessagingException) {
                Exception next = ((jakarta.mail.MessagingException) t).getNextException();
                behind = next == t.getCause() ? null : next;
            }
            Throwable found = behind == null ? null : find(behind, wanted, seen);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
