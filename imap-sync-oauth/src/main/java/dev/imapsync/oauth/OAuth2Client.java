package dev.imapsync.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One application registered at an OAuth 2.0 provider: its client id and, for a confidential
 * client, its secret (a public client without one relies on PKCE alone). Runs the consent flow
 * ({@link #consent}, {@link #exchange}) and the token requests of a {@link TokenRefresher}.
 * Every request has a connect and read timeout. Thread-safe and immutable; its
 * {@code toString()} never prints the secret.
 */
public final class OAuth2Client {
    private final OAuth2Provider provider;
    private final String clientId;
    private final Secret clientSecret;
    private final Duration timeout;
    private final Clock clock;

    private OAuth2Client(Builder b) {
        this.provider = b.provider;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.timeout = b.timeout;
        this.clock = b.clock;
    }

    /** A builder for a client of {@code provider}; {@link Builder#clientId} is required. */
    public static Builder builder(OAuth2Provider provider) {
        return new Builder(provider);
    }

    /** The provider. */
    public OAuth2Provider provider() {
        return provider;
    }

    /** The client id. */
    public String clientId() {
        return clientId;
    }

    /** Whether the client authenticates with a secret (confidential) or with PKCE alone (public). */
    public boolean confidential() {
        return clientSecret != null;
    }

    /** {@link #consent(URI, String) consent(redirectUri, null)}. */
    public ConsentRequest consent(URI redirectUri) {
        return consent(redirectUri, null);
    }

    /**
     * Starts a consent: a fresh random {@code state} and PKCE code verifier (RFC 7636, S256), and
     * the provider's consent URL with the client id, the redirect URI, the scopes and the
     * provider's extra parameters.
     *
     * @param redirectUri where the provider sends the person back, exactly as registered there
     * @param loginHint   the address to preselect on the provider's page, or null
     */
    public ConsentRequest consent(URI redirectUri, String loginHint) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        if (!redirectUri.isAbsolute()) {
            throw new IllegalArgumentException("The redirect URI " + redirectUri + " is not absolute: give it exactly"
                    + " as registered at " + provider.name() + ", e.g. https://crm.example/oauth/callback");
        }
        URI authorizationEndpoint = provider.authorizationEndpoint().orElseThrow(() -> new IllegalStateException(
                "The OAuth 2.0 provider " + provider.name() + " has no authorization endpoint: give it (or use"
                        + " OAuth2Provider.discover) to ask for consent"));
        if (provider.scopes().isEmpty()) {
            throw new IllegalStateException("The OAuth 2.0 provider " + provider.name() + " has no scopes: give the"
                    + " scope that grants IMAP access (the provider's documentation names it)");
        }
        State state = new State();
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE), new ClientID(clientId))
                .endpointURI(authorizationEndpoint)
                .redirectionURI(redirectUri)
                .scope(new Scope(provider.scopes().toArray(String[]::new)))
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        provider.authorizationParameters().forEach(request::customParameter);
        if (loginHint != null && !loginHint.isBlank()) {
            request.customParameter("login_hint", loginHint.strip());
        }
        return new ConsentRequest(request.build().toURI(), state.getValue(), redirectUri, Secret.of(verifier.getValue()),
                clock.instant());
    }

    /**
     * Finishes a consent from the URI the provider redirected to (with {@code code} and
     * {@code state}, or {@code error}).
     *
     * @throws ImapSyncException if the answer's state is not the request's (a forged or stale
     *         answer), or the person refused consent (the message says so)
     * @throws AccessTokenException if the code cannot be exchanged: see {@link #exchange(ConsentRequest, String, String)}
     */
    public OAuth2Grant exchange(ConsentRequest request, URI callback) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(callback, "callback");
        AuthorizationResponse response;
        try {
            response = AuthorizationResponse.parse(callback);
        } catch (ParseException e) {
            throw new ImapSyncException("The answer from " + provider.name() + " holds neither a code nor an error: "
                    + "start the consent again", e);
        }
        String state = response.getState() == null ? null : response.getState().getValue();
        checkState(request, state);
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String code = error.getCode() == null ? "error" : error.getCode();
            String description = TokenEndpoint.clean(error.getDescription(), List.of());
            if ("access_denied".equals(code)) {
                throw new ImapSyncException("The consent at " + provider.name() + " was refused (access_denied"
                        + (description.isEmpty() ? "" : ": " + description) + "): without it imap-sync cannot read"
                        + " this mailbox; start again and accept the access asked for", null);
            }
            throw new ImapSyncException(provider.name() + " did not give consent (" + code
                    + (description.isEmpty() ? "" : ": " + description) + "): check the client id, the redirect URI"
                    + " and the scopes registered at " + provider.name() + ", then start again", null);
        }
        return exchange(request, response.toSuccessResponse().getAuthorizationCode().getValue(), state);
    }

    /**
     * Finishes a consent from the {@code code} and {@code state} the provider sent back: checks
     * the state, then exchanges the code (with the PKCE verifier, and the secret for a
     * confidential client) for tokens.
     *
     * @throws ImapSyncException if the state is not the request's
     * @throws AccessTokenException GRANT_REVOKED if the code expired or was used already (start
     *         again), MISCONFIGURED if the client or redirect URI is wrong or no refresh token came
     *         back, SERVER_UNAVAILABLE if the provider cannot be reached
     */
    public OAuth2Grant exchange(ConsentRequest request, String code, String state) {
        Objects.requireNonNull(request, "request");
        checkState(request, state);
        if (code == null || code.isBlank()) {
            throw new ImapSyncException("The answer from " + provider.name() + " has no code: start the consent again",
                    null);
        }
        String who = "The consent at " + provider.name();
        AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code.strip()), request.redirectUri(),
                new CodeVerifier(request.codeVerifier().reveal()));
        TokenEndpoint.Tokens tokens = send(grant, null, who, List.of(Secret.of(code.strip()), request.codeVerifier()), true);
        if (tokens.refreshToken() == null) {
            throw new AccessTokenException(AccessTokenException.Reason.MISCONFIGURED, who + " gave no refresh token, so"
                    + " the mailbox could not be synced once the first access token expires: ask for offline access"
                    + " (Google: access_type=offline and prompt=consent; Microsoft: the offline_access scope)", null);
        }
        List<String> scopes = tokens.scopes().isEmpty() ? provider.scopes() : tokens.scopes();
        return new OAuth2Grant(provider, address(tokens.idToken()).orElse(null), tokens.refreshToken(),
                tokens.accessToken(), tokens.expiresAt(), scopes);
    }

    /** A refresh-token request (RFC 6749 6) for the account; {@code who} names it in messages. */
    TokenEndpoint.Tokens refresh(Secret refreshToken, String who) {
        Scope scope = provider.scopeOnRefresh() && !provider.scopes().isEmpty() ? new Scope(provider.scopes().toArray(String[]::new)) : null;
        return send(new RefreshTokenGrant(new RefreshToken(refreshToken.reveal())), scope, who, List.of(refreshToken), false);
    }

    Clock clock() {
        return clock;
    }

    private TokenEndpoint.Tokens send(AuthorizationGrant grant, Scope scope, String who, List<Secret> secrets,
                                      boolean consent) {
        List<Secret> hidden = new ArrayList<>(secrets);
        TokenRequest request;
        if (clientSecret == null) {
            request = new TokenRequest.Builder(provider.tokenEndpoint(), new ClientID(clientId), grant).scope(scope).build();
        } else {
            hidden.add(clientSecret);
            com.nimbusds.oauth2.sdk.auth.Secret secret = new com.nimbusds.oauth2.sdk.auth.Secret(clientSecret.reveal());
            ClientAuthentication auth = provider.secretInBody()
                    ? new ClientSecretPost(new ClientID(clientId), secret)
                    : new ClientSecretBasic(new ClientID(clientId), secret);
            request = new TokenRequest.Builder(provider.tokenEndpoint(), auth, grant).scope(scope).build();
        }
        return TokenEndpoint.send(request, timeout, clock.instant(), who, hidden, consent);
    }

    private void checkState(ConsentRequest request, String state) {
        byte[] expected = request.state().getBytes(StandardCharsets.UTF_8);
        byte[] given = state == null ? new byte[0] : state.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ImapSyncException("The answer from " + provider.name() + " does not belong to this consent"
                    + " request (its state " + (state == null ? "is missing" : "differs") + "): it may be forged or"
                    + " from an older attempt; start the consent again", null);
        }
    }

    /**
     * The signed-in address from the id_token. Its signature is not checked: the token came
     * straight from the token endpoint over TLS (OpenID Connect Core 3.1.3.7), and the address only
     * fills in the login name, which the IMAP server checks against the access token anyway.
     */
    private static Optional<String> address(String idToken) {
        if (idToken == null) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = JWTParser.parse(idToken).getJWTClaimsSet();
            for (String claim : List.of("email", "preferred_username", "upn")) {
                Object value = claims.getClaim(claim);
                if (value instanceof String s && s.contains("@") && s.chars().noneMatch(Character::isISOControl)) {
                    return Optional.of(s.strip());
                }
            }
            return Optional.empty();
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "OAuth2Client[" + provider.name() + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null ? "none (public client)" : "****") + "]";
    }

    /** Builds an {@link OAuth2Client}. */
    public static final class Builder {
        private final OAuth2Provider provider;
        private String clientId;
        private Secret clientSecret;
        private Duration timeout = Duration.ofSeconds(20);
        private Clock clock = Clock.systemUTC();

        private Builder(OAuth2Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /** The client (application) id registered at the provider (required). */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isBlank() || clientId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("The client id for " + provider.name() + " is empty or holds a"
                        + " control character: copy it from the provider's console");
            }
            this.clientId = clientId.strip();
            return this;
        }

        /** The client secret of a confidential client; leave out for a public client (PKCE only). */
        public Builder clientSecret(Secret clientSecret) {
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            return this;
        }

        /** Connect and read timeout of each request to the provider (default 20 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("The timeout " + timeout + " is not usable: give a positive duration");
            }
            this.timeout = timeout;
            return this;
        }

        /** The clock for token expiry (for tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException if no client id was given
         */
        public OAuth2Client build() {
            if (clientId == null) {
                throw new IllegalStateException("No client id for " + provider.name() + ": give the id of the"
                        + " application registered there with clientId(...)");
            }
            return new OAuth2Client(this);
        }
    }
}
