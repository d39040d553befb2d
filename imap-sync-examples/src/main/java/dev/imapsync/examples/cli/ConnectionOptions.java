package dev.imapsync.examples.cli;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The connection options shared by {@code probe}, {@code folders} and later commands. */
final class ConnectionOptions {
    @Option(names = "--host", paramLabel = "HOST",
            description = "IMAP server host. Without it, candidates are discovered from --email (or --user).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "IMAP port (default: 993 for ssl/auto, 143 for starttls/none).")
    Integer port;

    @Option(names = "--security", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, ssl, starttls or none (default: ${DEFAULT-VALUE}; auto picks by port and falls back securely).")
    String security;

    @Option(names = "--user", paramLabel = "USER",
            description = "Login name, usually the email address (required, except for accounts add --oauth2, which"
                    + " learns it from the provider).")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Name of the environment variable holding the password (never pass it as an argument)."
                    + " Without it, the password is asked for on the terminal.")
    String passwordEnv;

    @Option(names = "--access-token-env", paramLabel = "VAR",
            description = "OAuth 2.0: the environment variable holding an access token, used as given (XOAUTH2).")
    String accessTokenEnv;

    @Option(names = "--oauth2-token-url", paramLabel = "URL",
            description = "OAuth 2.0: the provider's token endpoint; the SDK fetches and refreshes access tokens from"
                    + " --refresh-token-env with --client-id (and --client-secret-env for a confidential client).")
    String oauth2TokenUrl;

    @Option(names = "--client-id", paramLabel = "ID", description = "OAuth 2.0: the application's client id.")
    String clientId;

    @Option(names = "--client-secret-env", paramLabel = "VAR",
            description = "OAuth 2.0: the environment variable holding the client secret (none for a public client).")
    String clientSecretEnv;

    @Option(names = "--refresh-token-env", paramLabel = "VAR",
            description = "OAuth 2.0: the environment variable holding the refresh token (with --oauth2-token-url).")
    String refreshTokenEnv;

    @Option(names = "--trust-cert", paramLabel = "PEM",
            description = "A PEM file with a certificate to trust for this account only (a self-signed server).")
    Path trustCert;

    @Option(names = "--allow-insecure", description = "Allow cleartext connections (the password travels readable).")
    boolean allowInsecure;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "The account's own address (default: --user when it is one).")
    String email;

    @Option(names = "--alias", paramLabel = "ADDRESS", description = "Another address of the account owner; repeatable.")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--account-id", paramLabel = "ID", description = "The account id (default: the email address).")
    String accountId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = "The probe's deadline in seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** The accounts to probe, best candidate first: one when --host is given, else the discovered ones. */
    List<ImapAccount> accounts(Map<String, String> environment, java.io.PrintStream err) {
        if (user == null) {
            throw new UsageException("Missing required option: '--user=USER'");
        }
        Credentials credentials = credentials(environment, err);
        List<Endpoint> endpoints = new ArrayList<>();
        if (host != null) {
            endpoints.add(endpoint(host));
        } else {
            String address = email != null ? email : user;
            if (!address.contains("@")) {
                throw new UsageException("Give --host, or an email address in --email or --user to discover the server");
            }
            for (Endpoint candidate : MailProvider.discover(address)) {
                endpoints.add(port == null && "auto".equalsIgnoreCase(security) ? candidate : endpoint(candidate.host()));
            }
        }
        List<ImapAccount> accounts = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            accounts.add(account(endpoint, credentials));
        }
        return accounts;
    }

    Duration deadline() {
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new UsageException("--timeout " + timeoutSeconds + " is out of range: give 1 to 300 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** A password, an access token as given, or access tokens the SDK refreshes: whichever the options name. */
    private Credentials credentials(Map<String, String> environment, java.io.PrintStream err) {
        boolean refreshing = oauth2TokenUrl != null || refreshTokenEnv != null;
        if (accessTokenEnv != null && refreshing) {
            throw new UsageException("Give either --access-token-env or --oauth2-token-url with --refresh-token-env,"
                    + " not both");
        }
        if ((accessTokenEnv != null || refreshing) && passwordEnv != null) {
            throw new UsageException("--password-env and the OAuth 2.0 options exclude each other: an account signs in"
                    + " with a password or with OAuth 2.0");
        }
        if (accessTokenEnv != null) {
            Secret token = Secret.of(OAuthCli.environmentValue(environment, accessTokenEnv, "--access-token-env"));
            return Credentials.oauth2(user, () -> token);
        }
        if (refreshing) {
            if (oauth2TokenUrl == null || refreshTokenEnv == null || clientId == null) {
                throw new UsageException("Refreshed OAuth 2.0 tokens need --oauth2-token-url, --client-id and"
                        + " --refresh-token-env (and --client-secret-env for a confidential client)");
            }
            Secret refreshToken = Secret.of(OAuthCli.environmentValue(environment, refreshTokenEnv, "--refresh-token-env"));
            return OAuthCli.refreshing(user, accountId != null ? accountId : user, oauth2TokenUrl, clientId,
                    OAuthCli.clientSecret(environment, clientSecretEnv), refreshToken, refreshTokenEnv, err);
        }
        return Credentials.password(user, password(environment));
    }

    private ImapAccount account(Endpoint endpoint, Credentials credentials) {
        try {
            ImapAccount.Builder b = ImapAccount.builder()
                    .endpoint(endpoint)
                    .credentials(credentials)
                    .allowInsecure(allowInsecure);
            if (accountId != null) {
                b.id(accountId);
            }
            if (email != null) {
                b.emailAddress(email);
            }
            b.aliases(aliases);
            if (trustCert != null) {
                b.trustCertificatePem(Files.readString(trustCert, StandardCharsets.US_ASCII));
            }
            return b.build();
        } catch (IOException e) {
            throw new UsageException("Cannot read --trust-cert " + trustCert + ": " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
    }

    Endpoint endpoint(String hostName) {
        Security mode;
        int p;
        try {
            if ("auto".equalsIgnoreCase(security)) {
                p = port != null ? port : Security.SSL_TLS.defaultPort();
                mode = p == Security.STARTTLS.defaultPort() ? Security.STARTTLS : Security.SSL_TLS;
            } else {
                mode = Security.parse(security);
                p = port != null ? port : mode.defaultPort();
            }
            return new Endpoint(hostName, p, mode);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private String password(Map<String, String> environment) {
        if (passwordEnv != null) {
            String value = environment.get(passwordEnv);
            if (value == null || value.isEmpty()) {
                throw new UsageException("The environment variable " + passwordEnv
                        + " named by --password-env is not set or empty");
            }
            return value;
        }
        Console console = System.console();
        if (console == null) {
            throw new UsageException("No password: give --password-env VAR (no terminal to ask on)");
        }
        char[] typed = console.readPassword("Password for %s: ", user);
        if (typed == null || typed.length == 0) {
            throw new UsageException("No password was entered");
        }
        return new String(typed);
    }
}
