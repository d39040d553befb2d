package dev.imapsync.examples.cli;

import dev.imapsync.folder.FolderChoice;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.JdbcSchema;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code accounts}: the accounts stored in the database by {@code JdbcAccountRepository}, for
 * {@code run} to sync unattended. Passwords are encrypted with the key in {@code IMAPSYNC_KEY}
 * (see {@link Keys}); nothing here prints a secret.
 */
@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = {"Store, list, reset and remove the accounts that 'run' syncs.",
            "Passwords are encrypted with the key in IMAPSYNC_KEY (id:base64key[,id:base64key...], the current key"
                + " first; 'accounts new-key' makes one). Without it, an H2 file database gets a development key"
                + " kept beside it, with a warning; other databases need IMAPSYNC_KEY."},
        subcommands = {AccountsAddCommand.class, AccountsListCommand.class, AccountsRemoveCommand.class,
            AccountsResetCommand.class, AccountsNewKeyCommand.class})
final class AccountsCommand implements Callable<Integer> {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([dhms])");

    @ParentCommand
    ImapSyncCli cli;

    @Override
    public Integer call() {
        throw new UsageException("Give a subcommand: accounts add, list, remove, reset or new-key (see accounts --help)");
    }

    /** The database behind {@code url}, with the schema brought up to date. */
    static DataSource database(String url) {
        DataSource dataSource = Database.dataSource(url);
        JdbcSchema.migrate(dataSource);
        return dataSource;
    }

    static JdbcAccountRepository repository(DataSource dataSource, SecretKeys keys) {
        return JdbcAccountRepository.builder(dataSource).keys(keys).build();
    }

    /**
     * Reads a duration as {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, combinations such as
     * {@code 1h30m}, or ISO-8601 ({@code PT5M}).
     *
     * @throws UsageException naming the option and the accepted forms
     */
    static Duration parseDuration(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration duration = null;
        try {
            if (t.startsWith("p")) {
                duration = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (!t.isEmpty()) {
                Matcher m = SHORT_DURATION.matcher(t);
                Duration sum = Duration.ZERO;
                int end = 0;
                while (m.find() && m.start() == end) {
                    long n = Long.parseLong(m.group(1));
                    sum = sum.plus(switch (m.group(2)) {
                        case "d" -> Duration.ofDays(n);
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
                    end = m.end();
                }
                duration = end == t.length() ? sum : null;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            duration = null;
        }
        if (duration == null) {
            throw new UsageException(option + " '" + text + "' is not a duration: write it like 30s, 5m, 1h, 1h30m"
                    + " or PT5M");
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new UsageException(option + " '" + text + "' is too short: give at least 1s");
        }
        return duration;
    }

    /** A duration the way {@link #parseDuration} reads it: {@code 5m}, {@code 1h30m}, {@code 45s}. */
    static String formatDuration(Duration duration) {
        long s = duration.toSeconds();
        StringBuilder b = new StringBuilder();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i]) {
                b.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return b.length() == 0 ? "0s" : b.toString();
    }

    /** The folders for a person: the names, or "recommended". */
    static String foldersText(FolderChoice folders) {
        return folders instanceof FolderChoice.Named named ? String.join(", ", named.names()) : "recommended";
    }

    /**
     * One account in the {@code accounts list --json} shape: {@code folders} is an array of
     * names, or the string {@code "recommended"}; {@code interval} is ISO-8601 or null (the
     * scheduler's default); {@code email} null when unknown.
     */
    static Map<String, Object> toJson(AccountSummary summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", summary.id());
        m.put("host", summary.endpoint().host());
        m.put("port", summary.endpoint().port());
        m.put("security", summary.endpoint().security().cliName());
        m.put("user", summary.user());
        m.put("email", summary.email().isEmpty() ? null : summary.email());
        m.put("folders", summary.folders() instanceof FolderChoice.Named named ? named.names() : "recommended");
        m.put("interval", summary.interval().map(Duration::toString).orElse(null));
        m.put("auth", summary.oauth2() ? "oauth2" : "password");
        m.put("revision", summary.revision());
        return m;
    }

    static Optional<AccountSummary> find(JdbcAccountRepository repository, String id) {
        return repository.list().stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
