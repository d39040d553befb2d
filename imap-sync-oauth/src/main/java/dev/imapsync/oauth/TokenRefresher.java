package dev.imapsync.oauth;

import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.AccessTokenException.Reason;
import dev.imapsync.account.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens for stored accounts, refreshed by the SDK: each account's refresh token comes
 * from a {@link RefreshTokenStore}, the access token is cached until shortly before it expires
 * ({@link Builder#refreshBefore}, 60 s by default), and
 * <ul>
 * <li><b>one refresh at a time per account</b>: threads that need a token while it is being
 *     refreshed (concurrent syncs, IDLE) wait for that refresh and share its result;</li>
 * <li><b>a rotated refresh token is stored first</b>: when the provider returns a new refresh
 *     token, it replaces the old one in the store (compare-and-set) before the new access token
 *     is handed out; if another node rotated it meanwhile, the refresh is redone with the
 *     stored token;</li>
 * <li><b>a revoked grant stops the requests</b>: after {@code invalid_grant} (or Microsoft's
 *     codes for an expired or revoked grant) every call throws
 *     {@link AccessTokenException} GRANT_REVOKED without a request, until the store holds
 *     another refresh token (the account was connected again);</li>
 * <li>an authorization server that is down gives SERVER_UNAVAILABLE, unless the cached token is
 *     still valid, which is then used.</li>
 * </ul>
 * A token supplier that is asked again within two minutes for the token it already gave (a login
 * refused it; the scheduler retries once) gets a freshly refreshed one if that token is at least a
 * minute old (so a revoked grant shows at once, and a probe followed by a sync costs no extra
 * refresh); asked later (an IDLE connection reconnecting), it gets the cached one.
 * Thread-safe; never logs a token.
 */
public final class TokenRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);
    /** A token younger than this is not replaced on request: a refusal is not cured by a newer one, and no storm. */
    private static final Duration FORCED_REFRESH_MIN_AGE = Duration.ofMinutes(1);
    /** A second request from the same supplier later than this is a reconnect (IDLE), not a retry after a refusal. */
    private static final Duration RETRY_WINDOW = Duration.ofMinutes(2);

    private final OAuth2Client client;
    private final RefreshTokenStore store;
    private final Duration refreshBefore;
    private final Clock clock;
    private final Duration lockWait;
    private final ConcurrentMap<String, AccountState> accounts = new ConcurrentHashMap<>();
    /** The last access token given to each read of an account (keyed by that read's refresh-token object). */
    private final Map<Secret, Handout> givenPerRead = Collections.synchronizedMap(new WeakHashMap<>());

    private TokenRefresher(Builder b) {
        this.client = b.client;
        this.store = b.store;
        this.refreshBefore = b.refreshBefore;
        this.clock = client.clock();
        this.lockWait = Duration.ofMinutes(2);
    }

    /** A builder for the client's accounts; {@link Builder#store} is required. */
    public static Builder builder(OAuth2Client client) {
        return new Builder(client);
    }

    /** The client whose token endpoint is used. */
    public OAuth2Client client() {
        return client;
    }

    /**
     * A current access token for the account: the cached one while it has more than
     * {@code refreshBefore} left, else a refreshed one.
     *
     * @throws AccessTokenException GRANT_REVOKED (reconnect the mailbox; no request is made
     *         again until the store holds another refresh token), SERVER_UNAVAILABLE (try later),
     *         MISCONFIGURED (the client's settings, or no refresh token is stored)
     */
    public Secret accessToken(String accountId) {
        return token(accountId, null);
    }

    /**
     * The same, in the shape of {@code JdbcAccountRepository}'s {@code OAuth2TokenSource}
     * ({@code refresher::accessToken}). The refresh token is read from the store, not taken from
     * the arguments (a stored account read before a rotation holds the old one); the
     * {@code storedRefreshToken} object stands for one read of the account: asked twice for the
     * same access token, it gets a refreshed one (see the class comment).
     */
    public Secret accessToken(String accountId, String user, Secret storedRefreshToken) {
        Objects.requireNonNull(storedRefreshToken, "storedRefreshToken");
        Secret token = token(accountId, recent(givenPerRead.get(storedRefreshToken)));
        givenPerRead.put(storedRefreshToken, new Handout(token, clock.instant()));
        return token;
    }

    /**
     * A supplier for {@code Credentials.oauth2(user, refresher.supplier(accountId))}. Asked again
     * for the token it gave last, it refreshes (a login refused that token).
     */
    public Supplier<Secret> supplier(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return new Supplier<>() {
            private Handout last;

            @Override
            public synchronized Secret get() {
                Secret token = token(accountId, recent(last));
                last = new Handout(token, clock.instant());
                return token;
            }

            @Override
            public String toString() {
                return "TokenRefresher.supplier[" + accountId + ", ****]";
            }
        };
    }

    /** Drops the account's cached access token, e.g. after a server refused it; the next call refreshes. */
    public void invalidate(String accountId) {
        AccountState state = accounts.get(accountId);
        if (state != null) {
            state.cached = null;
        }
    }

    private Secret token(String accountId, Secret refused) {
        Objects.requireNonNull(accountId, "accountId");
        AccountState state = accounts.computeIfAbsent(accountId, id -> new AccountState());
        Cached cached = state.cached;
        Instant now = clock.instant();
        if (cached != null && fresh(cached, now) && !Tokens.same(cached.token, refused)) {
            return cached.token;
        }
        boolean locked;
        try {
            locked = state.lock.tryLock(lockWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, who(accountId) + ": interrupted while waiting"
                    + " for the token refresh of another thread", e);
        }
        if (!locked) {
            throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, who(accountId) + ": another refresh of this"
                    + " account's token has not finished within " + lockWait.toSeconds() + " s; it is tried again later",
                    null);
        }
        try {
            now = clock.instant();
            cached = state.cached;
            boolean forced = cached != null && Tokens.same(cached.token, refused);
            if (cached != null && fresh(cached, now) && !forced) {
                return cached.token;   // another thread refreshed while this one waited
            }
            if (forced && fresh(cached, now)
                    && Duration.between(cached.obtainedAt, now).compareTo(FORCED_REFRESH_MIN_AGE) < 0) {
                return cached.token;   // obtained less than a minute ago: a new one would not fare better
            }
            try {
                Cached next = refresh(accountId, state);
                state.cached = next;
                return next.token;
            } catch (AccessTokenException e) {
                if (e.reason() == Reason.SERVER_UNAVAILABLE && cached != null && cached.expiresAt.isAfter(now)) {
                    LOG.warn("{}: {}; using the current access token until it expires at {}", who(accountId),
                            e.getMessage(), cached.expiresAt);
                    return cached.token;
                }
                throw e;
            }
        } finally {
            state.lock.unlock();
        }
    }

    /** Called with the account's lock held. */
    private Cached refresh(String accountId, AccountState state) {
        for (int round = 1; ; round++) {
            Secret refreshToken = store.load(accountId).orElseThrow(() -> new AccessTokenException(Reason.MISCONFIGURED,
                    who(accountId) + ": no refresh token is stored for this account: connect the mailbox (consent)"
                            + " again", null));
            if (state.revokedToken != null) {
                if (Tokens.same(state.revokedToken, refreshToken)) {
                    throw new AccessTokenException(Reason.GRANT_REVOKED, state.revokedMessage, null);
                }
                state.revokedToken = null;   // the account was connected again
                state.revokedMessage = null;
            }
            TokenEndpoint.Tokens tokens;
            try {
                tokens = client.refresh(refreshToken, who(accountId));
            } catch (AccessTokenException e) {
                if (e.reason() == Reason.GRANT_REVOKED) {
                    Optional<Secret> now = store.load(accountId);
                    if (round == 1 && now.isPresent() && !Tokens.same(now.get(), refreshToken)) {
                        continue;   // rotated by another node meanwhile: try its token
                    }
                    state.revokedToken = refreshToken;
                    state.revokedMessage = e.getMessage();
                    state.cached = null;
                    LOG.warn("{}", e.getMessage());
                }
                throw e;
            }
            Secret rotated = tokens.refreshToken();
            boolean rotatedNow = rotated != null && !Tokens.same(rotated, refreshToken);
            if (rotatedNow && !store.replace(accountId, refreshToken, rotated)) {
                if (round == 1) {
                    LOG.info("{}: the refresh token was rotated by another node meanwhile; refreshing with the stored one",
                            who(accountId));
                    continue;
                }
                throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, who(accountId) + ": the rotated refresh"
                        + " token could not be stored (the stored one keeps changing); it is tried again later", null);
            }
            LOG.info("{}: new access token, valid until {}{}", who(accountId), tokens.expiresAt(),
                    rotatedNow ? "; the rotated refresh token is stored" : "");
            Instant obtained = clock.instant();
            return new Cached(tokens.accessToken(), tokens.expiresAt(), obtained);
        }
    }

    /** The token handed out last, if that was recent enough for this request to be a retry after a refusal. */
    private Secret recent(Handout handout) {
        if (handout == null || Duration.between(handout.at, clock.instant()).compareTo(RETRY_WINDOW) > 0) {
            return null;
        }
        return handout.token;
    }

    private boolean fresh(Cached cached, Instant now) {
        Duration lifetime = Duration.between(cached.obtainedAt, cached.expiresAt);
        // a token that lives less than twice the margin (tests; some servers) is renewed at half its life
        Duration margin = lifetime.compareTo(refreshBefore.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : refreshBefore;
        return now.isBefore(cached.expiresAt.minus(margin));
    }

    private String who(String accountId) {
        return "Account '" + accountId + "' at " + client.provider().name();
    }

    @Override
    public String toString() {
        return "TokenRefresher[" + client + ", " + accounts.size() + " accounts]";
    }

    private static final class AccountState {
        final ReentrantLock lock = new ReentrantLock();
        volatile Cached cached;
        Secret revokedToken;
        String revokedMessage;
    }

    private record Handout(Secret token, Instant at) {
        @Override
        public String toString() {
            return "Handout[****, at=" + at + "]";
        }
    }

    private record Cached(Secret token, Instant expiresAt, Instant obtainedAt) {
        @Override
        public String toString() {
            return "Cached[****, expiresAt=" + expiresAt + "]";
        }
    }

    /** Builds a {@link TokenRefresher}. */
    public static final class Builder {
        private final OAuth2Client client;
        private RefreshTokenStore store;
        private Duration refreshBefore = Duration.ofSeconds(60);
        private Builder(OAuth2Client client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Where the refresh tokens are read and rotated ones stored (required). */
        public Builder store(RefreshTokenStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long before its expiry an access token is renewed (default 60 s). */
        public Builder refreshBefore(Duration refreshBefore) {
            if (refreshBefore.isNegative()) {
                throw new IllegalArgumentException("refreshBefore " + refreshBefore + " is negative: give 0 or more");
            }
            this.refreshBefore = refreshBefore;
            return this;
        }

        /**
         * The refresher.
         *
         * @throws IllegalStateException if no store was given
         */
        public TokenRefresher build() {
            if (store == null) {
                throw new IllegalStateException("No refresh-token store: give one with store(...), e.g."
                        + " RefreshTokenStore.of(repository::refreshToken, repository::replaceRefreshToken)");
            }
            return new TokenRefresher(this);
        }
    }
}
