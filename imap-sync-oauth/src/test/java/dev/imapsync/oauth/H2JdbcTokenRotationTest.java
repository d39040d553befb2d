package dev.imapsync.oauth;

class H2JdbcTokenRotationTest extends JdbcTokenRotationContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
