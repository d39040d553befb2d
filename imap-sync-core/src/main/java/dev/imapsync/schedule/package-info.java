/**
 * Running many accounts, forever: the {@link dev.imapsync.schedule.SyncScheduler}, the
 * {@link dev.imapsync.schedule.AccountRepository} SPI that holds the accounts
 * ({@link dev.imapsync.schedule.ManagedAccount}, {@link dev.imapsync.schedule.AccountRepository.AccountSummary}),
 * the {@link dev.imapsync.schedule.spi.AccountLeases} SPI through which several nodes share them,
 * the {@link dev.imapsync.schedule.Backoff} after failures, and
 * {@link dev.imapsync.store.AccountStatus}, what a person sees about each account.
 */
package dev.imapsync.schedule;
