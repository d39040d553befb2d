package dev.imapsync;


/**
 * What went wrong when connecting, in one word. Every probe or sync failure has exactly one
 * kind; {@link Failure} adds the sentence and the hint for a person.
 */
public enum FailureKind {
    /** The server rejected the user name or password (or token). */
    AUTH_FAILED,
    /**
     * The OAuth 2.0 grant behind the account was revoked or expired (the authorization server
     * answered {@code invalid_grant}): a person must reconnect the mailbox (sign in and consent
     * again). Retrying cannot help.
     */
    AUTH_REVOKED,
    /**
     * The OAuth 2.0 authorization server could not be reached or failed (a network error, an
     * HTTP 5xx): no access token could be had this time, nothing is wrong with the account. Retried.
     */
    OAUTH_UNAVAILABLE,
    /**
     * The OAuth 2.0 client is set up wrongly ({@code invalid_client}, a wrong token endpoint, a
     * scope the provider refuses): its settings must be fixed. Retrying cannot help.
     */
    OAUTH_MISCONFIGURED,
    /** The credentials may be right, but IMAP access is switched off for the account. */
    IMAP_DISABLED,
    /** The server's certificate is not trusted (self-signed, unknown issuer, expired). */
    TLS_UNTRUSTED,
    /** The server's certificate is valid but issued for another host name. */
    TLS_HOSTNAME,
    /** TLS could not be negotiated (often: this port speaks another mode). */
    TLS_HANDSHAKE,
    /** STARTTLS was asked for but the server does not offer it, refused it, or greeted with PREAUTH. */
    STARTTLS_UNAVAILABLE,
    /** Only cleartext is available and the account does not allow it. */
    INSECURE_REFUSED,
    /** The host name does not resolve. */
    HOST_UNKNOWN,
    /** Nothing accepts connections on that host and port. */
    CONNECTION_REFUSED,
    /** The server did not answer in time. */
    TIMEOUT,
    /** An established, logged-in connection broke (closed or reset) in the middle of the work. */
    CONNECTION_LOST,
    /** The server asks us to slow down (too many connections, bandwidth or quota limits). */
    THROTTLED,
    /** The server said something that is not valid IMAP, or closed the connection unexpectedly. */
    PROTOCOL_ERROR;

    /**
     * Whether this failure is about the certificate. Such a failure is reported as it is and is
     * never bypassed by trying a weaker mode.
     */
    public boolean isCertificateProblem() {
        return this == TLS_UNTRUSTED || this == TLS_HOSTNAME;
    }

    /**
     * Whether this failure concerns the credentials or the account (not the transport), so that
     * trying another port or mode cannot help and retrying would only risk a lock-out.
     */
    public boolean isAccountProblem() {
        return this == AUTH_FAILED || this == IMAP_DISABLED || this == THROTTLED || this == AUTH_REVOKED
                || this == OAUTH_UNAVAILABLE || this == OAUTH_MISCONFIGURED;
    }
}
