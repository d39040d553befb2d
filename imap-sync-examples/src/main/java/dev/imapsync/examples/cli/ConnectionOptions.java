package dev.imapsync.examples.cli;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
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

    @Option(names = "--user", paramLabel = "USER", required = true, description = "Login name, usually the email address.")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Name of the environment variable holding the password (never pass it as an argument)."
                    + " Without it, the password is asked for on the terminal.")
    String passwordEnv;

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
    List<ImapAccount> accounts(Map<String, String> environment) {
        String password = password(environment);
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
            accounts.add(account(endpoint, password));
        }
        return accounts;
    }

    Duration deadline() {
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new UsageException("--timeout " + timeoutSeconds + " is out of range: give 1 to 300 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    private ImapAccount account(Endpoint endpoint, String password) {
        try {
            ImapAccount.Builder b = ImapAccount.builder()
                    .endpoint(endpoint)
                    .password(user, password)
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

    private Endpoint endpoint(String hostName) {
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
