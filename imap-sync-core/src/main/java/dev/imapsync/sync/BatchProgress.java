package dev.imapsync.sync;

import java.time.Duration;

/**
 * How far a folder's sync is after one batch.
 *
 * @param done           messages read so far in this folder
 * @param estimatedTotal messages it will probably read in all
 * @param batchMessages  messages in this batch
 * @param fetchTime      time spent fetching and parsing the batch
 * @param commitTime     time spent matching contacts and committing it
 */
public record BatchProgress(long done, long estimatedTotal, int batchMessages, Duration fetchTime, Duration commitTime) {
}
