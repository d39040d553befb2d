package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.FailureClassifier;
import dev.imapsync.internal.transport.ServerText;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.ReferralException;

/** Classifies what Angus throws while connecting and logging in. */
final class LoginFailures {
    private static final Pattern REFERRAL = Pattern.compile("\\s*\\[REFERRAL\\s+([^\\]\\s]+)",
            Pattern.CASE_INSENSITIVE);

    private LoginFailures() {
    }

    /** The read failure behind Angus's synthetic BYE response, or null. */
    private static IOException readFailureBehind(Throwable t) {
        if (t instanceof ProtocolException) {
            Response r = ((ProtocolException) t).getResponse();
            if (r != null && r.getException() instanceof IOException) {
                return (IOException) r.getException();
            }
        }
        return null;
    }

    static Classified classify(MessagingException e, boolean credentialsSent) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedImapStore.GuardViolation) {
                return new Classified(((GuardedImapStore.GuardViolation) t).kind(), t.getMessage(), e);
            }
        }
        if (e instanceof ReferralException) {
            return new Classified(FailureKind.PROTOCOL_ERROR, "the server answered the login with a referral to "
                    + ((ReferralException) e).getUrl() + "; referrals are never followed", e);
        }
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof AuthenticationFailedException && credentialsSent && REFERRAL.matcher(text).lookingAt()) {
            // Angus turns a referral into a ReferralException only when LOGIN-REFERRALS is announced.
            Matcher url = REFERRAL.matcher(text);
            String to = url.lookingAt() ? url.group(1) : "another server";
            return new Classified(FailureKind.PROTOCOL_ERROR, "the server answered the login with a referral to "
                    + to + "; referrals are never followed", e);
        }
        if (e instanceof AuthenticationFailedException) {
            if (!credentialsSent) {
                // Angus reports a refused STARTTLS the same way as a refused login.
                return new Classified(FailureKind.STARTTLS_UNAVAILABLE, "the server refused STARTTLS: " + text, e);
            }
            if (ServerText.isImapDisabled(text)) {
                return new Classified(FailureKind.IMAP_DISABLED, "the server says IMAP is not enabled: " + text, e);
            }
            if (ServerText.isThrottling(text)) {
                return new Classified(FailureKind.THROTTLED, "the server asks to slow down: " + text, e);
            }
            return new Classified(FailureKind.AUTH_FAILED, "the server rejected the credentials"
                    + (text.isBlank() ? "" : ": " + text), e);
        }
        if (text.contains("STARTTLS required but not supported")) {
            return new Classified(FailureKind.STARTTLS_UNAVAILABLE, "the server does not offer STARTTLS", e);
        }
        if (text.contains("No login methods supported")) {
            return new Classified(FailureKind.AUTH_FAILED,
                    "the server offers no login method imap-sync uses (LOGIN is disabled, no PLAIN)", e);
        }
        String stage = credentialsSent ? "logging in" : "connecting";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException && ServerText.isThrottling(String.valueOf(t.getMessage()))) {
                return new Classified(FailureKind.THROTTLED, "the server closed the connection: "
                        + ServerText.printable(t.getMessage()), e);
            }
            if (t instanceof IOException) {
                return FailureClassifier.classify(e, stage);
            }
            IOException behind = readFailureBehind(t);
            if (behind != null && "Connection dropped by server?".equals(behind.getMessage())) {
                return new Classified(FailureKind.PROTOCOL_ERROR, "the server closed the connection while " + stage, e);
            }
            if (behind != null) {
                // Angus turns a failed read into a synthetic "* BYE Jakarta Mail Exception: …" without a cause
                Classified c = FailureClassifier.classify(behind, stage);
                return new Classified(c.kind(), c.detail(), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException) {
                return new Classified(FailureKind.PROTOCOL_ERROR, "the server closed the connection: "
                        + ServerText.printable(t.getMessage()), e);
            }
            if (t instanceof ProtocolException) {
                return new Classified(FailureKind.PROTOCOL_ERROR, "the server broke the protocol: "
                        + ServerText.printable(t.getMessage()), e);
            }
        }
        return FailureClassifier.classify(e, credentialsSent ? "logging in" : "connecting");
    }
}
