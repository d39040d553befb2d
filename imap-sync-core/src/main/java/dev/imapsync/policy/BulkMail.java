package dev.imapsync.policy;

/**
 * What a sync does with bulk and automated mail (mailing lists, newsletters, auto-replies),
 * recognized from its headers (List-Id, List-Unsubscribe, Precedence, Auto-Submitted, auto-reply
 * markers) fetched in the same header batch.
 */
public enum BulkMail {
    /** Not recorded; counted in the report as {@link Verdict#BULK}. */
    SKIP,
    /** Recorded, marked as bulk ({@link dev.imapsync.store.SyncedMessage#bulk()}). */
    FLAG,
    /** Recorded like any other mail. */
    RECORD
}
