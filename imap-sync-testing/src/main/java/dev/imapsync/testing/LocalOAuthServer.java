package dev.imapsync.testing;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OAuth 2.0 authorization server on 127.0.0.1 ({@code mock-oauth2-server} from Maven
 * Central): its token endpoint issues signed JWT access tokens for one mailbox user, and its
 * introspection endpoint (RFC 7662) is the one the project's Dovecot asks about every token
 * ({@code .ci/dovecot/start.sh} points Dovecot's {@code oauth2} passdb at
 * {@code http://127.0.0.1:<port>/imapsync/introspect}), so a token is accepted by Dovecot
 * exactly when this server says it is active.
 *
 * <p>Introspection here is strict where the stock server is lenient: a token is inactive from
 * the second its {@code exp} passes (the stock server allows a minute of clock skew) and once
 * {@link #revoke revoked}, as a provider's own introspection reports it. Tokens are issued with
 * {@link #accessTokenLifetime(Duration) a lifetime} that tests set to a few seconds.
 *
 * <p>Its refresh grant is lenient (any refresh token gets a token): tests of rotation and of
 * refresh tokens refused after it use {@link LocalAuthorizationServer}, which has no
 * introspection for Dovecot. Use this one where Dovecot must accept or refuse the token.
 *
 * <p>Needs {@code no.nav.security:mock-oauth2-server} on the test class path (an optional
 * dependency of this kit).
 */
public final class LocalOAuthServer implements AutoCloseable {
    /** The issuer id in every URL: {@code http://127.0.0.1:<port>/imapsync/...}. */
    public static final String ISSUER = "imapsync";
    /** How long {@link #startForDovecot} waits for Dovecot's OAuth port to be free. */
    public static final Duration DOVECOT_PORT_WAIT = Duration.ofSeconds(60);

    private final MockOAuth2Server server;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicLong lifetimeSeconds = new AtomicLong(3600);
    private final AtomicInteger introspections = new AtomicInteger();
    private final AtomicInteger activeAnswers = new AtomicInteger();
    private final Set<Integer> activeTokens = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String subject;
    private final AtomicReference<OAuth2HttpResponse> cannedTokenAnswer = new AtomicReference<>();

    private LocalOAuthServer(String subject) {
        this.subject = subject;
        OAuth2TokenProvider tokens = new OAuth2TokenProvider();
        OAuth2Config config = new OAuth2Config(false, null, null, true, tokens, Set.of(new Callback()),
                new MockWebServerWrapper());
        this.server = new MockOAuth2Server(config, new StrictIntrospection(tokens), new CannedTokenAnswer());
    }

    /**
     * Starts a server on 127.0.0.1 that issues tokens for {@code subject} (the mailbox user).
     *
     * @param port a fixed port (the one Dovecot's configuration names), or 0 for any free one
     */
    public static LocalOAuthServer start(int port, String subject) {
        LocalOAuthServer s = new LocalOAuthServer(subject);
        try {
            s.server.start(InetAddress.getLoopbackAddress(), port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the local OAuth 2.0 server could not listen on 127.0.0.1:" + port
                    + " (is another test run using it?)", e);
        }
        return s;
    }

    /**
     * Starts a server on the port the project's Dovecot asks about tokens
     * ({@link Dovecot#oauthServerPort()}), waiting for that port while another test run holds it.
     * The port cannot be a free one of this run's choosing: Dovecot's {@code oauth2} passdb names
     * it in its configuration ({@code .ci/dovecot/start.sh}, {@code IMAPSYNC_DOVECOT_OAUTH_PORT}),
     * and the one Dovecot is shared by every run on the machine. So runs take turns, one test at a
     * time; a port still taken after {@link #DOVECOT_PORT_WAIT} (a long test elsewhere, or another
     * program) skips the test, saying so, rather than failing it.
     *
     * @throws org.opentest4j.TestAbortedException when the port stayed taken
     */
    public static LocalOAuthServer startForDovecot(String subject) {
        return startWhenFree(Dovecot.oauthServerPort(), subject, DOVECOT_PORT_WAIT);
    }

    /** As {@link #startForDovecot}, on {@code port}, waiting at most {@code wait}. */
    static LocalOAuthServer startWhenFree(int port, String subject, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            LocalOAuthServer s = new LocalOAuthServer(subject);
            try {
                s.server.start(InetAddress.getLoopbackAddress(), port);
                return s;
            } catch (Exception e) { // Kotlin code: a BindException comes undeclared
                s.closeQuietly();
                if (!portTaken(e)) {
                    throw new IllegalStateException("the local OAuth 2.0 server could not listen on 127.0.0.1:"
                            + port, e);
                }
                if (System.nanoTime() - deadline >= 0) {
                    Assumptions.abort("127.0.0.1:" + port + " stayed taken for " + wait.toSeconds() + " s (another"
                            + " test run's OAuth server, or another program): the project's Dovecot asks that port,"
                            + " fixed in its configuration by .ci/dovecot/start.sh (IMAPSYNC_DOVECOT_OAUTH_PORT),"
                            + " about every token, so this test cannot run now");
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for 127.0.0.1:" + port, e);
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // it never started
        }
    }

    /** The token endpoint (RFC 6749 3.2). */
    public String tokenEndpoint() {
        return server.tokenEndpointUrl(ISSUER).toString();
    }

    /** The authorization endpoint (RFC 6749 3.1), for the consent step. */
    public String authorizationEndpoint() {
        return server.authorizationEndpointUrl(ISSUER).toString();
    }

    /** The introspection endpoint (RFC 7662) that Dovecot asks. */
    public String introspectionEndpoint() {
        return server.url(ISSUER + "/introspect").toString();
    }

    /** The lifetime of access tokens issued from now on (whole seconds, at least 1). */
    public LocalOAuthServer accessTokenLifetime(Duration lifetime) {
        lifetimeSeconds.set(Math.max(1, lifetime.toSeconds()));
        return this;
    }

    /** An access token issued directly (not through the token endpoint), valid for the current lifetime. */
    public String issueAccessToken() {
        return server.issueToken(ISSUER, "imap-sync-tests", new Callback()).serialize();
    }

    /**
     * An access-token supplier for {@code Credentials.oauth2} that asks this server's token
     * endpoint for a new token on every call (client credentials grant, no cache), as a minimal
     * OAuth client: an unreachable server or a 5xx is {@code SERVER_UNAVAILABLE}, an
     * {@code invalid_grant} answer {@code GRANT_REVOKED}, anything else {@code MISCONFIGURED}.
     * It never logs or prints a token.
     *
     * @param tokenEndpoint where to ask (usually {@link #tokenEndpoint()}; another URL to play a
     *                      server that is down)
     * @param calls         counts the calls
     */
    public static Supplier<Secret> fetchingTokens(String tokenEndpoint, AtomicInteger calls) {
        Pattern accessToken = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
        byte[] form = ("grant_type=client_credentials&client_id=imap-sync-tests&client_secret=imap-sync-tests-secret"
                + "&scope=imap").getBytes(StandardCharsets.UTF_8);
        return () -> {
            calls.incrementAndGet();
            int status;
            String body;
            try {
                // HttpURLConnection rather than java.net.http: core's tests compile this kit inside core's module
                HttpURLConnection http = (HttpURLConnection) URI.create(tokenEndpoint).toURL().openConnection();
                http.setConnectTimeout(5_000);
                http.setReadTimeout(10_000);
                http.setRequestMethod("POST");
                http.setDoOutput(true);
                http.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                try (OutputStream out = http.getOutputStream()) {
                    out.write(form);
                }
                status = http.getResponseCode();
                try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                    body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new AccessTokenException(AccessTokenException.Reason.SERVER_UNAVAILABLE, "the token endpoint "
                        + tokenEndpoint + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
            }
            Matcher m = accessToken.matcher(body);
            if (status == 200 && m.find()) {
                return Secret.of(m.group(1));
            }
            AccessTokenException.Reason reason = status >= 500 ? AccessTokenException.Reason.SERVER_UNAVAILABLE
                    : body.contains("invalid_grant") ? AccessTokenException.Reason.GRANT_REVOKED
                    : AccessTokenException.Reason.MISCONFIGURED;
            throw new AccessTokenException(reason, "the token endpoint " + tokenEndpoint + " answered HTTP " + status
                    + (reason == AccessTokenException.Reason.GRANT_REVOKED ? " invalid_grant" : ""), null);
        };
    }

    /**
     * Plays the person at the consent page: opens the authorization URL (this server consents at
     * once, for the mailbox user) and returns where it redirects, the client's callback URL with
     * {@code code} and {@code state}.
     */
    public URI consent(URI authorizationUrl) {
        try {
            HttpURLConnection http = (HttpURLConnection) authorizationUrl.toURL().openConnection();
            http.setInstanceFollowRedirects(false);
            http.setConnectTimeout(5_000);
            http.setReadTimeout(10_000);
            int status = http.getResponseCode();
            String location = http.getHeaderField("Location");
            http.disconnect();
            if (status / 100 != 3 || location == null) {
                throw new IllegalStateException("the authorization endpoint answered HTTP " + status + " without a"
                        + " redirect");
            }
            return URI.create(location);
        } catch (IOException e) {
            throw new IllegalStateException("the authorization endpoint could not be reached", e);
        }
    }

    /** From now on, introspection reports this token inactive (a grant revoked at the provider). */
    public void revoke(String accessToken) {
        revoked.add(accessToken);
    }

    /**
     * Answers the next token request with this HTTP status and JSON body instead of a token (e.g.
     * 400 {@code {"error":"invalid_grant"}}, as a provider answers a refresh with a revoked grant).
     */
    public void answerNextTokenRequest(int status, String json) {
        cannedTokenAnswer.set(new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), status, json,
                null));
    }

    /** How many introspection requests arrived (each Dovecot login with a token makes one). */
    public int introspections() {
        return introspections.get();
    }

    /** How many introspection requests were answered {@code "active": true}. */
    public int activeAnswers() {
        return activeAnswers.get();
    }

    /** How many different tokens introspection has answered active (as far as their hash codes tell). */
    public int distinctActiveTokens() {
        return activeTokens.size();
    }

    /** Stops the server; safe twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
        }
    }

    /** Issues tokens for the mailbox user with the current lifetime. */
    private final class Callback implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return ISSUER;
        }

        @Override
        public String subject(TokenRequest request) {
            return subject;
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of("imap");
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return Map.of("scope", "imap offline_access");
        }

        @Override
        public long tokenExpiry() {
            return lifetimeSeconds.get();
        }
    }

    /** The answer {@link #answerNextTokenRequest} set, once. */
    private final class CannedTokenAnswer implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return cannedTokenAnswer.get() != null && request.getUrl().encodedPath().equals("/" + ISSUER + "/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            OAuth2HttpResponse canned = cannedTokenAnswer.getAndSet(null);
            return canned != null ? canned : new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 503,
                    "{\"error\":\"temporarily_unavailable\"}", null);
        }
    }

    /** RFC 7662 introspection: active only for an unrevoked token of this issuer before its {@code exp}. */
    private final class StrictIntrospection implements Route {
        private final OAuth2TokenProvider tokens;

        StrictIntrospection(OAuth2TokenProvider tokens) {
            this.tokens = tokens;
        }

        @Override
        public boolean match(OAuth2HttpRequest request) {
            return "POST".equals(request.getMethod())
                    && request.getUrl().encodedPath().equals("/" + ISSUER + "/introspect");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            introspections.incrementAndGet();
            Headers json = Headers.of("Content-Type", "application/json");
            if (request.getHeaders().get("Authorization") == null) {
                // RFC 7662 2.1: the protected resource authenticates; Dovecot sends Basic credentials
                return new OAuth2HttpResponse(json, 401, "{\"error\":\"invalid_client\"}", null);
            }
            String token = request.getFormParameters().get("token");
            JWTClaimsSet claims = verified(token);
            if (claims == null || revoked.contains(token) || claims.getExpirationTime() == null
                    || !claims.getExpirationTime().after(Date.from(Instant.now()))) {
                return new OAuth2HttpResponse(json, 200, "{\"active\":false}", null);
            }
            activeAnswers.incrementAndGet();
            activeTokens.add(token.hashCode());
            String body = "{\"active\":true,\"sub\":\"" + claims.getSubject() + "\",\"username\":\""
                    + claims.getSubject() + "\",\"scope\":\"imap offline_access\",\"token_type\":\"Bearer\","
                    + "\"exp\":" + claims.getExpirationTime().toInstant().getEpochSecond() + ",\"iss\":\""
                    + claims.getIssuer() + "\"}";
            return new OAuth2HttpResponse(json, 200, body, null);
        }

        private JWTClaimsSet verified(String token) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            try {
                return tokens.verify(server.issuerUrl(ISSUER), token);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
