package dev.imapsync.examples.cli;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.policy.BulkMail;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.Visibility;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The privacy options of {@code sync} and {@code accounts add}: what an account's syncs keep out
 * and how much of its mail is stored ({@link PrivacySettings}).
 */
final class PrivacyOptions {
    @Option(names = "--internal-domain", paramLabel = "DOMAIN",
            description = "A domain of the company's own; repeatable. Mail whose participants are all in the"
                    + " company (these domains, the account's own domain unless a public provider's such as"
                    + " gmail.com, the connected accounts' addresses) is not recorded unless --record-internal.")
    List<String> internalDomains = new ArrayList<>();

    @Option(names = "--record-internal", description = "Record internal mail too (by default it is kept out).")
    boolean recordInternal;

    @Option(names = "--bulk", paramLabel = "skip|flag|record",
            description = "Newsletters, mailing lists and auto-replies: skip (the default) keeps them out, flag"
                    + " records them marked as bulk, record records them like any mail.")
    String bulk;

    @Option(names = "--visibility", paramLabel = "metadata|subject|full",
            description = "How much is stored: metadata (no subject, no preview), subject (no preview), or full"
                    + " (the default: subject, preview, attachment list, opened on demand).")
    String visibility;

    /**
     * The settings the options give, over the defaults.
     *
     * @throws UsageException naming the option and the accepted values
     */
    PrivacySettings settings() {
        PrivacySettings s = PrivacySettings.defaults().withRecordInternal(recordInternal);
        if (bulk != null) {
            s = s.withBulkMail(choice("--bulk", bulk, BulkMail.class));
        }
        if (visibility != null) {
            s = s.withVisibility(choice("--visibility", visibility, Visibility.class));
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String d : internalDomains) {
            try {
                domains.add(PrivacySettings.domain(d));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--internal-domain: " + e.getMessage());
            }
        }
        return s.withInternalDomains(domains);
    }

    /** The account with these settings. */
    ImapAccount applyTo(ImapAccount account) {
        return account.toBuilder().privacy(settings()).build();
    }

    /** The settings in words, for the text answers: only what differs from the defaults. */
    static String describe(PrivacySettings s) {
        List<String> parts = new ArrayList<>();
        parts.add("visibility " + s.visibility().name().toLowerCase(Locale.ROOT));
        parts.add("bulk " + s.bulkMail().name().toLowerCase(Locale.ROOT));
        parts.add(s.recordInternal() ? "internal mail recorded" : "internal mail kept out");
        if (!s.internalDomains().isEmpty()) {
            parts.add("internal domains " + String.join(", ", new java.util.TreeSet<>(s.internalDomains())));
        }
        return String.join(", ", parts);
    }

    private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new UsageException(option + " '" + value + "' is not one of " + String.join(", ", names));
    }
}
