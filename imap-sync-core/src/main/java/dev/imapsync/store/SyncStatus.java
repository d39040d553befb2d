package dev.imapsync.store;

import dev.imapsync.FailureKind;

/** The outcome of a sync in one word, as an account's status shows it. */
public enum SyncStatus {
    /** Every selected folder was synced. */
    OK,
    /** Some folders were synced, others failed (see the folder reports). */
    PARTIAL,
    /**
     * The server rejected the credentials, IMAP is disabled, or the OAuth 2.0 client is
     * misconfigured: retrying will not help.
     */
    AUTH_FAILED,
    /**
     * The account's OAuth 2.0 grant was revoked or expired: a person must reconnect the mailbox.
     * Retries stop until the account is saved again, as after {@link #AUTH_FAILED}.
     */
    AUTH_REVOKED,
    /** TLS failed: an untrusted or misnamed certificate, a failed handshake, STARTTLS refused. */
    TLS_FAILED,
    /**
     * The server could not be reached, did not answer in time, or the connection broke: the
     * failure's kind says which ({@code HOST_UNKNOWN}, {@code CONNECTION_REFUSED},
     * {@code TIMEOUT}, {@code CONNECTION_LOST}), or the account's OAuth 2.0 authorization server
     * could not be reached ({@code OAUTH_UNAVAILABLE}): retried with backoff. A sync that reached its maximum duration while
     * waiting for the server is this, with kind {@code TIMEOUT}.
     */
    CONNECTION_FAILED,
    /** A selected folder does not exist (any more). */
    FOLDER_MISSING,
    /** The server asked us to slow down. */
    THROTTLED,
    /**
     * Anything else: a protocol error, or the host application's contact matcher or store
     * failing. A sync that reached its maximum duration while waiting for the matcher or the
     * store is this, with failure kind {@code TIMEOUT}.
     */
    ERROR;

    /** The status a failure of this kind leads to. */
    public static SyncStatus of(FailureKind kind) {
        switch (kind) {
            case AUTH_FAILED:
            case IMAP_DISABLED:
            case OAUTH_MISCONFIGURED: // fixed by saving the account with corrected settings: no retries till then
                return AUTH_FAILED;
            case AUTH_REVOKED:
                return AUTH_REVOKED;
            case TLS_UNTRUSTED:
            case TLS_HOSTNAME:
            case TLS_HANDSHAKE:
            case STARTTLS_UNAVAILABLE:
            case INSECURE_REFUSED:
                return TLS_FAILED;
            case HOST_UNKNOWN:
            case CONNECTION_REFUSED:
            case TIMEOUT:
            case CONNECTION_LOST:
            // the token endpoint, not the mailbox, was unreachable: transient like any unreachable
            // server, so it is retried with the same backoff, never counted as a refused login
            case OAUTH_UNAVAILABLE:
                return CONNECTION_FAILED;
            case THROTTLED:
                return THROTTLED;
            case PROTOCOL_ERROR:
            default:
                return ERROR;
        }
    }
}
