/**
 * The scheduler's lease SPI: {@link dev.imapsync.schedule.spi.AccountLeases}, the shared
 * schedule of all accounts through which the nodes of a cluster divide them, with its values
 * ({@link dev.imapsync.schedule.spi.AccountLeases.LeaseClaim},
 * {@link dev.imapsync.schedule.spi.AccountLeases.ScheduleState}) and an in-memory implementation
 * for one node ({@link dev.imapsync.schedule.spi.AccountLeases#inMemory()}, the scheduler's
 * default). imap-sync-jdbc's {@code JdbcLeases} implements it in a table. A host application
 * passes an implementation to {@link dev.imapsync.schedule.SyncScheduler.Builder#leases} and
 * never needs to call it; implement it only to keep leases somewhere else.
 */
package dev.imapsync.schedule.spi;
