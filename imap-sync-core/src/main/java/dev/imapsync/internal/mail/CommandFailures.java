package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.FailureClassifier;
import dev.imapsync.internal.transport.ServerText;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * How a command on a logged-in connection failed, the one reading shared by the folder reader
 * and the IDLE connection: a closed or reset socket is a lost connection (not a wrong server),
 * a server that asks to slow down is throttling, and a framing violation found by the
 * transport's guard stays a protocol error.
 */
final class CommandFailures {
    private CommandFailures() {
    }

    /**
     * Classifies what ended a command.
     *
     * @param e    what the command threw; a runtime exception that wraps another is read by its cause
     * @param what what was being done, as a gerund: "fetching headers from folder INBOX"
     * @return in this order: PROTOCOL_ERROR for a framing violation; what
     *         {@link FailureClassifier} finds when it is not a PROTOCOL_ERROR (a timeout, a
     *         certificate); THROTTLED for a refusal or a closed connection whose text asks to slow
     *         down; CONNECTION_LOST for a closed or broken connection; else PROTOCOL_ERROR with
     *         the server's words
     */
    static Classified classify(Throwable e, String what) {
        Throwable thrown = e instanceof RuntimeException && e.getCause() != null ? e.getCause() : e;
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (FailureClassifier.isProtocolViolation(t)) {
                return new Classified(FailureKind.PROTOCOL_ERROR, "the server broke the IMAP protocol while " + what
                        + ": " + t.getMessage() + "; the connection was closed", thrown);
            }
        }
        Classified c = FailureClassifier.classify(thrown, what);
        if (c.kind() != FailureKind.PROTOCOL_ERROR) {
            return c;
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ProtocolException && !(t instanceof ConnectionException) && t.getMessage() != null
                    && ServerText.isThrottling(t.getMessage())) {
                return new Classified(FailureKind.THROTTLED, "the server asked to slow down while " + what + ": "
                        + ServerText.printable(t.getMessage()), thrown);
            }
            if (t instanceof IOException || t instanceof ConnectionException
                    || t instanceof FolderClosedException || t instanceof StoreClosedException) {
                String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                if (ServerText.isThrottling(m)) {
                    return new Classified(FailureKind.THROTTLED, "the server closed the connection while " + what
                            + ": " + m, thrown);
                }
                return new Classified(FailureKind.CONNECTION_LOST, "the connection was lost while " + what
                        + " (" + m + ")", thrown);
            }
        }
        if (thrown instanceof MessagingException && thrown.getMessage() != null) {
            return new Classified(FailureKind.PROTOCOL_ERROR, "the server failed " + what + ": " + thrown.getMessage(),
                    thrown);
        }
        return c;
    }
}
