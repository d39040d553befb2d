package dev.imapsync.schedule;

import dev.imapsync.testing.contract.AccountRepositoryContract;

/** The {@link AccountRepository} contract for the tests' own {@link InMemoryAccountRepository}. */
class InMemoryAccountRepositoryTest extends AccountRepositoryContract {
    private InMemoryAccountRepository accounts;

    @Override
    protected AccountRepository newRepository() {
        accounts = new InMemoryAccountRepository();
        return accounts;
    }

    @Override
    protected void save(ManagedAccount account) {
        accounts.put(account);
    }
}
