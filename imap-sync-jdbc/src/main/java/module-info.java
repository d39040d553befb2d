/**
 * imap-sync's JDBC persistence: {@link dev.imapsync.jdbc.JdbcSyncStore}, the versioned schema
 * ({@link dev.imapsync.jdbc.JdbcSchema}) and the SQL dialects (H2, PostgreSQL, MariaDB/MySQL).
 */
module dev.imapsync.jdbc {
    requires transitive dev.imapsync.core;
    requires transitive java.sql;
    requires org.slf4j;

    exports dev.imapsync.jdbc;
}
