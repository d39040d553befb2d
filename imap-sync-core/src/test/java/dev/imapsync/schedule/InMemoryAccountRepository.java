package dev.imapsync.schedule;

import dev.imapsync.account.Credentials;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** An {@link AccountRepository} in a map, for tests: each change of an account raises its revision. */
final class InMemoryAccountRepository implements AccountRepository {
    private record Entry(ManagedAccount account, long revision) {
    }

    private final Map<String, Entry> accounts = new TreeMap<>();
    private final Set<String> unavailable = new HashSet<>();
    private final Set<String> vanishing = new HashSet<>();

    /** Adds or replaces an account, raising its revision. */
    synchronized InMemoryAccountRepository put(ManagedAccount account) {
        Entry old = accounts.get(account.id());
        accounts.put(account.id(), new Entry(account, old == null ? 1 : old.revision() + 1));
        return this;
    }

    synchronized void remove(String id) {
        accounts.remove(id);
    }

    /** find() throws AccountUnavailableException for this account, as an undecryptable secret would. */
    synchronized void makeUnavailable(String id) {
        unavailable.add(id);
    }

    /** The account stays in list() but find() no longer has it (removed between the two). */
    synchronized void vanishOnFind(String id) {
        vanishing.add(id);
    }

    synchronized long revision(String id) {
        return accounts.get(id).revision();
    }

    @Override
    public synchronized List<AccountSummary> list() {
        List<AccountSummary> all = new ArrayList<>();
        for (Entry e : accounts.values()) {
            ManagedAccount m = e.account();
            all.add(new AccountSummary(m.id(), m.account().emailAddress(), m.account().credentials().user(),
                    m.account().endpoint(), m.account().credentials() instanceof Credentials.OAuth2, m.folders(),
                    m.interval(), e.revision()));
        }
        return all;
    }

    @Override
    public synchronized Optional<ManagedAccount> find(String accountId) {
        if (unavailable.contains(accountId)) {
            throw new AccountUnavailableException(accountId, "Account " + accountId
                    + ": its secret cannot be decrypted with the keys configured.");
        }
        if (vanishing.contains(accountId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(accounts.get(accountId)).map(Entry::account);
    }
}
