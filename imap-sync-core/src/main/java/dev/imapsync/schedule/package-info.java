/**
 * Running many accounts: the {@link dev.imapsync.schedule.AccountRepository} SPI that holds
 * them ({@link dev.imapsync.schedule.ManagedAccount}, {@link dev.imapsync.schedule.AccountSummary})
 * and {@link dev.imapsync.schedule.AccountStatus}, what a person sees about each.
 */
package dev.imapsync.schedule;
