package dev.imapsync.schedule.spi;


/** The {@link AccountLeases} contract for {@link InMemoryAccountLeases}. */
class InMemoryAccountLeasesTest extends AccountLeasesContractTest {
    @Override
    protected AccountLeases newLeases() {
        return new InMemoryAccountLeases();
    }
}
