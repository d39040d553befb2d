package dev.imapsync.internal.transport;

import dev.imapsync.FailureKind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns the exceptions of a connection attempt into a {@link FailureKind} with a detail. */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    /**
     * Classifies a network or TLS failure.
     *
     * @param e      what was thrown
     * @param stage  what was being done, as a gerund: "connecting", "negotiating TLS", "waiting for the greeting"
     */
    public static Classified classify(Throwable e, String stage) {
        Throwable certificateProblem = certificateProblem(e);
        if (certificateProblem != null) {
            return certificate(e, certificateProblem);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isProtocolViolation(t)) {
                return new Classified(FailureKind.PROTOCOL_ERROR, t.getMessage(), e);
            }
            if (t instanceof UnknownHostException) {
                return new Classified(FailureKind.HOST_UNKNOWN, "the host name does not resolve", e);
            }
            if (t instanceof ConnectException) {
                return new Classified(FailureKind.CONNECTION_REFUSED, "nothing accepted the connection ("
                        + messageOf(t) + ")", e);
            }
            if (t instanceof NoRouteToHostException) {
                return new Classified(FailureKind.CONNECTION_REFUSED, "there is no route to the host", e);
            }
            if (t instanceof SocketTimeoutException) {
                return new Classified(FailureKind.TIMEOUT, "no answer while " + stage, e);
            }
            if (t instanceof SSLException) {
                return new Classified(FailureKind.TLS_HANDSHAKE, "TLS could not be negotiated ("
                        + messageOf(t) + ")", e);
            }
            if (t instanceof EOFException) {
                return new Classified(FailureKind.PROTOCOL_ERROR, "the server closed the connection while " + stage, e);
            }
            if (t instanceof SocketException) {
                return new Classified(FailureKind.PROTOCOL_ERROR, "the connection broke while " + stage
                        + " (" + messageOf(t) + ")", e);
            }
        }
        return new Classified(FailureKind.PROTOCOL_ERROR, "unexpected failure while " + stage + " ("
                + messageOf(e) + ")", e);
    }

    /**
     * Whether {@code t} is this SDK's own finding that the server broke the IMAP framing (a line,
     * literal or response over its limit, bytes injected before TLS): always a PROTOCOL_ERROR,
     * however the layers above saw the connection end.
     */
    public static boolean isProtocolViolation(Throwable t) {
        return t instanceof ImapLineReader.ProtocolViolation || t instanceof ImapProtocolViolation;
    }

    private static Classified certificate(Throwable e, Throwable problem) {
        if (isHostnameMismatch(problem)) {
            return new Classified(FailureKind.TLS_HOSTNAME,
                    "the server's certificate is issued for another host name (" + messageOf(problem) + ")", e);
        }
        if (problem instanceof CertificateExpiredException) {
            return new Classified(FailureKind.TLS_UNTRUSTED, "the server's certificate has expired", e);
        }
        if (problem instanceof CertificateNotYetValidException) {
            return new Classified(FailureKind.TLS_UNTRUSTED, "the server's certificate is not valid yet", e);
        }
        return new Classified(FailureKind.TLS_UNTRUSTED,
                "the server's certificate is not trusted: it is self-signed or issued by an unknown authority", e);
    }

    /** The first exception in the chain that is about the certificate, or null. */
    private static Throwable certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException || isHostnameMismatch(t)
                    || t.getClass().getName().endsWith("ValidatorException")) {
                // the deepest certificate exception carries the most precise reason
                Throwable deeper = t.getCause() == null ? null : certificateProblem(t.getCause());
                return deeper != null ? deeper : t;
            }
        }
        return null;
    }

    private static boolean isHostnameMismatch(Throwable t) {
        String m = messageOf(t).toLowerCase(Locale.ROOT);
        return m.contains("no subject alternative") || m.contains("no name matching")
                || m.contains("can't verify identity of server") || m.contains("unable to check server identity");
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
