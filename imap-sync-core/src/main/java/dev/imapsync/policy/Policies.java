package dev.imapsync.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rules a sync applies, put together: {@link #standard} builds the built-in chain for one
 * account (erased people, then the blocklist, internal mail, bulk mail, then the host
 * application's own rules), and {@link #chain} combines any rules so that the first to exclude a
 * message decides and a message one rule marks as bulk stays marked unless a later one excludes it.
 */
public final class Policies {
    private Policies() {
    }

    /**
     * The rules of one account's sync, in order: {@link ErasedAddressPolicy},
     * {@link BlocklistPolicy}, {@link InternalMailPolicy} (unless the settings record internal
     * mail), {@link BulkMailPolicy} (unless they record bulk mail), then {@code hostRules}.
     *
     * @param settings        the account's privacy settings
     * @param rules           what the privacy store holds for the account
     * @param ownAddresses    the account's own normalized addresses (its address and aliases)
     * @param internalDomains the company's domains: the account's declared ones, the engine's
     *                        company-wide ones, and the account's own domain when it is not a public
     *                        provider's ({@link InternalMailPolicy#ownDomain})
     * @param hostRules       the host application's rules, applied last
     */
    public static MessagePolicy standard(PrivacySettings settings, PrivacyRules rules, Set<String> ownAddresses,
                                         Set<String> internalDomains, List<MessagePolicy> hostRules) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(rules, "rules");
        List<MessagePolicy> chain = new ArrayList<>();
        if (!rules.erasedHashes().isEmpty()) {
            chain.add(new ErasedAddressPolicy(rules));
        }
        if (!rules.blocked().isEmpty()) {
            chain.add(BlocklistPolicy.of(rules));
        }
        if (!settings.recordInternal()) {
            Set<String> company = new HashSet<>(rules.companyAddresses());
            company.addAll(ownAddresses);
            Set<String> domains = new HashSet<>(internalDomains);
            domains.addAll(settings.internalDomains());
            chain.add(new InternalMailPolicy(company, domains));
        }
        if (settings.bulkMail() != BulkMail.RECORD) {
            chain.add(new BulkMailPolicy(settings.bulkMail()));
        }
        chain.addAll(hostRules);
        return chain(chain);
    }

    /**
     * Rules applied in order: the first that excludes a message decides; otherwise the message
     * is recorded, as bulk when any rule said so.
     *
     * @throws NullPointerException (at decision time) when a rule answers null
     */
    public static MessagePolicy chain(List<MessagePolicy> rules) {
        List<MessagePolicy> all = List.copyOf(rules);
        if (all.size() == 1) {
            return all.get(0);
        }
        return message -> {
            Verdict kept = Verdict.record();
            for (MessagePolicy rule : all) {
                Verdict v = Objects.requireNonNull(rule.decide(message), () -> "the rule " + rule + " answered null");
                if (v.excludes()) {
                    return v;
                }
                if (v.outcome() == Verdict.Outcome.RECORD_AS_BULK) {
                    kept = v;
                }
            }
            return kept;
        };
    }
}
