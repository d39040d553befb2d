package dev.imapsync.schedule;

import dev.imapsync.ImapSyncException;
import java.util.Objects;

/**
 * A stored account that exists but cannot be used: its secret cannot be decrypted, or a
 * setting it needs is missing. The message names the account and says what to do.
 */
public class AccountUnavailableException extends ImapSyncException {
    private static final long serialVersionUID = 1L;

    private final String accountId;

    /** An exception about one account, with a message that says what to do. */
    public AccountUnavailableException(String accountId, String message) {
        super(message);
        this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    /** An exception about one account, with its cause. */
    public AccountUnavailableException(String accountId, String message, Throwable cause) {
        super(message, cause);
        this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    /** The account that cannot be used. */
    public String accountId() {
        return accountId;
    }
}
