package dev.imapsync.schedule;

import dev.imapsync.account.Endpoint;
import dev.imapsync.folder.FolderChoice;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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

    /**
     * What can be known about a stored account without its secret: enough to list accounts and to
     * plan their syncs. Reading summaries never decrypts anything.
     *
     * @param id       the account's id
     * @param email    the owner's address (empty when unknown)
     * @param user     the login name
     * @param endpoint where the server is
     * @param oauth2   whether the account signs in with OAuth 2.0 rather than a password
     * @param folders  which folders to sync
     * @param interval how often to sync; empty for the scheduler's default
     * @param revision a number that changes whenever the account's settings or credentials change,
     *                 so a scheduler that stopped retrying after a failed login knows when to try again
     */
    public record AccountSummary(String id, String email, String user, Endpoint endpoint, boolean oauth2,
                                 FolderChoice folders, Optional<Duration> interval, long revision) {
        /** Validates that all parts are present. */
        public AccountSummary {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(folders, "folders");
            Objects.requireNonNull(interval, "interval");
        }
    }
}
