package dev.imapsync.oauth;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Security;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OAuth 2.0 authorization server that signs people in to IMAP mailboxes: its authorization
 * and token endpoints, the scopes to ask for, the extra parameters of its consent URL and the
 * IMAP server its tokens open. Presets for {@link #google() Google} and
 * {@link #microsoft(String) Microsoft}; any other server by its endpoints ({@link #builder}) or
 * by its discovery document ({@link #discover}). Every endpoint can be overridden
 * ({@link #toBuilder()}), which is how tests point a preset at a local server. Immutable.
 */
public final class OAuth2Provider {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

    private final String name;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final List<String> scopes;
    private final Map<String, String> authorizationParameters;
    private final Endpoint imapEndpoint;
    private final boolean scopeOnRefresh;
    private final boolean secretInBody;

    private OAuth2Provider(Builder b) {
        this.name = b.name;
        this.authorizationEndpoint = b.authorizationEndpoint;
        this.tokenEndpoint = b.tokenEndpoint;
        this.scopes = List.copyOf(b.scopes);
        this.authorizationParameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.authorizationParameters));
        this.imapEndpoint = b.imapEndpoint;
        this.scopeOnRefresh = b.scopeOnRefresh;
        this.secretInBody = b.secretInBody;
    }

    /**
     * Google (Gmail and Google Workspace): scope {@code https://mail.google.com/} (the only one
     * IMAP accepts) plus {@code openid email} to learn which address signed in;
     * {@code access_type=offline} and {@code prompt=consent}, without which Google returns no
     * refresh token on a second consent; IMAP at imap.gmail.com:993.
     */
    public static OAuth2Provider google() {
        return builder("Google")
                .authorizationEndpoint(URI.create("https://accounts.google.com/o/oauth2/v2/auth"))
                .tokenEndpoint(URI.create("https://oauth2.googleapis.com/token"))
                .scopes(List.of("https://mail.google.com/", "openid", "email"))
                .authorizationParameter("access_type", "offline")
                .authorizationParameter("prompt", "consent")
                .imapEndpoint(new Endpoint("imap.gmail.com", 993, Security.SSL_TLS))
                .secretInBody(true)
                .build();
    }

    /**
     * Microsoft 365 and Outlook.com (the Microsoft identity platform, v2.0 endpoints): scopes
     * {@code https://outlook.office.com/IMAP.AccessAsUser.All offline_access} (without
     * {@code offline_access} no refresh token comes back) plus {@code openid email}; IMAP at
     * outlook.office365.com:993. Microsoft wants the scopes again on each refresh, so they are sent.
     *
     * @param tenant {@code common} (work and personal accounts), {@code organizations},
     *               {@code consumers}, a tenant id or a tenant's domain name
     * @throws IllegalArgumentException if the tenant is not one of those forms
     */
    public static OAuth2Provider microsoft(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("The Microsoft tenant '" + tenant + "' is not valid: give common,"
                    + " organizations, consumers, the tenant id (a GUID) or the tenant's domain name");
        }
        String base = "https://login.microsoftonline.com/" + tenant.toLowerCase(Locale.ROOT) + "/oauth2/v2.0/";
        return builder("Microsoft")
                .authorizationEndpoint(URI.create(base + "authorize"))
                .tokenEndpoint(URI.create(base + "token"))
                .scopes(List.of("https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "openid", "email"))
                .imapEndpoint(new Endpoint("outlook.office365.com", 993, Security.SSL_TLS))
                .scopeOnRefresh(true)
                .secretInBody(true)
                .build();
    }

    /**
     * Any OAuth 2.0 server by its endpoints: give at least the token endpoint, and for the
     * consent flow the authorization endpoint and the scopes too.
     *
     * @param name how messages name the provider, e.g. "Example Mail"
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder filled from the server's discovery document: {@code /.well-known/openid-configuration}
     * under the issuer (OpenID Connect Discovery), else {@code /.well-known/oauth-authorization-server}
     * (RFC 8414). Add the scopes and the IMAP endpoint.
     *
     * @param name    how messages name the provider
     * @param issuer  the issuer URL, e.g. {@code https://login.example.com}
     * @param timeout connect and read timeout of each request
     * @throws dev.imapsync.account.AccessTokenException SERVER_UNAVAILABLE if the server cannot be
     *         reached, MISCONFIGURED if it serves no usable document
     */
    public static Builder discover(String name, URI issuer, Duration timeout) {
        return Discovery.fetch(name, issuer, timeout);
    }

    /** A builder holding this provider's settings, to override some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(name)
                .tokenEndpoint(tokenEndpoint)
                .scopes(scopes)
                .scopeOnRefresh(scopeOnRefresh)
                .secretInBody(secretInBody);
        authorizationParameters.forEach(b::authorizationParameter);
        if (imapEndpoint != null) {
            b.imapEndpoint(imapEndpoint);
        }
        if (authorizationEndpoint != null) {
            b.authorizationEndpoint(authorizationEndpoint);
        }
        return b;
    }

    /** How messages name the provider. */
    public String name() {
        return name;
    }

    /** Where a person gives consent; empty for a provider used only to refresh tokens. */
    public Optional<URI> authorizationEndpoint() {
        return Optional.ofNullable(authorizationEndpoint);
    }

    /** Where codes and refresh tokens are exchanged for tokens. */
    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /** The scopes asked for, in order. */
    public List<String> scopes() {
        return scopes;
    }

    /** Extra parameters of the consent URL (e.g. Google's {@code access_type=offline}). */
    public Map<String, String> authorizationParameters() {
        return authorizationParameters;
    }

    /** The IMAP server the provider's tokens open, when it is one fixed server. */
    public Optional<Endpoint> imapEndpoint() {
        return Optional.ofNullable(imapEndpoint);
    }

    /** Whether a refresh request repeats the scopes (Microsoft asks for them). */
    public boolean scopeOnRefresh() {
        return scopeOnRefresh;
    }

    /** Whether the client secret travels in the request body ({@code client_secret_post}) rather than HTTP Basic. */
    public boolean secretInBody() {
        return secretInBody;
    }

    @Override
    public String toString() {
        return "OAuth2Provider[" + name + ", token endpoint " + tokenEndpoint + "]";
    }

    /** Builds an {@link OAuth2Provider}; {@link #build()} checks what is missing. */
    public static final class Builder {
        private final String name;
        private URI authorizationEndpoint;
        private URI tokenEndpoint;
        private List<String> scopes = List.of();
        private final Map<String, String> authorizationParameters = new LinkedHashMap<>();
        private Endpoint imapEndpoint;
        private boolean scopeOnRefresh;
        private boolean secretInBody;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("The provider's name is empty: give one for messages, e.g. \"Google\"");
            }
            this.name = name;
        }

        /** The authorization (consent) endpoint: https, or http on a loopback address. */
        public Builder authorizationEndpoint(URI uri) {
            this.authorizationEndpoint = checkedEndpoint(uri, "authorization endpoint");
            return this;
        }

        /** The token endpoint: https, or http on a loopback address. */
        public Builder tokenEndpoint(URI uri) {
            this.tokenEndpoint = checkedEndpoint(uri, "token endpoint");
            return this;
        }

        /** The scopes to ask for; replaces any given before. */
        public Builder scopes(List<String> scopes) {
            List<String> copy = new ArrayList<>();
            for (String scope : scopes) {
                if (scope == null || scope.isBlank() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
                    throw new IllegalArgumentException("The scope '" + scope + "' of " + name + " is not a valid"
                            + " OAuth 2.0 scope (RFC 6749 3.3): give scopes without spaces or quotes");
                }
                copy.add(scope);
            }
            this.scopes = List.copyOf(copy);
            return this;
        }

        /** An extra parameter of the consent URL. */
        public Builder authorizationParameter(String name, String value) {
            authorizationParameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The IMAP server the tokens open. */
        public Builder imapEndpoint(Endpoint endpoint) {
            this.imapEndpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** Whether a refresh request repeats the scopes (default false). */
        public Builder scopeOnRefresh(boolean scopeOnRefresh) {
            this.scopeOnRefresh = scopeOnRefresh;
            return this;
        }

        /** Send the client secret in the body ({@code client_secret_post}) instead of HTTP Basic (default false). */
        public Builder secretInBody(boolean secretInBody) {
            this.secretInBody = secretInBody;
            return this;
        }

        /**
         * The provider. Without an authorization endpoint and scopes it can only refresh tokens
         * ({@link OAuth2Client#consent} then says what is missing).
         *
         * @throws IllegalStateException if the token endpoint is missing
         */
        public OAuth2Provider build() {
            if (tokenEndpoint == null) {
                throw new IllegalStateException("The OAuth 2.0 provider " + name + " needs its token endpoint:"
                        + " give it, or use OAuth2Provider.discover(...)");
            }
            return new OAuth2Provider(this);
        }

        private URI checkedEndpoint(URI uri, String what) {
            Objects.requireNonNull(uri, what);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback(uri.getHost()))) {
                throw new IllegalArgumentException("The " + what + " of " + name + " must be an https URL (http only"
                        + " on 127.0.0.1, [::1] or localhost): " + uri);
            }
            return uri;
        }
    }

    static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1");
    }
}
