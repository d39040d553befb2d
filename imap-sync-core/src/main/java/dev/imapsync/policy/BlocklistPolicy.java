package dev.imapsync.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps out every message in which a blocked address, or an address of a blocked domain or one
 * of its subdomains, took part (From, Sender, To, Cc, Bcc), as {@link Verdict#BLOCKED}. Entries
 * for another account than the message's are ignored. The entries are indexed, so a participant
 * costs a look-up per label of its domain however long the blocklist.
 */
public final class BlocklistPolicy implements MessagePolicy {
    private final List<BlockEntry> entries;
    /** Entries by their value: a normalized address, or a domain. */
    private final Map<String, List<BlockEntry>> byValue = new HashMap<>();

    /** @param entries the block entries (those of other accounts are ignored per message) */
    public BlocklistPolicy(List<BlockEntry> entries) {
        this.entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        for (BlockEntry e : this.entries) {
            byValue.computeIfAbsent(e.value(), v -> new ArrayList<>(1)).add(e);
        }
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
        String account = message.accountId();
        return message.anyParticipant(a -> !a.normalized().isEmpty() && isBlocked(a.normalized(), account))
                ? Verdict.exclude(Verdict.BLOCKED) : Verdict.record();
    }

    /** Whether an entry for the account blocks the normalized address: itself, its domain, a parent domain. */
    private boolean isBlocked(String address, String accountId) {
        if (blocks(byValue.get(address), BlockEntry.Kind.ADDRESS, address, accountId)) {
            return true;
        }
        int at = address.lastIndexOf('@');
        for (int i = at; i >= 0 && i < address.length() - 1; i = address.indexOf('.', i + 1)) {
            if (blocks(byValue.get(address.substring(i + 1)), BlockEntry.Kind.DOMAIN, address, accountId)) {
                return true;
            }
        }
        return false;
    }

    private static boolean blocks(List<BlockEntry> found, BlockEntry.Kind kind, String address, String accountId) {
        if (found == null) {
            return false;
        }
        for (BlockEntry e : found) {
            if (e.kind() == kind && e.appliesTo(accountId) && e.blocks(address)) {
                return true;
            }
        }
        return false;
    }
}
