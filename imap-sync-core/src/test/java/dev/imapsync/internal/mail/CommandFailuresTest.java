package dev.imapsync.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.FailureKind;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.ImapProtocolViolation;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.junit.jupiter.api.Test;

/** How a failed command on a logged-in connection is read, for the folder reader and the IDLE connection alike. */
class CommandFailuresTest {
    private static final String WHAT = "fetching headers from folder INBOX";

    /** As {@code IMAPFolder.doCommand} hands over a failure of the command inside it. */
    private static MessagingException wrapped(Exception e) {
        return new MessagingException(e.getMessage(), e);
    }

    @Test
    void aResetSocketIsALostConnection() {
        Classified c = CommandFailures.classify(wrapped(new ProtocolException("I/O failure while " + WHAT,
                new SocketException("Connection reset"))), WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.CONNECTION_LOST);
        assertThat(c.detail()).isEqualTo("the connection was lost while " + WHAT + " (Connection reset)");
    }

    @Test
    void aServerThatClosesTheConnectionToSlowUsDownIsThrottling() {
        Classified c = CommandFailures.classify(new FolderClosedException(null, "[THROTTLED] too many commands"), WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.THROTTLED);
        assertThat(c.detail()).isEqualTo("the server closed the connection while " + WHAT
                + ": [THROTTLED] too many commands");
    }

    @Test
    void aRefusalThatAsksToSlowDownIsThrottling() {
        Classified c = CommandFailures.classify(wrapped(new ProtocolException("A7 NO [LIMIT] Rate limit hit\u0007")),
                WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.THROTTLED);
        assertThat(c.detail()).isEqualTo("the server asked to slow down while " + WHAT + ": A7 NO [LIMIT] Rate limit hit?");
    }

    @Test
    void aFramingViolationStaysAProtocolErrorThoughTheConnectionEnded() {
        Classified c = CommandFailures.classify(wrapped(new ProtocolException("I/O failure while " + WHAT,
                new ImapProtocolViolation("a literal of 2000000000 bytes is over the limit"))), WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
        assertThat(c.detail()).isEqualTo("the server broke the IMAP protocol while " + WHAT
                + ": a literal of 2000000000 bytes is over the limit; the connection was closed");
    }

    @Test
    void aTimeoutIsATimeout() {
        Classified c = CommandFailures.classify(wrapped(new ProtocolException("I/O failure while " + WHAT,
                new SocketTimeoutException("Read timed out"))), WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void anEndOfStreamIsALostConnection() {
        Classified c = CommandFailures.classify(new IllegalStateException("wrapped", new EOFException()), WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.CONNECTION_LOST);
        assertThat(c.detail()).isEqualTo("the connection was lost while " + WHAT + " (EOFException)");
        assertThat(c.cause()).isInstanceOf(EOFException.class);
    }

    @Test
    void anyOtherRefusalIsAProtocolErrorInTheServersWords() {
        Classified c = CommandFailures.classify(wrapped(new ProtocolException("A7 BAD Unknown command")), WHAT);

        assertThat(c.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
        assertThat(c.detail()).startsWith("the server failed " + WHAT + ": A7 BAD Unknown command");
    }
}
