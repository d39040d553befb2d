package dev.imapsync.spring.boot;

import java.util.List;

/**
 * The imap-sync tables are ready: made by the auto-configuration at start (what
 * {@code JdbcSchema.migrate} applied), or left to the application's own migrations. The beans
 * that use the tables depend on this one, so they are made after the migration.
 *
 * @param applied the schema versions applied at this start (empty when up to date or not migrated here)
 */
public record ImapSyncSchema(List<Integer> applied) {
    /** Copies. */
    public ImapSyncSchema {
        applied = List.copyOf(applied);
    }
}
