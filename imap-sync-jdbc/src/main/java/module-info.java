/**
 * imap-sync in an SQL database (H2, PostgreSQL, MariaDB/MySQL): the store of checkpoints,
 * messages, history and statuses ({@link dev.imapsync.jdbc.JdbcSyncStore}), its versioned schema
 * ({@link dev.imapsync.jdbc.JdbcSchema}), contact look-ups in the host's own tables
 * ({@link dev.imapsync.jdbc.JdbcContactMatcher}), accounts with their secrets encrypted at rest
 * ({@link dev.imapsync.jdbc.JdbcAccountRepository}, {@link dev.imapsync.jdbc.SecretKeys}), the
 * leases that let several nodes share the accounts ({@link dev.imapsync.jdbc.JdbcLeases}) and the
 * SQL dialects ({@link dev.imapsync.jdbc.SqlDialect}).
 */
module dev.imapsync.jdbc {
    requires transitive dev.imapsync.core;
    requires transitive java.sql;
    requires org.slf4j;
    // only for COPY on PostgreSQL (PostgresCopyWriter), used when the application's driver is there
    requires static org.postgresql.jdbc;

    exports dev.imapsync.jdbc;
}
