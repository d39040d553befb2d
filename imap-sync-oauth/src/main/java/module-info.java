/**
 * OAuth 2.0 for imap-sync: provider presets (Google, Microsoft, any server by its endpoints or
 * its discovery document), the consent flow a settings page needs (authorization URL with state
 * and PKCE, code exchange) and access tokens refreshed by the SDK ({@link dev.imapsync.oauth.TokenRefresher}).
 * Built on the Nimbus OAuth 2.0 SDK, which never appears in the exported API.
 */
module dev.imapsync.oauth {
    requires transitive dev.imapsync.core;
    requires oauth2.oidc.sdk;
    requires com.nimbusds.jose.jwt;
    requires org.slf4j;

    exports dev.imapsync.oauth;
}
