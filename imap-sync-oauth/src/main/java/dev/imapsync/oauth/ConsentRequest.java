package dev.imapsync.oauth;

import dev.imapsync.account.Secret;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One consent in progress: the URL to send the person to, and what the answer must match (the
 * {@code state}, and the PKCE code verifier that only this object knows). Keep it in the
 * person's session between the redirect and the callback and hand it to
 * {@link OAuth2Client#exchange}. Immutable; its {@code toString()} never prints the verifier.
 */
public final class ConsentRequest {
    private final URI url;
    private final String state;
    private final URI redirectUri;
    private final Secret codeVerifier;
    private final Instant createdAt;

    ConsentRequest(URI url, String state, URI redirectUri, Secret codeVerifier, Instant createdAt) {
        this.url = Objects.requireNonNull(url, "url");
        this.state = Objects.requireNonNull(state, "state");
        this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
        this.codeVerifier = Objects.requireNonNull(codeVerifier, "codeVerifier");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The provider's consent page, with client id, scopes, redirect URI, state and the PKCE S256 challenge. */
    public URI url() {
        return url;
    }

    /** The random {@code state} the answer must carry back (RFC 6749 10.12). */
    public String state() {
        return state;
    }

    /** Where the provider sends the person back. */
    public URI redirectUri() {
        return redirectUri;
    }

    /** When the request was made. */
    public Instant createdAt() {
        return createdAt;
    }

    Secret codeVerifier() {
        return codeVerifier;
    }

    @Override
    public String toString() {
        return "ConsentRequest[url=" + url + ", codeVerifier=****]";
    }
}
