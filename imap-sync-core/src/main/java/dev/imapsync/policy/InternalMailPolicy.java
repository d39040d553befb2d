package dev.imapsync.policy;

import dev.imapsync.message.EmailAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps out internal mail, as {@link Verdict#INTERNAL}: a message whose every participant (From,
 * Sender, To, Cc, Bcc) is inside the company, that is one of the company's own addresses (every
 * connected account's address and aliases) or an address in an internal domain or a subdomain of
 * it. A message without any participant is not internal. A public provider's domain
 * ({@link PublicMailDomains}) is never internal by itself: use {@link #ownDomain} to add an
 * account's own domain.
 */
public final class InternalMailPolicy implements MessagePolicy {
    private final Set<String> addresses;
    private final Set<String> domains;

    /**
     * @param companyAddresses normalized addresses of the company ({@link EmailAddress#normalize})
     * @param internalDomains  the company's domains, in any form {@link PrivacySettings#domain} takes
     */
    public InternalMailPolicy(Collection<String> companyAddresses, Collection<String> internalDomains) {
        this.addresses = Set.copyOf(companyAddresses);
        Set<String> d = new HashSet<>();
        for (String domain : internalDomains) {
            d.add(PrivacySettings.domain(domain));
        }
        this.domains = Set.copyOf(d);
    }

    /**
     * The domain of an account's own address when it counts as internal: not a public mail
     * provider's; empty also for something that is no address.
     */
    public static Optional<String> ownDomain(String address) {
        Objects.requireNonNull(address, "address");
        String normalized = EmailAddress.normalize(address);
        int at = normalized.lastIndexOf('@');
        if (at <= 0 || at == normalized.length() - 1) {
            return Optional.empty();
        }
        String domain;
        try {
            domain = PrivacySettings.domain(normalized.substring(at + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return PublicMailDomains.isPublic(domain) ? Optional.empty() : Optional.of(domain);
    }

    /** Whether a normalized address is inside the company. */
    public boolean isInternal(String normalizedAddress) {
        if (addresses.contains(normalizedAddress)) {
            return true;
        }
        if (domains.isEmpty()) {
            return false;
        }
        int at = normalizedAddress.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        // the domain, then each parent domain: mail.acme.example is inside acme.example
        for (int i = at; i >= 0 && i < normalizedAddress.length(); i = normalizedAddress.indexOf('.', i + 1)) {
            if (domains.contains(normalizedAddress.substring(i + 1))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Verdict decide(MessageFacts message) {
        boolean any = false;
        for (EmailAddress a : message.participants()) {
            if (a.normalized().isEmpty()) {
                continue;
            }
            if (!isInternal(a.normalized())) {
                return Verdict.record();
            }
            any = true;
        }
        return any ? Verdict.exclude(Verdict.INTERNAL) : Verdict.record();
    }
}
