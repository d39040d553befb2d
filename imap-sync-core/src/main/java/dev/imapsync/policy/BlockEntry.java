package dev.imapsync.policy;

import dev.imapsync.message.EmailAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One blocklist entry: an address, or a whole domain (and its subdomains), for the whole company
 * or for one account. Mail in which a blocked address took part (From, Sender, To, Cc, Bcc) is
 * not recorded; adding an entry purges what is already recorded for it.
 *
 * @param kind      an address or a domain
 * @param value     the normalized address ({@link EmailAddress#normalize}) or the domain
 *                  ({@link PrivacySettings#domain})
 * @param accountId the account it applies to, or empty for every account
 */
public record BlockEntry(Kind kind, String value, Optional<String> accountId) {

    /** What an entry blocks. */
    public enum Kind {
        /** One address. */
        ADDRESS,
        /** A domain and its subdomains. */
        DOMAIN
    }

    /** Validates and normalizes. */
    public BlockEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(accountId, "accountId");
        if (kind == Kind.ADDRESS) {
            String v = value.strip();
            int at = v.lastIndexOf('@');
            if (at <= 0 || at == v.length() - 1) {
                throw new IllegalArgumentException("Not an email address: '" + value + "' (to block a whole domain,"
                        + " block the domain)");
            }
            value = EmailAddress.normalize(v);
        } else {
            value = PrivacySettings.domain(value);
        }
        if (accountId.isPresent() && accountId.get().isBlank()) {
            throw new IllegalArgumentException("A block entry's account id cannot be blank: leave it empty for every account");
        }
    }

    /** An address blocked for every account. */
    public static BlockEntry address(String address) {
        return new BlockEntry(Kind.ADDRESS, address, Optional.empty());
    }

    /** A domain blocked for every account. */
    public static BlockEntry domain(String domain) {
        return new BlockEntry(Kind.DOMAIN, domain, Optional.empty());
    }

    /** This entry, for one account only. */
    public BlockEntry forAccount(String id) {
        return new BlockEntry(kind, value, Optional.of(id));
    }

    /** Whether the entry applies to the account. */
    public boolean appliesTo(String id) {
        return accountId.isEmpty() || accountId.get().equals(id);
    }

    /** Whether it blocks a normalized address: the address itself, or one in the domain or a subdomain of it. */
    public boolean blocks(String normalizedAddress) {
        if (kind == Kind.ADDRESS) {
            return value.equals(normalizedAddress);
        }
        int at = normalizedAddress.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = normalizedAddress.substring(at + 1);
        return domain.equals(value) || domain.endsWith("." + value);
    }
}
