package dev.imapsync.oauth;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a completed consent gave: the refresh token to store with the account, a first access
 * token to probe the mailbox with now, the scopes granted and, when the provider said so (its
 * id_token), the address that signed in. Immutable; its {@code toString()} prints no token.
 *
 * <pre>{@code
 * OAuth2Grant grant = client.exchange(consent, callbackUri);
 * ImapAccount account = grant.accountBuilder("crm-user-42").build();   // probe it now
 * accounts.saveOAuth2(ManagedAccount.of(account), grant.refreshToken());
 * }</pre>
 */
public final class OAuth2Grant {
    private final OAuth2Provider provider;
    private final String address;
    private final Secret refreshToken;
    private final Secret accessToken;
    private final Instant expiresAt;
    private final List<String> scopes;

    OAuth2Grant(OAuth2Provider provider, String address, Secret refreshToken, Secret accessToken, Instant expiresAt,
                List<String> scopes) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.address = address;
        this.refreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
        this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.scopes = List.copyOf(scopes);
    }

    /** The provider that granted it. */
    public OAuth2Provider provider() {
        return provider;
    }

    /**
     * The address that signed in, from the id_token ({@code email}, else Microsoft's
     * {@code preferred_username}); empty when the provider sent none. It is also the IMAP login
     * name at Google and Microsoft.
     */
    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /** The refresh token, to store with the account (encrypted: {@code JdbcAccountRepository.saveOAuth2}). */
    public Secret refreshToken() {
        return refreshToken;
    }

    /** The first access token, to probe the mailbox before saving it. */
    public Secret accessToken() {
        return accessToken;
    }

    /** When the first access token expires. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The scopes granted, as the token endpoint named them (the scopes asked for when it named none). */
    public List<String> scopes() {
        return scopes;
    }

    /**
     * Credentials that sign in as {@code user} with this grant's first access token: for a probe
     * right after consent. Stored accounts get theirs from a {@link TokenRefresher}.
     */
    public Credentials credentials(String user) {
        Secret token = accessToken;
        return Credentials.oauth2(user, () -> token);
    }

    /**
     * A builder of the account: id, the provider's IMAP endpoint (if it has a fixed one), the
     * signed-in address as email and login name, and {@link #credentials(String)}.
     *
     * @throws IllegalStateException if the provider did not name the address that signed in
     *         (then build the account yourself with {@link #credentials(String)})
     */
    public ImapAccount.Builder accountBuilder(String accountId) {
        String user = address().orElseThrow(() -> new IllegalStateException(provider.name() + " did not say which"
                + " address signed in (no id_token with an email): build the account with credentials(user) and the"
                + " login name the person gives"));
        ImapAccount.Builder builder = ImapAccount.builder().id(accountId).emailAddress(user).credentials(credentials(user));
        provider.imapEndpoint().ifPresent(builder::endpoint);
        return builder;
    }

    @Override
    public String toString() {
        return "OAuth2Grant[" + provider.name() + ", address=" + address + ", scopes=" + scopes
                + ", refreshToken=****, accessToken=****, expiresAt=" + expiresAt + "]";
    }
}
