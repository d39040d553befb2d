package dev.imapsync.store;

/**
 * What a commit added; what was already there (the same message from another folder or an
 * earlier, interrupted run) is not counted.
 *
 * @param newMessages   messages recorded for the first time
 * @param newActivities history entries written for the first time
 */
public record CommitResult(int newMessages, int newActivities) {
    /** Validates the counts. */
    public CommitResult {
        if (newMessages < 0 || newActivities < 0) {
            throw new IllegalArgumentException("Counts cannot be negative: " + newMessages + ", " + newActivities);
        }
    }
}
