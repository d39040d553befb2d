package dev.imapsync.examples.cli;

import com.sun.net.httpserver.HttpServer;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Secret;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.oauth.InMemoryRefreshTokenStore;
import dev.imapsync.oauth.OAuth2Client;
import dev.imapsync.oauth.OAuth2Provider;
import dev.imapsync.oauth.RefreshTokenStore;
import dev.imapsync.oauth.TokenRefresher;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** The CLI's OAuth 2.0 plumbing: providers from options, refreshed credentials, the loopback redirect. */
final class OAuthCli {
    private OAuthCli() {
    }

    static String environmentValue(Map<String, String> environment, String variable, String option) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new UsageException("The environment variable " + variable + " named by " + option + " is not set or empty");
        }
        return value.strip();
    }

    static Secret clientSecret(Map<String, String> environment, String variable) {
        return variable == null ? null : Secret.of(environmentValue(environment, variable, "--client-secret-env"));
    }

    /**
     * The provider behind a token URL: Google's and Microsoft's endpoints get their presets (Microsoft
     * wants the scopes on each refresh), any other URL a plain token endpoint.
     */
    static OAuth2Provider forTokenUrl(String url) {
        URI uri = uri(url, "--oauth2-token-url");
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        try {
            if (host.equals("oauth2.googleapis.com")) {
                return OAuth2Provider.google().toBuilder().tokenEndpoint(uri).build();
            }
            if (host.equals("login.microsoftonline.com")) {
                String[] path = uri.getPath().split("/");
                return OAuth2Provider.microsoft(path.length > 1 ? path[1] : "common").toBuilder().tokenEndpoint(uri).build();
            }
            return OAuth2Provider.builder(host).tokenEndpoint(uri).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--oauth2-token-url: " + e.getMessage());
        }
    }

    /** The provider of {@code accounts add --oauth2 KIND}: google, microsoft (with its tenant) or an issuer URL. */
    static OAuth2Provider forConsent(String kind, String tenant, List<String> scopes, Duration timeout) {
        if (tenant != null && !kind.equalsIgnoreCase("microsoft")) {
            throw new UsageException("--tenant is for --oauth2 microsoft only");
        }
        OAuth2Provider provider;
        try {
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "google" -> provider = OAuth2Provider.google();
                case "microsoft" -> provider = OAuth2Provider.microsoft(tenant == null ? "common" : tenant);
                default -> {
                    URI issuer = uri(kind, "--oauth2");
                    OAuth2Provider.Builder found = OAuth2Provider.discover(issuer.getHost(), issuer, timeout);
                    if (scopes == null || scopes.isEmpty()) {
                        throw new UsageException("--oauth2 " + kind + ": give the scopes that grant IMAP access with"
                                + " --scopes (the provider's documentation names them)");
                    }
                    return found.scopes(scopes).build();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return scopes == null || scopes.isEmpty() ? provider : provider.toBuilder().scopes(scopes).build();
    }

    /**
     * The account repository whose OAuth 2.0 accounts get their tokens from a {@link TokenRefresher}
     * that stores rotated refresh tokens through the repository itself.
     */
    static JdbcAccountRepository repositoryWithRefresher(DataSource dataSource, SecretKeys keys, String kind, String tenant,
                                                         String clientId, Secret clientSecret) {
        OAuth2Provider provider;
        try {
            provider = switch (kind.toLowerCase(Locale.ROOT)) {
                case "google" -> OAuth2Provider.google();
                case "microsoft" -> OAuth2Provider.microsoft(tenant == null ? "common" : tenant);
                default -> forTokenUrl(kind);
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        OAuth2Client.Builder client = OAuth2Client.builder(provider).clientId(clientId);
        if (clientSecret != null) {
            client.clientSecret(clientSecret);
        }
        OAuth2Client built = client.build();
        return JdbcAccountRepository.builder(dataSource).keys(keys)
                .oauth2From(repository -> TokenRefresher.builder(built)
                        .store(RefreshTokenStore.of(repository::refreshToken, repository::replaceRefreshToken))
                        .build()::accessToken)
                .build();
    }

    /** Credentials whose access tokens the SDK fetches and refreshes; a rotated refresh token is reported. */
    static Credentials refreshing(String user, String accountId, String tokenUrl, String clientId, Secret clientSecret,
                                  Secret refreshToken, String variable, PrintStream err) {
        OAuth2Provider provider = forTokenUrl(tokenUrl);
        OAuth2Client.Builder client = OAuth2Client.builder(provider).clientId(clientId);
        if (clientSecret != null) {
            client.clientSecret(clientSecret);
        }
        InMemoryRefreshTokenStore tokens = new InMemoryRefreshTokenStore();
        tokens.put(accountId, refreshToken);
        RefreshTokenStore store = RefreshTokenStore.of(tokens::load, (id, old, next) -> {
            boolean replaced = tokens.replace(id, old, next);
            if (replaced) {
                err.println("note: " + provider.name() + " rotated the refresh token; the one in " + variable
                        + " may stop working. Store the account with 'accounts add --oauth2' so that rotated tokens"
                        + " are kept");
            }
            return replaced;
        });
        TokenRefresher refresher = TokenRefresher.builder(client.build()).store(store).build();
        return Credentials.oauth2(user, refresher.supplier(accountId));
    }

    /**
     * Listens on 127.0.0.1 for the provider's redirect: one request to {@code /callback} ends it (the
     * state is checked by the caller); anything else gets 404.
     *
     * @param port      the port, 0 for any free one
     * @param listening gets the redirect URI as soon as the port is open
     * @return the URI the browser was redirected to
     */
    static URI awaitRedirect(int port, Duration wait, Consumer<URI> listening) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5);
        } catch (IOException e) {
            throw new UsageException("Cannot listen on 127.0.0.1:" + port + " for the redirect (" + e.getMessage()
                    + "): give another --redirect-port, or --paste");
        }
        CompletableFuture<URI> received = new CompletableFuture<>();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean callback = exchange.getRequestURI().getPath().equals("/callback") && !received.isDone();
                byte[] body = (callback
                        ? "<html><body><p>imap-sync received the answer. You can close this window and return to the"
                                + " terminal.</p></body></html>"
                        : "<html><body>not found</body></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(callback ? 200 : 404, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                if (callback) {
                    received.complete(base.resolve(exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null ? ""
                            : "?" + exchange.getRequestURI().getRawQuery())));
                }
            }
        });
        server.start();
        try {
            listening.accept(base.resolve("/callback"));
            return received.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UsageException("No answer from the browser within " + wait.toSeconds() + " s: run the command"
                    + " again, or use --paste");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("Interrupted while waiting for the browser");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            server.stop(0);
        }
    }

    private static URI uri(String value, String option) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new UsageException(option + " " + value + " is not a URL: give e.g. https://login.example.com");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new UsageException(option + " " + value + " is not a URL: " + e.getReason());
        }
    }
}
