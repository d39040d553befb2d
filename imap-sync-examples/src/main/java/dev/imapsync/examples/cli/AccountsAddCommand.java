package dev.imapsync.examples.cli;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Secret;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderValidation;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.oauth.ConsentRequest;
import dev.imapsync.oauth.OAuth2Client;
import dev.imapsync.oauth.OAuth2Grant;
import dev.imapsync.oauth.OAuth2Provider;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.ManagedAccount;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code accounts add}: stores an account, its password (or, with {@code --oauth2}, the refresh
 * token of a consent) encrypted, for {@code run} to sync.
 */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Store an account (or replace the one with the same --id) for 'run' to sync.",
            "The password comes from the environment variable named by --password-env, or from a prompt on the"
                + " terminal; never from an argument. It is stored encrypted with IMAPSYNC_KEY (see 'accounts"
                + " --help'). The server is not contacted unless --probe is given.",
            "--security auto is not stored: give ssl, starttls or none, or --probe to find the mode that works"
                + " (and, without --host, the server from --email/--user)."})
final class AccountsAddCommand implements Callable<Integer> {
    private static final int MAX_INITIAL_DAYS = 36_500;

    @ParentCommand
    AccountsCommand accounts;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = Database.DEFAULT_URL,
            description = "Where the accounts are stored (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--id", paramLabel = "ID", required = true,
            description = "The account's id: 1-128 letters, digits or . _ @ + -.")
    String id;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--folders", paramLabel = "A,B", split = ",",
            description = "Folders to sync (raw or display names); checked against the server with --probe.")
    List<String> folders;

    @Option(names = "--recommended",
            description = "Sync the recommended folders, decided again at each sync (the default without --folders).")
    boolean recommended;

    @Option(names = "--initial-days", paramLabel = "N",
            description = "How far back a folder's first sync reads, in days (default: the sync engine's, 90).")
    Integer initialDays;

    @Option(names = "--interval", paramLabel = "D",
            description = "How often to sync: 30s, 5m, 1h, 1h30m or ISO-8601 PT5M (default: run's --interval).")
    String interval;

    @Mixin
    PrivacyOptions privacy;

    @Option(names = "--probe",
            description = "Sign in before saving: nothing is stored if it fails; resolves --security auto and"
                    + " a missing --host.")
    boolean probe;

    @Option(names = "--json", description = "Print the stored account as JSON (the accounts list shape).")
    boolean json;

    @Option(names = "--oauth2", paramLabel = "PROVIDER",
            description = "Sign in with OAuth 2.0 instead of a password: google, microsoft, or the issuer URL of"
                    + " another provider (its /.well-known/openid-configuration is read). Prints the consent URL,"
                    + " receives the answer on a loopback redirect (or --paste), stores the refresh token encrypted."
                    + " Needs --client-id; --client-secret-env for a confidential client.")
    String oauth2;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "With --oauth2 microsoft: common (default), organizations, consumers or a tenant id.")
    String tenant;

    @Option(names = "--scopes", paramLabel = "A,B", split = ",",
            description = "With --oauth2: the scopes to ask for (required for an issuer URL; replaces a preset's).")
    List<String> scopes;

    @Option(names = "--redirect-port", paramLabel = "PORT", defaultValue = "0",
            description = "With --oauth2: the port of the loopback redirect http://127.0.0.1:PORT/callback (default:"
                    + " any free port; register http://127.0.0.1 as redirect URI for a desktop client).")
    int redirectPort;

    @Option(names = "--paste",
            description = "With --oauth2: do not listen; read the URL the browser was sent to (or the code) from"
                    + " standard input.")
    boolean paste;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "300",
            description = "With --oauth2: how long to wait for the browser (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    /** Only to refuse it without echoing its value (picocli would quote an unknown option's argument). */
    @Option(names = "--password", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    String passwordArgument;

    @Override
    public Integer call() {
        ImapSyncCli cli = accounts.cli;
        if (passwordArgument != null) {
            throw new UsageException("--password is not accepted: a password on the command line is visible to other"
                    + " users and kept in shell history. Use --password-env VAR, or leave it out to be asked");
        }
        if (connection.accountId != null && !connection.accountId.equals(id)) {
            throw new UsageException("--account-id " + connection.accountId + " and --id " + id
                    + " differ: give the account id once, with --id");
        }
        connection.accountId = id;
        FolderChoice choice = folderChoice();
        PrivacySettings settings = privacy.settings();
        Optional<Duration> window = Optional.empty();
        if (initialDays != null) {
            if (initialDays < 1 || initialDays > MAX_INITIAL_DAYS) {
                throw new UsageException("--initial-days " + initialDays + " is out of range: give 1 to "
                        + MAX_INITIAL_DAYS + " days");
            }
            window = Optional.of(Duration.ofDays(initialDays));
        }
        Optional<Duration> every = interval == null ? Optional.empty()
                : Optional.of(AccountsCommand.parseDuration("--interval", interval));
        if (oauth2 != null && (connection.passwordEnv != null || connection.accessTokenEnv != null
                || connection.refreshTokenEnv != null || connection.oauth2TokenUrl != null)) {
            throw new UsageException("--oauth2 gets its tokens from the consent: leave out --password-env,"
                    + " --access-token-env, --refresh-token-env and --oauth2-token-url");
        }
        if (oauth2 != null && connection.clientId == null) {
            throw new UsageException("--oauth2 needs --client-id: the id of the application registered at the"
                    + " provider (see the imap-sync-oauth README)");
        }
        if (!probe && oauth2 == null) {
            if (connection.host == null) {
                throw new UsageException("Give --host and --security (ssl, starttls or none), or --probe to find the"
                        + " server from --email/--user");
            }
            if ("auto".equalsIgnoreCase(connection.security)) {
                throw new UsageException("--security auto is not stored: give --security ssl, starttls or none,"
                        + " or add --probe to find the mode that works and store that");
            }
        }

        // Before the password prompt: a missing key should not cost the user their typing.
        Keys.Resolved keys = Keys.resolve(db, cli.environment(), cli.err());
        DataSource dataSource = AccountsCommand.database(db);
        JdbcAccountRepository repository = AccountsCommand.repository(dataSource, keys.keys());
        boolean existed = AccountsCommand.find(repository, id).isPresent();
        if (keys.madeNow()) {
            int stored = repository.list().size();
            if (stored > 0) {
                cli.err().println("warning: the " + stored + " account(s) already in this database were saved under"
                        + " another key and cannot be read with the new development key: add them again");
            }
        }

        if (oauth2 != null) {
            return addWithConsent(cli, repository, keys, existed, choice, window, every, settings);
        }
        List<ImapAccount> candidates = connection.accounts(cli.environment(), cli.err()).stream()
                .map(a -> a.toBuilder().privacy(settings).build()).toList();
        ImapAccount account;
        if (probe) {
            ProbeResult result = ConnectionProber.builder().deadline(connection.deadline()).build()
                    .probeFirst(candidates);
            if (!result.ok()) {
                cli.err().println("probe failed, nothing saved: " + result.failure().orElseThrow());
                return ExitCodes.FAILED;
            }
            account = result.workingAccount();
            FolderValidation validation = choice.resolve(result.folders(), result.provider());
            if (!validation.isValid()) {
                throw new UsageException(String.join(" ", validation.errors()));
            }
        } else {
            account = candidates.get(0);
        }

        ManagedAccount managed;
        try {
            managed = new ManagedAccount(account, choice, window, every);
            repository.save(managed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        AccountSummary saved = AccountsCommand.find(repository, id).orElseThrow();
        if (json) {
            cli.out().println(Json.write(AccountsCommand.toJson(saved)));
        } else {
            cli.out().printf("%s account %s: %s at %s:%d (%s), folders: %s, interval: %s%s; password encrypted with"
                            + " key '%s'%n",
                    existed ? "Replaced" : "Added", saved.id(), saved.user(), saved.endpoint().host(),
                    saved.endpoint().port(), saved.endpoint().security().cliName(),
                    AccountsCommand.foldersText(saved.folders()),
                    saved.interval().map(AccountsCommand::formatDuration).orElse("default"),
                    probe ? ", signed in fine" : "", keys.keys().currentId());
            cli.out().println("Privacy: " + PrivacyOptions.describe(settings));
        }
        return ExitCodes.OK;
    }

    /** The consent flow: URL printed, answer received, code exchanged, account probed if asked, stored. */
    private int addWithConsent(ImapSyncCli cli, JdbcAccountRepository repository, Keys.Resolved keys, boolean existed,
                               FolderChoice choice, Optional<Duration> window, Optional<Duration> every,
                               PrivacySettings settings) {
        OAuth2Provider provider = OAuthCli.forConsent(oauth2, tenant, scopes, connection.deadline());
        OAuth2Client.Builder builder = OAuth2Client.builder(provider).clientId(connection.clientId);
        Secret secret = OAuthCli.clientSecret(cli.environment(), connection.clientSecretEnv);
        if (secret != null) {
            builder.clientSecret(secret);
        }
        OAuth2Client client = builder.build();
        String hint = connection.email != null ? connection.email : connection.user;
        ConsentRequest[] consent = new ConsentRequest[1];
        Consumer<URI> show = redirect -> {
            consent[0] = client.consent(redirect, hint);
            cli.out().println("Open this URL in a browser and allow access to the mailbox:");
            cli.out().println(consent[0].url());
            cli.out().flush();
        };
        OAuth2Grant grant;
        try {
            grant = consent(cli, client, show, consent);
        } catch (ImapSyncException e) {   // a forged or refused answer, a code the provider would not take
            cli.err().println("consent failed, nothing saved: " + e.getMessage());
            return ExitCodes.FAILED;
        }

        String user = connection.user != null ? connection.user : grant.address().orElseThrow(() -> new UsageException(
                provider.name() + " did not say which address signed in: give it with --user"));
        Endpoint endpoint = connection.host != null ? connection.endpoint(connection.host)
                : provider.imapEndpoint().orElseThrow(() -> new UsageException("Give the IMAP server with --host:"
                        + " " + provider.name() + " has no fixed one"));
        ImapAccount account;
        try {
            ImapAccount.Builder b = ImapAccount.builder().id(id).endpoint(endpoint).credentials(grant.credentials(user))
                    .allowInsecure(connection.allowInsecure).aliases(connection.aliases).privacy(settings);
            String email = connection.email != null ? connection.email : grant.address().orElse(user);
            if (email.contains("@")) {
                b.emailAddress(email);
            }
            if (connection.trustCert != null) {
                b.trustCertificatePem(java.nio.file.Files.readString(connection.trustCert, StandardCharsets.US_ASCII));
            }
            account = b.build();
        } catch (java.io.IOException e) {
            throw new UsageException("Cannot read --trust-cert " + connection.trustCert + ": " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        if (probe) {
            ProbeResult result = ConnectionProber.builder().deadline(connection.deadline()).build().probe(account);
            if (!result.ok()) {
                cli.err().println("probe failed, nothing saved: " + result.failure().orElseThrow());
                return ExitCodes.FAILED;
            }
            account = result.workingAccount();
        }
        try {
            repository.saveOAuth2(new ManagedAccount(account, choice, window, every), grant.refreshToken());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        AccountSummary saved = AccountsCommand.find(repository, id).orElseThrow();
        if (json) {
            cli.out().println(Json.write(AccountsCommand.toJson(saved)));
        } else {
            cli.out().printf("%s account %s: %s at %s:%d (%s), OAuth 2.0 with %s%s; refresh token encrypted with key"
                            + " '%s'%n", existed ? "Replaced" : "Added", saved.id(), saved.user(), saved.endpoint().host(),
                    saved.endpoint().port(), saved.endpoint().security().cliName(), provider.name(),
                    probe ? ", signed in fine" : "", keys.keys().currentId());
        }
        return ExitCodes.OK;
    }

    private OAuth2Grant consent(ImapSyncCli cli, OAuth2Client client, Consumer<URI> show, ConsentRequest[] consent) {
        if (paste) {
            show.accept(URI.create("http://127.0.0.1" + (redirectPort > 0 ? ":" + redirectPort : "") + "/callback"));
            cli.out().println("Then paste the address the browser was sent to (or the code) here:");
            cli.out().flush();
            String line = readLine(cli);
            return line.contains("?") ? client.exchange(consent[0], URI.create(line))
                    : client.exchange(consent[0], line, consent[0].state());
        }
        if (waitSeconds < 1 || waitSeconds > 3600) {
            throw new UsageException("--wait " + waitSeconds + " is out of range: give 1 to 3600 seconds");
        }
        URI answer = OAuthCli.awaitRedirect(redirectPort, Duration.ofSeconds(waitSeconds), show);
        return client.exchange(consent[0], answer);
    }

    private static String readLine(ImapSyncCli cli) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null || line.isBlank()) {
                throw new UsageException("Nothing was pasted: run the command again");
            }
            return line.strip();
        } catch (java.io.IOException e) {
            throw new UsageException("Cannot read standard input: " + e.getMessage());
        }
    }

    private FolderChoice folderChoice() {
        if (folders != null && recommended) {
            throw new UsageException("Give either --folders or --recommended, not both");
        }
        if (folders == null) {
            return FolderChoice.recommended();
        }
        try {
            return FolderChoice.named(folders);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--folders: " + e.getMessage());
        }
    }
}
