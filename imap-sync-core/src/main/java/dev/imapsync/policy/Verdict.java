package dev.imapsync.policy;

import java.util.Objects;

/**
 * A policy's decision on one message.
 *
 * @param outcome what happens to the message
 * @param rule    the rule that decided, as counted in the sync report
 *                ({@link dev.imapsync.sync.SyncReport#excluded()}): {@link #INTERNAL},
 *                {@link #BLOCKED}, {@link #BULK}, {@link #ERASED}, or a host rule's own name;
 *                empty for {@link #record()}
 */
public record Verdict(Outcome outcome, String rule) {
    /** The rule name of internal mail. */
    public static final String INTERNAL = "internal";
    /** The rule name of blocked addresses and domains. */
    public static final String BLOCKED = "blocked";
    /** The rule name of bulk and automated mail. */
    public static final String BULK = "bulk";
    /** The rule name of erased people (suppression entries). */
    public static final String ERASED = "erased";

    private static final Verdict RECORD = new Verdict(Outcome.RECORD, "");

    /** What happens to a message. */
    public enum Outcome {
        /** Recorded (as far as the account's visibility allows). */
        RECORD,
        /** Recorded and marked as bulk mail. */
        RECORD_AS_BULK,
        /** Not recorded, not matched further, its body never fetched; counted under the rule. */
        EXCLUDE
    }

    /** Validates. */
    public Verdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(rule, "rule");
        if (outcome != Outcome.RECORD && rule.isBlank()) {
            throw new IllegalArgumentException("A verdict other than RECORD names its rule");
        }
    }

    /** Record the message: this policy has no objection. */
    public static Verdict record() {
        return RECORD;
    }

    /** Keep the message out, counted under {@code rule}. */
    public static Verdict exclude(String rule) {
        return new Verdict(Outcome.EXCLUDE, rule);
    }

    /** Record the message, marked as bulk mail. */
    public static Verdict recordAsBulk() {
        return new Verdict(Outcome.RECORD_AS_BULK, BULK);
    }

    /** Whether the message is kept out. */
    public boolean excludes() {
        return outcome == Outcome.EXCLUDE;
    }
}
