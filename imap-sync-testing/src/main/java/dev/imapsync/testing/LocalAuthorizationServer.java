package dev.imapsync.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small but real OAuth 2.0 authorization server on 127.0.0.1 (JDK {@code HttpServer}), strict
 * where the SDK's behaviour is tested: the authorization-code grant (RFC 6749 4.1) with PKCE S256
 * required (RFC 7636), the refresh-token grant (RFC 6749 6) with optional rotation where a
 * rotated or revoked refresh token is refused with {@code invalid_grant}, client authentication
 * by HTTP Basic or in the body (or none for a public client), a discovery document, and an
 * unsigned id_token naming the signed-in address. The authorization endpoint consents at once
 * for the configured person and redirects. Every request is recorded. Tokens are random.
 *
 * <p>Why not an embedded mock server from Maven Central: {@code mock-oauth2-server} accepts any
 * refresh token (an unknown or rotated one falls back to its default token callback), so it
 * cannot show that an old refresh token is refused or that a revoked grant stays revoked.
 */
public final class LocalAuthorizationServer implements AutoCloseable {
    /** One request as received: method, path, the query and form parameters, the Authorization header. */
    public record Request(String method, String path, Map<String, String> params, String authorization) {
        /** A parameter, or null. */
        public String param(String name) {
            return params.get(name);
        }
    }

    private record Client(String secret, Set<String> redirectUris) {
    }

    private record Code(String clientId, String redirectUri, String challenge, String scope, String user) {
    }

    private record Grant(String clientId, String scope, String user) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private volatile String consentingUser = "person@example.test";
    private volatile long accessTokenSeconds = 3600;
    private volatile boolean rotate;
    private volatile int statusForAll;
    private volatile String[] errorForRefresh;
    private volatile CountDownLatch tokenGate;
    private final java.util.Queue<String> nextAccessTokens = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private LocalAuthorizationServer() throws IOException {
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "imap-sync-test-oauth");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static LocalAuthorizationServer start() {
        try {
            return new LocalAuthorizationServer();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the local authorization server", e);
        }
    }

    /**
     * Registers a client; a null secret makes it public (PKCE only). A loopback redirect URI
     * without a port ({@code http://127.0.0.1/callback}) allows any port.
     */
    public LocalAuthorizationServer client(String clientId, String secret, String... redirectUris) {
        clients.put(clientId, new Client(secret, Set.of(redirectUris)));
        return this;
    }

    /** Who consents at the authorization endpoint (the id_token's {@code email}). */
    public LocalAuthorizationServer consentingUser(String address) {
        this.consentingUser = address;
        return this;
    }

    /** The lifetime of the access tokens issued from now on ({@code expires_in}). */
    public LocalAuthorizationServer accessTokenSeconds(long seconds) {
        this.accessTokenSeconds = seconds;
        return this;
    }

    /** Whether each refresh returns a new refresh token and refuses the old one from then on. */
    public LocalAuthorizationServer rotateRefreshTokens(boolean rotate) {
        this.rotate = rotate;
        return this;
    }

    /**
     * The values of the next access tokens, in order (then random ones again): for an IMAP test
     * server that checks the token as the user's password, as GreenMail's XOAUTH2 does.
     */
    public LocalAuthorizationServer issueAccessTokens(String... values) {
        nextAccessTokens.addAll(List.of(values));
        return this;
    }

    /** Revokes every grant: each refresh token issued so far is refused with {@code invalid_grant}. */
    public void revokeAll() {
        refused.addAll(refreshTokens.keySet());
        refreshTokens.clear();
    }

    /** Answers every request with this HTTP status and an empty body (0: normal answers again). */
    public void answerEverythingWith(int status) {
        this.statusForAll = status;
    }

    /** Refuses every refresh with this OAuth error and description (null: normal answers again). */
    public void refuseRefreshesWith(String error, String description) {
        this.errorForRefresh = error == null ? null : new String[] {error, description};
    }

    /** Holds every token request until {@link #releaseTokenRequests()}. */
    public void holdTokenRequests() {
        this.tokenGate = new CountDownLatch(1);
    }

    /** Lets held token requests (and later ones) through. */
    public void releaseTokenRequests() {
        CountDownLatch gate = tokenGate;
        tokenGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The authorization endpoint. */
    public URI authorizationEndpoint() {
        return baseUri().resolve("/authorize");
    }

    /** The token endpoint. */
    public URI tokenEndpoint() {
        return baseUri().resolve("/token");
    }

    /** Every request received, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to the token endpoint, in order. */
    public List<Request> tokenRequests() {
        return requests.stream().filter(r -> r.path().equals("/token")).toList();
    }

    /** Every token (access, refresh, id, code) this server issued. */
    public List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    /**
     * Consents as the configured person: answers the consent URL as a browser would see it,
     * with the redirect to the client (code and state), or with an error page.
     *
     * @return the Location the browser is sent to
     */
    public URI consent(URI consentUrl) {
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) consentUrl.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            String location = connection.getHeaderField("Location");
            connection.disconnect();
            if (status != 302 || location == null) {
                throw new IllegalStateException("The consent URL was refused with HTTP " + status);
            }
            return URI.create(location);
        } catch (IOException e) {
            throw new IllegalStateException("Could not open the consent URL", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = new LinkedHashMap<>(parse(exchange.getRequestURI().getRawQuery()));
            if ("POST".equals(exchange.getRequestMethod())) {
                try (InputStream in = exchange.getRequestBody()) {
                    params.putAll(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(params),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            if (statusForAll != 0) {
                send(exchange, statusForAll, "text/plain", "");
                return;
            }
            switch (path) {
                case "/authorize" -> authorize(exchange, params);
                case "/token" -> token(exchange, params);
                case "/.well-known/openid-configuration" -> send(exchange, 200, "application/json",
                        "{\"issuer\":\"" + baseUri() + "\",\"authorization_endpoint\":\"" + authorizationEndpoint()
                                + "\",\"token_endpoint\":\"" + tokenEndpoint() + "\",\"response_types_supported\":[\"code\"],"
                                + "\"code_challenge_methods_supported\":[\"S256\"]}");
                default -> send(exchange, 404, "text/html", "<html>not found</html>");
            }
        }
    }

    private void authorize(HttpExchange exchange, Map<String, String> p) throws IOException {
        Client client = clients.get(p.getOrDefault("client_id", ""));
        String redirect = p.get("redirect_uri");
        if (client == null || redirect == null || !registered(client, redirect)) {
            send(exchange, 400, "text/html", "<html>unknown client or redirect_uri</html>");   // never redirect then
            return;
        }
        String error = null;
        if (!"code".equals(p.get("response_type"))) {
            error = "unsupported_response_type";
        } else if (!"S256".equals(p.get("code_challenge_method")) || p.get("code_challenge") == null) {
            error = "invalid_request";
        }
        StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?');
        if (error != null) {
            location.append("error=").append(error);
        } else {
            String code = newToken("code");
            codes.put(code, new Code(p.get("client_id"), redirect, p.get("code_challenge"), p.getOrDefault("scope", ""),
                    consentingUser));
            location.append("code=").append(code);
        }
        if (p.get("state") != null) {
            location.append("&state=").append(URLEncoder.encode(p.get("state"), StandardCharsets.UTF_8));
        }
        exchange.getResponseHeaders().add("Location", location.toString());
        send(exchange, 302, "text/plain", "");
    }

    private void token(HttpExchange exchange, Map<String, String> p) throws IOException {
        CountDownLatch gate = tokenGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String clientId = authenticate(exchange, p);
        if (clientId == null) {
            error(exchange, 401, "invalid_client", "Client authentication failed.");
            return;
        }
        switch (p.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                Code code = codes.remove(p.getOrDefault("code", ""));   // single use
                if (code == null || !code.clientId().equals(clientId) || !code.redirectUri().equals(p.get("redirect_uri"))) {
                    error(exchange, 400, "invalid_grant", "The authorization code is invalid or was used.");
                } else if (p.get("code_verifier") == null || !s256(p.get("code_verifier")).equals(code.challenge())) {
                    error(exchange, 400, "invalid_grant", "PKCE verification failed.");
                } else {
                    tokens(exchange, new Grant(clientId, code.scope(), code.user()), null, true);
                }
            }
            case "refresh_token" -> {
                String refreshToken = p.getOrDefault("refresh_token", "");
                Grant grant = refreshTokens.get(refreshToken);
                String[] forced = errorForRefresh;
                if (forced != null) {
                    error(exchange, 400, forced[0], forced[1]);
                } else if (grant == null || refused.contains(refreshToken) || !grant.clientId().equals(clientId)) {
                    error(exchange, 400, "invalid_grant", "Token has been expired or revoked.");
                } else {
                    tokens(exchange, grant, refreshToken, false);
                }
            }
            default -> error(exchange, 400, "unsupported_grant_type", "Only authorization_code and refresh_token.");
        }
    }

    private void tokens(HttpExchange exchange, Grant grant, String usedRefreshToken, boolean withIdToken)
            throws IOException {
        String fixed = nextAccessTokens.poll();
        String access = fixed != null ? fixed : newToken("at");
        if (fixed != null) {
            issued.add(fixed);
        }
        StringBuilder json = new StringBuilder("{\"access_token\":\"").append(access)
                .append("\",\"token_type\":\"Bearer\",\"expires_in\":").append(accessTokenSeconds)
                .append(",\"scope\":\"").append(grant.scope()).append('"');
        if (usedRefreshToken == null || rotate) {
            String refresh = newToken("rt");
            refreshTokens.put(refresh, grant);
            if (usedRefreshToken != null) {
                refreshTokens.remove(usedRefreshToken);
                refused.add(usedRefreshToken);
            }
            json.append(",\"refresh_token\":\"").append(refresh).append('"');
        }
        if (withIdToken) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String idToken = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(("{\"iss\":\"" + baseUri() + "\",\"aud\":\"" + grant.clientId() + "\",\"sub\":\""
                    + grant.user() + "\",\"email\":\"" + grant.user() + "\"}").getBytes(StandardCharsets.UTF_8)) + ".";
            issued.add(idToken);
            json.append(",\"id_token\":\"").append(idToken).append('"');
        }
        send(exchange, 200, "application/json", json.append('}').toString());
    }

    /**
     * Whether the redirect URI is registered; a loopback one registered without a port matches
     * any port (RFC 8252 7.3, as Google and Microsoft do for desktop apps).
     */
    private static boolean registered(Client client, String redirect) {
        if (client.redirectUris().contains(redirect)) {
            return true;
        }
        URI uri = URI.create(redirect);
        if (!"http".equals(uri.getScheme()) || !"127.0.0.1".equals(uri.getHost()) || uri.getPort() < 0) {
            return false;
        }
        return client.redirectUris().contains("http://127.0.0.1" + uri.getRawPath());
    }

    /** The authenticated client id, or null. */
    private String authenticate(HttpExchange exchange, Map<String, String> p) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String id = p.get("client_id");
        String secret = p.get("client_secret");
        if (header != null && header.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        Client client = id == null ? null : clients.get(id);
        if (client == null) {
            return null;
        }
        if (client.secret() == null) {
            return secret == null ? id : null;
        }
        return client.secret().equals(secret) ? id : null;
    }

    private void error(HttpExchange exchange, int status, String error, String description) throws IOException {
        send(exchange, status, "application/json",
                "{\"error\":\"" + error + "\",\"error_description\":\"" + description.replace("\"", "'") + "\"}");
    }

    private String newToken(String kind) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = kind + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.add(token);
        return token;
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type + (type.startsWith("application/json") ? ";charset=UTF-8" : ""));
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public String toString() {
        return "LocalAuthorizationServer[" + baseUri() + "]";
    }

}
