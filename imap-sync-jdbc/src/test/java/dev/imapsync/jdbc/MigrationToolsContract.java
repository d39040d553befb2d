package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema scripts work unchanged under Flyway and Liquibase, as the module's README shows, and the
 * store and the account repository work on the schema those tools make.
 */
abstract class MigrationToolsContract {
    private TestDatabase database;
    private DataSource dataSource;

    /** A new, empty database of this test's own. */
    protected abstract TestDatabase newDatabase();

    @BeforeEach
    void createDatabase() {
        database = newDatabase();
        dataSource = database.dataSource();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void flywayRunsTheScriptsAsTheyAre() throws SQLException {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + dialect().scriptLocation())
                .table("imapsync_flyway_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(JdbcSchema.versions().size());
        assertThat(flyway.migrate().migrationsExecuted).isZero();
        assertSchemaWorks();
    }

    @Test
    void liquibaseRunsTheScriptsAsTheyAre() throws Exception {
        String changelog = "db/imapsync/liquibase/" + dialect().name().toLowerCase(Locale.ROOT) + ".xml";
        for (int run = 0; run < 2; run++) {
            try (Connection connection = dataSource.getConnection()) {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                try (Liquibase liquibase = new Liquibase(changelog, new ClassLoaderResourceAccessor(), db)) {
                    liquibase.update(new Contexts(), new LabelExpression());
                }
            }
        }
        assertSchemaWorks();
    }

    private SqlDialect dialect() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return SqlDialect.detect(connection);
        }
    }

    private void assertSchemaWorks() {
        JdbcSyncStore store = JdbcSyncStore.create(dataSource);
        MessageKey key = MessageKey.ofMessageId("1@example.com");
        Instant date = Instant.parse("2026-11-27T10:00:00Z");
        SyncedMessage message = new SyncedMessage(key, "INBOX", 7, date, EmailAddress.of("Ann", "ann@example.com"), "Hello", 100,
                Direction.INBOUND, Optional.empty());
        ContactActivity activity = new ContactActivity(key, new ContactRef("c-ann"), ParticipantRole.FROM,
                Direction.INBOUND, date, "Hello", "ann@example.com", "INBOX", Optional.empty());
        SyncBatch batch = new SyncBatch("INBOX", List.of(message), List.of(activity),
                new FolderCheckpoint("INBOX", 42, 7, OptionalLong.empty()));

        assertThat(store.commit("alice", batch)).isEqualTo(new CommitResult(1, 1));
        assertThat(store.history("c-ann", 10)).hasSize(1);
        assertThat(store.timeline(TimelineQuery.forContact("c-ann")).entries()).singleElement()
                .satisfies(entry -> assertThat(entry.sender()).isEqualTo(message.sender()));

        JdbcAccountRepository accounts = JdbcAccountRepository.builder(dataSource)
                .keys(SecretKeys.parse(SecretKeys.generate("k1"))).build();
        accounts.save(ManagedAccount.of(ImapAccount.builder().id("alice")
                .endpoint("imap.example.com", 993, Security.SSL_TLS).password("alice", "pw").build()));
        assertThat(accounts.find("alice")).isPresent();
    }
}
