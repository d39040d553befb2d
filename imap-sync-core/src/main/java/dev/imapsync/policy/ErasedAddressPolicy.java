package dev.imapsync.policy;

import dev.imapsync.message.EmailAddress;
import java.util.Objects;

/**
 * Keeps out every message in which an erased person took part (From, Sender, To, Cc, Bcc), as
 * {@link Verdict#ERASED}: after {@link PrivacyStore#erase} no sync, backfill or resync after a
 * UIDVALIDITY change brings them back, in any account. The store keeps only the hashes of erased
 * addresses ({@link PrivacyRules#addressHash}), so this rule hashes each participant; with no
 * one erased it costs nothing.
 */
public final class ErasedAddressPolicy implements MessagePolicy {
    private final PrivacyRules rules;

    /** @param rules the account's rules; their {@link PrivacyRules#erasedHashes()} are used */
    public ErasedAddressPolicy(PrivacyRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    @Override
    public Verdict decide(MessageFacts message) {
        if (rules.erasedHashes().isEmpty()) {
            return Verdict.record();
        }
        for (EmailAddress a : message.participants()) {
            if (!a.normalized().isEmpty() && rules.isErased(a.normalized())) {
                return Verdict.exclude(Verdict.ERASED);
            }
        }
        return Verdict.record();
    }
}
