package dev.imapsync.jdbc.faults;

import dev.imapsync.jdbc.TestDatabase;

/** {@link DatabaseFaultContract} on H2 (in memory). */
class H2DatabaseFaultTest extends DatabaseFaultContract {
    @Override
    TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    @Override
    String dialect() {
        return "H2";
    }
}
