package dev.imapsync.examples.web;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.MailProvider;
import dev.imapsync.account.Secret;
import dev.imapsync.jdbc.OAuth2TokenSource;
import dev.imapsync.oauth.OAuth2Client;
import dev.imapsync.oauth.OAuth2Provider;
import dev.imapsync.oauth.RefreshTokenStore;
import dev.imapsync.oauth.TokenRefresher;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.core.env.Environment;

/**
 * The "Connect with …" buttons of the settings page: the OAuth 2.0 clients the application is
 * registered as. Google and Microsoft come from properties ({@code imapsync.web.oauth.google.client-id}
 * and {@code .client-secret}; {@code imapsync.web.oauth.microsoft.client-id}, {@code .client-secret},
 * {@code .tenant}); without them there is no button. As an {@link OAuth2TokenSource} it gives the
 * scheduler the access tokens of the mailboxes connected this way, refreshed by a
 * {@link TokenRefresher} per client that keeps a rotated refresh token in the account repository.
 */
public final class OAuthProviders implements OAuth2TokenSource {

    /**
     * One button.
     *
     * @param key    its part of the address ({@code google}, {@code microsoft})
     * @param label  what the button says after "Connect with"
     * @param client the registered client
     */
    public record Option(String key, String label, OAuth2Client client) {
    }

    private final Map<String, Option> options = new LinkedHashMap<>();
    private final Supplier<JdbcAccountRepository> accounts;
    private final Map<String, TokenRefresher> refreshers = new ConcurrentHashMap<>();

    OAuthProviders(List<Option> options, Supplier<JdbcAccountRepository> accounts) {
        options.forEach(o -> this.options.put(o.key(), o));
        this.accounts = accounts;
    }

    /** Google and Microsoft as the properties configure them, then the {@code extra} options. */
    static List<Option> fromProperties(Environment env, List<Option> extra) {
        List<Option> list = new ArrayList<>();
        String google = env.getProperty("imapsync.web.oauth.google.client-id");
        if (google != null && !google.isBlank()) {
            list.add(new Option("google", "Google", client(OAuth2Provider.google(), google,
                    env.getProperty("imapsync.web.oauth.google.client-secret"))));
        }
        String microsoft = env.getProperty("imapsync.web.oauth.microsoft.client-id");
        if (microsoft != null && !microsoft.isBlank()) {
            list.add(new Option("microsoft", "Microsoft", client(OAuth2Provider.microsoft(
                    env.getProperty("imapsync.web.oauth.microsoft.tenant", "common")), microsoft,
                    env.getProperty("imapsync.web.oauth.microsoft.client-secret"))));
        }
        list.addAll(extra);
        return list;
    }

    private static OAuth2Client client(OAuth2Provider provider, String clientId, String secret) {
        OAuth2Client.Builder b = OAuth2Client.builder(provider).clientId(clientId);
        if (secret != null && !secret.isBlank()) {
            b.clientSecret(Secret.of(secret));
        }
        return b.build();
    }

    /** The buttons, in order. */
    public List<Option> options() {
        return List.copyOf(options.values());
    }

    /** The option with this key. */
    public Optional<Option> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /**
     * An access token for a stored OAuth 2.0 account: from the client whose provider serves the
     * account's IMAP server (its fixed endpoint, else Gmail's or Outlook's host).
     */
    @Override
    public Secret accessToken(String accountId, String user, Secret refreshToken) {
        JdbcAccountRepository repository = accounts.get();
        Endpoint endpoint = repository.list().stream().filter(a -> a.id().equals(accountId)).findFirst()
                .map(AccountSummary::endpoint).orElseThrow(() -> new IllegalStateException("No account " + accountId));
        Option option = options.values().stream()
                .filter(o -> o.client().provider().imapEndpoint().map(e -> e.host().equals(endpoint.host())
                        && e.port() == endpoint.port()).orElse(false))
                .findFirst()
                .or(() -> option(switch (MailProvider.forHost(endpoint.host())) {
                    case GMAIL -> "google";
                    case OUTLOOK -> "microsoft";
                    default -> "";
                }))
                .orElseThrow(() -> new IllegalStateException("Account " + accountId + " signs in with OAuth 2.0 at "
                        + endpoint.host() + ", but no OAuth 2.0 client of this application serves that server:"
                        + " configure imapsync.web.oauth.*"));
        TokenRefresher refresher = refreshers.computeIfAbsent(option.key(), k -> TokenRefresher.builder(option.client())
                .store(RefreshTokenStore.of(id -> accounts.get().refreshToken(id),
                        (id, old, next) -> accounts.get().replaceRefreshToken(id, old, next)))
                .build());
        return refresher.accessToken(accountId, user, refreshToken);
    }

    @Override
    public String toString() {
        return "OAuthProviders" + options.keySet();
    }
}
