package dev.imapsync.oauth;

import dev.imapsync.account.Secret;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the {@link TokenRefresher} reads each account's refresh token and stores a rotated one.
 * {@link #replace} is a compare-and-set: it stores the new token only if the stored one is still
 * {@code expectedOld}, atomically, so that two nodes refreshing the same account cannot overwrite
 * each other's rotation. Implementations must be thread-safe and never log a token.
 *
 * <p>For accounts in {@code JdbcAccountRepository}, its methods fit as they are:
 * {@code RefreshTokenStore.of(repository::refreshToken, repository::replaceRefreshToken)}.
 */
public interface RefreshTokenStore {

    /** The account's current refresh token, or empty if the account has none (or is unknown). */
    Optional<Secret> load(String accountId);

    /**
     * Replaces the account's refresh token with {@code newToken} if it is still {@code expectedOld}.
     *
     * @return true if replaced; false if the stored token is another one (or the account is gone)
     */
    boolean replace(String accountId, Secret expectedOld, Secret newToken);

    /** A store from two functions, e.g. method references to an account repository. */
    static RefreshTokenStore of(Function<String, Optional<Secret>> load, Replacer replace) {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(replace, "replace");
        return new RefreshTokenStore() {
            @Override
            public Optional<Secret> load(String accountId) {
                return load.apply(accountId);
            }

            @Override
            public boolean replace(String accountId, Secret expectedOld, Secret newToken) {
                return replace.replace(accountId, expectedOld, newToken);
            }

            @Override
            public String toString() {
                return "RefreshTokenStore[functions]";
            }
        };
    }

    /** The compare-and-set half of {@link #of}. */
    @FunctionalInterface
    interface Replacer {
        /** See {@link RefreshTokenStore#replace}. */
        boolean replace(String accountId, Secret expectedOld, Secret newToken);
    }
}
