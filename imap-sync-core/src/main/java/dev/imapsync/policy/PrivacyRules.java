package dev.imapsync.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link PrivacyStore} holds for one account's sync, read once when the sync starts: the
 * block entries that apply to it, the suppression entries of erased people, and the company's
 * own addresses (every connected account's address and aliases), which tell internal mail.
 *
 * @param blocked           the block entries that apply to the account (company-wide and its own)
 * @param erasedHashes      {@link #addressHash} of every erased address: the store keeps no erased
 *                          address in clear
 * @param companyAddresses  the normalized own addresses of every connected account
 */
public record PrivacyRules(List<BlockEntry> blocked, Set<String> erasedHashes, Set<String> companyAddresses) {
    private static final PrivacyRules NONE = new PrivacyRules(List.of(), Set.of(), Set.of());

    /** Validates and copies. */
    public PrivacyRules {
        blocked = List.copyOf(blocked);
        erasedHashes = Set.copyOf(erasedHashes);
        companyAddresses = Set.copyOf(companyAddresses);
    }

    /** Nothing blocked, nobody erased, no company address known. */
    public static PrivacyRules none() {
        return NONE;
    }

    /** Whether a block entry blocks the normalized address. */
    public boolean isBlocked(String normalizedAddress) {
        for (BlockEntry e : blocked) {
            if (e.blocks(normalizedAddress)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the normalized address was erased. */
    public boolean isErased(String normalizedAddress) {
        return !erasedHashes.isEmpty() && erasedHashes.contains(addressHash(normalizedAddress));
    }

    /**
     * How a suppression entry names an erased address: the lower-case hex SHA-256 of its
     * normalized form (UTF-8), so that the store keeps no erased address in clear.
     */
    public static String addressHash(String normalizedAddress) {
        Objects.requireNonNull(normalizedAddress, "normalizedAddress");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(normalizedAddress.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
