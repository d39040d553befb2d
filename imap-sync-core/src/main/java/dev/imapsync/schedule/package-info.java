/**
 * Running many accounts, forever: the {@link dev.imapsync.schedule.SyncScheduler}, the
 * {@link dev.imapsync.schedule.AccountRepository} SPI that holds the accounts
 * ({@link dev.imapsync.schedule.ManagedAccount}, {@link dev.imapsync.schedule.AccountRepository.AccountSummary},
 * {@link dev.imapsync.schedule.AccountUnavailableException}), the
 * {@link dev.imapsync.schedule.Backoff} after failures, and what a host hears of the scheduler
 * ({@link dev.imapsync.schedule.SchedulerListener}, {@link dev.imapsync.schedule.PassReport}).
 * Each account's {@link dev.imapsync.store.AccountStatus} goes to a
 * {@link dev.imapsync.store.StatusStore}; the leases through which several nodes share the
 * accounts are an SPI of their own, {@link dev.imapsync.schedule.spi}.
 */
package dev.imapsync.schedule;
