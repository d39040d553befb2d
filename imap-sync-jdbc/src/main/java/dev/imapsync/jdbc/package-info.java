/**
 * A {@link dev.imapsync.store.SyncStore} in an SQL database: create the tables with
 * {@link dev.imapsync.jdbc.JdbcSchema#migrate(javax.sql.DataSource)}, then open the store with
 * {@link dev.imapsync.jdbc.JdbcSyncStore#create(javax.sql.DataSource)}.
 */
package dev.imapsync.jdbc;
