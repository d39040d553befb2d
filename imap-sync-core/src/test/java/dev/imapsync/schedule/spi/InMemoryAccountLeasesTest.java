package dev.imapsync.schedule.spi;

import dev.imapsync.testing.contract.AccountLeasesContract;

/** The {@link AccountLeases} contract for {@link InMemoryAccountLeases}. */
class InMemoryAccountLeasesTest extends AccountLeasesContract {
    @Override
    protected AccountLeases newLeases() {
        return new InMemoryAccountLeases();
    }
}
