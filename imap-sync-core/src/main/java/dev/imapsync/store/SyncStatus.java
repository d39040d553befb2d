package dev.imapsync.store;

import dev.imapsync.FailureKind;

/** The outcome of a sync in one word, as an account's status shows it. */
public enum SyncStatus {
    /** Every selected folder was synced. */
    OK,
    /** Some folders were synced, others failed (see the folder reports). */
    PARTIAL,
    /** The server rejected the credentials, or IMAP is disabled: retrying will not help. */
    AUTH_FAILED,
    /** TLS failed: an untrusted or misnamed certificate, a failed handshake, STARTTLS refused. */
    TLS_FAILED,
    /**
     * The server could not be reached, did not answer in time, or the connection broke: the
     * failure's kind says which ({@code HOST_UNKNOWN}, {@code CONNECTION_REFUSED},
     * {@code TIMEOUT}, {@code CONNECTION_LOST}). A sync that reached its maximum duration while
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
                return AUTH_FAILED;
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
                return CONNECTION_FAILED;
            case THROTTLED:
                return THROTTLED;
            case PROTOCOL_ERROR:
            default:
                return ERROR;
        }
    }
}
