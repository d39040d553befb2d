package dev.imapsync.policy;

import dev.imapsync.message.EmailAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One account's privacy settings, kept with the account ({@link dev.imapsync.account.ImapAccount#privacy()}).
 *
 * @param visibility      how much of its mail the store keeps
 * @param recordInternal  whether mail whose participants are all inside the company is recorded
 *                        (by default it is not)
 * @param bulkMail        what happens to bulk and automated mail
 * @param internalDomains domains the company declares as its own, lower case, without {@code @};
 *                        the account's own domain counts too unless it is a public mail
 *                        provider's (gmail.com, outlook.com, …)
 */
public record PrivacySettings(Visibility visibility, boolean recordInternal, BulkMail bulkMail,
                              Set<String> internalDomains) {
    private static final PrivacySettings DEFAULTS = new PrivacySettings(Visibility.FULL, false, BulkMail.SKIP, Set.of());

    /** Validates, normalizes and copies. */
    public PrivacySettings {
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(bulkMail, "bulkMail");
        Set<String> domains = new TreeSet<>();
        for (String d : internalDomains) {
            domains.add(domain(d));
        }
        internalDomains = Set.copyOf(domains);
    }

    /** Full visibility, internal mail and bulk mail not recorded, no declared domain. */
    public static PrivacySettings defaults() {
        return DEFAULTS;
    }

    /** These settings with another visibility. */
    public PrivacySettings withVisibility(Visibility other) {
        return new PrivacySettings(other, recordInternal, bulkMail, internalDomains);
    }

    /** These settings, recording internal mail or not. */
    public PrivacySettings withRecordInternal(boolean record) {
        return new PrivacySettings(visibility, record, bulkMail, internalDomains);
    }

    /** These settings with another handling of bulk mail. */
    public PrivacySettings withBulkMail(BulkMail other) {
        return new PrivacySettings(visibility, recordInternal, other, internalDomains);
    }

    /** These settings with these declared internal domains. */
    public PrivacySettings withInternalDomains(Set<String> domains) {
        return new PrivacySettings(visibility, recordInternal, bulkMail, domains);
    }

    /**
     * A domain as compared: lower case, without a leading {@code @} or trailing dot, in the
     * canonical form {@link EmailAddress#normalize} gives the domain of an address.
     *
     * @throws IllegalArgumentException if it is blank or not a domain
     */
    public static String domain(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = domain.strip();
        if (d.startsWith("@")) {
            d = d.substring(1);
        }
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.contains("@") || d.chars().anyMatch(c -> c <= ' ' || c == ',' || c == ';')) {
            throw new IllegalArgumentException("Not a domain: '" + domain + "' (expected e.g. example.com)");
        }
        String normalized = EmailAddress.normalize("x@" + d);
        return normalized.substring(normalized.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
