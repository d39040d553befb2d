package dev.imapsync.jdbc;

import dev.imapsync.account.Secret;

/**
 * The host application's OAuth 2.0 client, as {@link JdbcAccountRepository} uses it: turns an
 * account's stored refresh token into a current access token (caching it until it expires is
 * the implementation's business). Must be thread-safe.
 */
@FunctionalInterface
public interface OAuth2TokenSource {

    /**
     * A current access token.
     *
     * @param accountId    the account
     * @param user         its login name
     * @param refreshToken the refresh token stored with the account
     */
    Secret accessToken(String accountId, String user, Secret refreshToken);
}
