/**
 * Running many accounts: {@link dev.imapsync.schedule.AccountStatus} now; the scheduler, backoff
 * and several nodes come with the scheduling work.
 */
package dev.imapsync.schedule;
