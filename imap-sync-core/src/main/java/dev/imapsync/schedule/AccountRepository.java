package dev.imapsync.schedule;

import java.util.List;
import java.util.Optional;

/**
 * Where the accounts to sync come from: imap-sync's own JDBC repository, or the host
 * application's. Implementations must be thread-safe.
 */
public interface AccountRepository {

    /** Every account, without secrets, ordered by id. Cheap: nothing is decrypted. */
    List<AccountSummary> list();

    /**
     * One account with its credentials, ready to sync.
     *
     * @return empty if there is no account with this id
     * @throws AccountUnavailableException if the account exists but cannot be used as stored
     *         (for example its secret cannot be decrypted with the keys configured)
     */
    Optional<ManagedAccount> find(String accountId);
}
