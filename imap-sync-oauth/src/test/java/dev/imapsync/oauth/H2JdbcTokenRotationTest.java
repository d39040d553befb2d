package dev.imapsync.oauth;

import dev.imapsync.jdbc.TestDatabase;

class H2JdbcTokenRotationTest extends JdbcTokenRotationContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
