package dev.imapsync.store;

import dev.imapsync.testing.contract.PrivacyStoreContract;

/** The {@link dev.imapsync.policy.PrivacyStore} contract on the in-memory store. */
class InMemoryPrivacyStoreTest extends PrivacyStoreContract<InMemorySyncStore> {
    @Override
    protected InMemorySyncStore newStore() {
        return new InMemorySyncStore();
    }
}
