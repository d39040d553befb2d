package dev.imapsync.policy;

import dev.imapsync.message.EmailAddress;
import java.util.List;
import java.util.Objects;

/**
 * Keeps out every message in which a blocked address, or an address of a blocked domain or one
 * of its subdomains, took part (From, Sender, To, Cc, Bcc), as {@link Verdict#BLOCKED}. Entries
 * for another account than the message's are ignored.
 */
public final class BlocklistPolicy implements MessagePolicy {
    private final List<BlockEntry> entries;

    /** @param entries the block entries (those of other accounts are ignored per message) */
    public BlocklistPolicy(List<BlockEntry> entries) {
        this.entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /** The rule for the block entries of an account's rules. */
    public static BlocklistPolicy of(PrivacyRules rules) {
        return new BlocklistPolicy(rules.blocked());
    }

    @Override
    public Verdict decide(MessageFacts message) {
        if (entries.isEmpty()) {
            return Verdict.record();
        }
        for (EmailAddress a : message.participants()) {
            String address = a.normalized();
            if (address.isEmpty()) {
                continue;
            }
            for (BlockEntry e : entries) {
                if (e.blocks(address) && e.appliesTo(message.accountId())) {
                    return Verdict.exclude(Verdict.BLOCKED);
                }
            }
        }
        return Verdict.record();
    }
}
