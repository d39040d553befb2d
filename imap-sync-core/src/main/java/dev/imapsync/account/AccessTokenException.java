package dev.imapsync.account;

import dev.imapsync.ImapSyncException;
import java.util.Objects;

/**
 * An OAuth 2.0 access-token supplier ({@link Credentials#oauth2}) could not give a token. The
 * reason decides what happens next: a revoked grant needs the mailbox reconnected by a person
 * (no retry until then); an unreachable authorization server is retried later; a misconfigured
 * client needs its settings fixed. The message never holds a token.
 */
public final class AccessTokenException extends ImapSyncException {
    private static final long serialVersionUID = 1L;

    /** Why no access token could be had. */
    public enum Reason {
        /** The refresh token was revoked or expired ({@code invalid_grant}): reconnect the mailbox. */
        GRANT_REVOKED,
        /** The authorization server could not be reached or answered with a server error: retry later. */
        SERVER_UNAVAILABLE,
        /** The client's registration or settings are wrong ({@code invalid_client}, a bad endpoint, …). */
        MISCONFIGURED
    }

    private final Reason reason;

    /**
     * @param reason  why no token could be had
     * @param message what happened and what to do, naming the account, never a token
     * @param cause   the underlying failure, or null
     */
    public AccessTokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why no token could be had. */
    public Reason reason() {
        return reason;
    }
}
