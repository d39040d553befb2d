package dev.imapsync.oauth;

import dev.imapsync.account.Secret;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Refresh tokens in memory, for tests, demos and single-process tools: lost when the process
 * ends, so a rotated refresh token is lost with it. Thread-safe.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final ConcurrentMap<String, Secret> tokens = new ConcurrentHashMap<>();

    /** Stores (or replaces) an account's refresh token, e.g. after a consent. */
    public void put(String accountId, Secret refreshToken) {
        tokens.put(Objects.requireNonNull(accountId, "accountId"), Objects.requireNonNull(refreshToken, "refreshToken"));
    }

    /** Forgets an account's refresh token. */
    public void remove(String accountId) {
        tokens.remove(accountId);
    }

    @Override
    public Optional<Secret> load(String accountId) {
        return Optional.ofNullable(tokens.get(accountId));
    }

    @Override
    public boolean replace(String accountId, Secret expectedOld, Secret newToken) {
        Objects.requireNonNull(newToken, "newToken");
        boolean[] replaced = {false};
        tokens.computeIfPresent(accountId, (id, current) -> {
            if (Tokens.same(current, expectedOld)) {
                replaced[0] = true;
                return newToken;
            }
            return current;
        });
        return replaced[0];
    }

    @Override
    public String toString() {
        return "InMemoryRefreshTokenStore[" + tokens.size() + " accounts]";
    }
}
