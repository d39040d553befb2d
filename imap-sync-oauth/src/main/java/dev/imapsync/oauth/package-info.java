/**
 * OAuth 2.0 sign-in for IMAP accounts. {@link dev.imapsync.oauth.OAuth2Provider} names a
 * provider's endpoints and scopes; {@link dev.imapsync.oauth.OAuth2Client} is one registered
 * application at a provider and runs the consent flow ({@link dev.imapsync.oauth.ConsentRequest},
 * {@link dev.imapsync.oauth.OAuth2Grant}); {@link dev.imapsync.oauth.TokenRefresher} turns
 * stored refresh tokens into access tokens and keeps rotated refresh tokens in a
 * {@link dev.imapsync.oauth.RefreshTokenStore}. No type here prints a token.
 */
package dev.imapsync.oauth;
