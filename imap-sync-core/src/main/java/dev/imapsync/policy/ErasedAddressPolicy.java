package dev.imapsync.policy;

import dev.imapsync.message.EmailAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps out every message in which an erased person took part (From, Sender, To, Cc, Bcc), as
 * {@link Verdict#ERASED}: after {@link PrivacyStore#erase} no sync, backfill or resync after a
 * UIDVALIDITY change brings them back, in any account. The store keeps only the hashes of erased
 * addresses ({@link PrivacyRules#addressHash}), so this rule hashes each participant, once per
 * address for as long as the instance lives (one sync: the same correspondents come back message
 * after message); with no one erased it costs nothing.
 */
public final class ErasedAddressPolicy implements MessagePolicy {
    /** Addresses whose answer is remembered at most; past that each is hashed every time. */
    private static final int MAX_REMEMBERED = 50_000;

    private final PrivacyRules rules;
    private final Map<String, Boolean> erased = new ConcurrentHashMap<>();

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
            if (!a.normalized().isEmpty() && isErased(a.normalized())) {
                return Verdict.exclude(Verdict.ERASED);
            }
        }
        return Verdict.record();
    }

    private boolean isErased(String address) {
        Boolean known = erased.get(address);
        if (known != null) {
            return known;
        }
        boolean is = rules.isErased(address);
        if (erased.size() < MAX_REMEMBERED) {
            erased.put(address, is);
        }
        return is;
    }
}
