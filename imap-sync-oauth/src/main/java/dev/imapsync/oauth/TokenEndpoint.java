package dev.imapsync.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.AccessTokenException.Reason;
import dev.imapsync.account.Secret;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends one token request and turns the answer into tokens or an {@link AccessTokenException}
 * whose reason decides what the caller does next. Messages quote the server's error code and
 * description (with any secret of the request cut out), never a token.
 */
final class TokenEndpoint {
    /** Used when a token response has no {@code expires_in} (RFC 6749 makes it optional). */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);

    /**
     * Microsoft identity platform codes (in {@code error_description} as {@code AADSTSnnnn:}) that
     * mean the grant is gone and a person must sign in again: expired or revoked refresh tokens
     * (70008 inactivity, 700082 expired, 50173 password changed, 700084 SPA token expired), a
     * code already used (54005), an invalid or expired grant (70000, 70043), multi-factor
     * authentication required since consent (50076, 50079: a refresh cannot answer an MFA
     * challenge, so only a new consent helps), consent missing or withdrawn (65001).
     */
    private static final Set<String> MICROSOFT_REVOKED = Set.of("70008", "700082", "50173", "700084", "54005",
            "70000", "70043", "50076", "50079", "65001");
    /** Microsoft codes that mean the application's registration is wrong: bad or expired secret, unknown app, redirect URI. */
    private static final Set<String> MICROSOFT_MISCONFIGURED = Set.of("7000215", "7000222", "700016", "50011",
            "700054", "70011");
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

    /** What a successful token request gave. */
    record Tokens(Secret accessToken, Instant expiresAt, Secret refreshToken, List<String> scopes, String idToken) {
        @Override
        public String toString() {
            return "Tokens[accessToken=****, expiresAt=" + expiresAt + ", refreshToken="
                    + (refreshToken == null ? "none" : "****") + ", scopes=" + scopes + "]";
        }
    }

    private TokenEndpoint() {
    }

    /**
     * @param who     the account or flow and the provider, for messages ("account 'x' at Google")
     * @param secrets values to cut out of any text the server sends back
     */
    static Tokens send(TokenRequest request, Duration timeout, Instant now, String who, List<Secret> secrets,
                       boolean consent) {
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout((int) timeout.toMillis());
        http.setReadTimeout((int) timeout.toMillis());
        HTTPResponse response;
        try {
            response = http.send();
        } catch (IOException e) {
            throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, who + ": the token endpoint "
                    + request.getEndpointURI() + " could not be reached (" + e.getClass().getSimpleName()
                    + "): the authorization server is down or unreachable; it is tried again later", e);
        }
        int status = response.getStatusCode();
        if (status == 429 || status >= 500) {
            throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, who + ": the token endpoint answered HTTP "
                    + status + (status == 429 ? " (too many requests)" : " (server error)")
                    + "; it is tried again later", null);
        }
        if (status == 200) {
            try {
                return tokens(AccessTokenResponse.parse(response), now);
            } catch (ParseException | IllegalArgumentException e) {
                throw new AccessTokenException(Reason.MISCONFIGURED, who + ": the token endpoint " + request.getEndpointURI()
                        + " answered HTTP 200 without a valid token response (" + clean(e.getMessage(), secrets)
                        + "): check the token endpoint URL", null);
            }
        }
        ErrorObject error;
        try {
            error = TokenErrorResponse.parse(response).getErrorObject();
        } catch (ParseException e) {
            error = null;
        }
        if (error == null || error.getCode() == null) {
            throw new AccessTokenException(Reason.MISCONFIGURED, who + ": the token endpoint " + request.getEndpointURI()
                    + " answered HTTP " + status + " without an OAuth 2.0 error: check the token endpoint URL", null);
        }
        throw failure(error, who, secrets, consent);
    }

    static AccessTokenException failure(ErrorObject error, String who, List<Secret> secrets, boolean consent) {
        String code = error.getCode();
        String description = error.getDescription() == null ? "" : clean(error.getDescription(), secrets);
        String said = code + (description.isEmpty() ? "" : ": " + description);
        Reason reason = reason(code, description);
        String next = switch (reason) {
            case GRANT_REVOKED -> consent ? "the code has expired or was used already; start the consent again"
                    : "the sign-in was revoked or has expired (or needs a new consent); reconnect this"
                    + " mailbox: sign in again through the consent page. No further token requests are made for it"
                    + " until then";
            case SERVER_UNAVAILABLE -> "the authorization server is temporarily unavailable; it is tried again later";
            case MISCONFIGURED -> "the application's OAuth 2.0 settings are wrong: check the client id, the client"
                    + " secret (not expired), the redirect URI and the scopes registered at the provider";
        };
        return new AccessTokenException(reason, who + ": the token endpoint refused the request (" + said + "): " + next,
                null);
    }

    static Reason reason(String code, String description) {
        Matcher aad = AADSTS.matcher(description);
        if (aad.find()) {
            if (MICROSOFT_REVOKED.contains(aad.group(1))) {
                return Reason.GRANT_REVOKED;
            }
            if (MICROSOFT_MISCONFIGURED.contains(aad.group(1))) {
                return Reason.MISCONFIGURED;
            }
        }
        return switch (code.toLowerCase(Locale.ROOT)) {
            case "invalid_grant", "interaction_required", "consent_required", "login_required" -> Reason.GRANT_REVOKED;
            case "temporarily_unavailable", "server_error" -> Reason.SERVER_UNAVAILABLE;
            default -> Reason.MISCONFIGURED;   // invalid_client, unauthorized_client, invalid_scope, invalid_request, ...
        };
    }

    private static Tokens tokens(AccessTokenResponse response, Instant now) {
        AccessToken access = response.getTokens().getAccessToken();
        RefreshToken refresh = response.getTokens().getRefreshToken();
        long lifetime = access.getLifetime();
        Instant expiresAt = now.plus(lifetime > 0 ? Duration.ofSeconds(lifetime) : DEFAULT_LIFETIME);
        List<String> scopes = access.getScope() == null ? List.of() : access.getScope().toStringList();
        Object idToken = response.getCustomParameters().get("id_token");
        return new Tokens(Secret.of(access.getValue()), expiresAt, refresh == null ? null : Secret.of(refresh.getValue()),
                scopes, idToken instanceof String s ? s : null);
    }

    /** The server's text, without any secret of the request, control characters or excess length. */
    static String clean(String text, List<Secret> secrets) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (Secret secret : secrets) {
            if (secret != null) {
                out = out.replace(secret.reveal(), "****");
            }
        }
        out = out.replaceAll("\\p{Cntrl}+", " ").strip();
        return out.length() > 300 ? out.substring(0, 300) + "…" : out;
    }
}
