/**
 * imap-sync's state in the application's own SQL database. Create or upgrade the tables with
 * {@link dev.imapsync.jdbc.JdbcSchema#migrate(javax.sql.DataSource)} (or run its scripts with
 * Flyway or Liquibase), then open what you need over the same {@link javax.sql.DataSource}:
 * {@link dev.imapsync.jdbc.JdbcSyncStore#create(javax.sql.DataSource)}, a
 * {@link dev.imapsync.store.SyncStore}, {@link dev.imapsync.store.StatusStore} and
 * {@link dev.imapsync.store.TimelineStore} (what a contact page reads: the tables are internal);
 * {@link dev.imapsync.jdbc.JdbcContactMatcher}, contact look-ups in the host's own tables;
 * {@link dev.imapsync.jdbc.JdbcAccountRepository}, accounts with their secrets encrypted under
 * {@link dev.imapsync.jdbc.SecretKeys} (OAuth 2.0 accounts through an
 * {@link dev.imapsync.jdbc.OAuth2TokenSource}); and {@link dev.imapsync.jdbc.JdbcLeases}, which
 * lets several nodes share the accounts. {@link dev.imapsync.jdbc.SqlDialect} is detected from
 * the connection.
 */
package dev.imapsync.jdbc;
