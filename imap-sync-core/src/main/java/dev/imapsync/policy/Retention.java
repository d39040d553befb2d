package dev.imapsync.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long stored content is kept: previews and attachment lists of messages older than
 * {@code previews} are dropped; with {@code entries}, the history entries (and messages) older
 * than it go too. Ages are measured from the message's date.
 *
 * @param previews how long previews and attachment lists are kept
 * @param entries  how long history entries are kept, or empty to keep them
 */
public record Retention(Duration previews, Optional<Duration> entries) {
    /** Validates. */
    public Retention {
        Objects.requireNonNull(previews, "previews");
        Objects.requireNonNull(entries, "entries");
        if (previews.isNegative() || previews.isZero()) {
            throw new IllegalArgumentException("The retention of previews must be positive, not " + previews);
        }
        if (entries.isPresent() && entries.get().compareTo(previews) < 0) {
            throw new IllegalArgumentException("History entries (" + entries.get() + ") cannot be kept for less time"
                    + " than their previews (" + previews + ")");
        }
    }

    /** What {@link PrivacyStore#applyRetention} dropped, in all accounts. */
    public record Result(long previews, long entries, long messages) {
        /** Validates the counts. */
        public Result {
            if (previews < 0 || entries < 0 || messages < 0) {
                throw new IllegalArgumentException("Counts cannot be negative");
            }
        }
    }
}
