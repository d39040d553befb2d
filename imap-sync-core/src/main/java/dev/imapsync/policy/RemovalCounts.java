package dev.imapsync.policy;

/**
 * What was removed from one account's stored history.
 *
 * @param entries  history entries (one per message, contact and role) removed
 * @param messages messages removed, with everything recorded of them
 * @param previews previews and attachment lists removed from messages that stay (the erased
 *                 person wrote them, or retention dropped them)
 */
public record RemovalCounts(long entries, long messages, long previews) {
    /** Nothing removed. */
    public static final RemovalCounts NONE = new RemovalCounts(0, 0, 0);

    /** Validates the counts. */
    public RemovalCounts {
        if (entries < 0 || messages < 0 || previews < 0) {
            throw new IllegalArgumentException("Counts cannot be negative: " + entries + ", " + messages + ", " + previews);
        }
    }

    /** The sum of two counts. */
    public RemovalCounts plus(RemovalCounts other) {
        return new RemovalCounts(entries + other.entries, messages + other.messages, previews + other.previews);
    }
}
