package dev.imapsync.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How a sync reads a mailbox. Immutable; {@link #defaults()} or {@link #builder()}.
 */
public final class SyncOptions {
    /** The default window of a folder's first sync: the last 90 days. */
    public static final Duration DEFAULT_INITIAL_WINDOW = Duration.ofDays(90);
    /** The default number of messages per UID FETCH at the start (it adapts within bounds). */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** The default longest time one sync may take before its connection is closed: 1 hour. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(1);

    private final Duration initialWindow;
    private final int batchSize;
    private final int minBatchSize;
    private final int maxBatchSize;
    private final Duration maxDuration;
    private final boolean previews;
    private final int previewBytes;
    private final int previewLength;

    /** The default number of bytes of a message's text part read for its preview. */
    public static final int DEFAULT_PREVIEW_BYTES = 4096;
    /** The default longest preview, in characters. */
    public static final int DEFAULT_PREVIEW_LENGTH = 256;

    private SyncOptions(Builder b) {
        this.initialWindow = b.initialWindow;
        this.batchSize = b.batchSize;
        this.minBatchSize = b.minBatchSize;
        this.maxBatchSize = b.maxBatchSize;
        this.maxDuration = b.maxDuration;
        this.previews = b.previews;
        this.previewBytes = b.previewBytes;
        this.previewLength = b.previewLength;
    }

    /** The defaults: a 90-day initial window, batches of 500 adapting between 50 and 5,000, at most 1 hour. */
    public static SyncOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How far back a folder's history reaches (by INTERNALDATE, as UID SEARCH SINCE sees it): a
     * first sync reads this far; a later sync with a longer window imports the older messages in
     * it (newest first, in batches, resuming where a stopped one left off); a shorter one deletes
     * nothing.
     */
    public Duration initialWindow() {
        return initialWindow;
    }

    /** Messages per batch at the start. */
    public int batchSize() {
        return batchSize;
    }

    /** The smallest batch the engine adapts down to. */
    public int minBatchSize() {
        return minBatchSize;
    }

    /** The largest batch the engine adapts up to. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * The longest one sync may take. Then its connection is closed, a contact matcher or store
     * call still running is interrupted and abandoned, no further batch is committed, and the
     * sync returns with a failure of kind {@link dev.imapsync.FailureKind#TIMEOUT}: status
     * {@link dev.imapsync.store.SyncStatus#CONNECTION_FAILED} when it was waiting for the server,
     * {@link dev.imapsync.store.SyncStatus#ERROR} when it was waiting for the matcher or the store.
     * What it committed stays committed for the next sync to go on from. Read timeouts alone
     * cannot stop a server that trickles a byte just before each one.
     */
    public Duration maxDuration() {
        return maxDuration;
    }

    /**
     * Whether a sync records a {@link dev.imapsync.message.MessagePreview} for the messages of
     * matched contacts: their structure (attachments, encrypted, invitation) and the start of their
     * text, read with {@code BODY.PEEK} (flags never change). Other messages cost no body byte.
     */
    public boolean previews() {
        return previews;
    }

    /** How many bytes of a message's text part are read at most for its preview. */
    public int previewBytes() {
        return previewBytes;
    }

    /** The longest preview, in characters. */
    public int previewLength() {
        return previewLength;
    }

    @Override
    public String toString() {
        return "SyncOptions[initialWindow=" + initialWindow.toDays() + " days, batchSize=" + batchSize + " ("
                + minBatchSize + ".." + maxBatchSize + "), maxDuration=" + maxDuration + ", previews="
                + (previews ? previewLength + " characters from " + previewBytes + " bytes" : "off") + "]";
    }

    /** Settings of {@link SyncOptions}; each setter checks its argument. */
    public static final class Builder {
        private Duration initialWindow = DEFAULT_INITIAL_WINDOW;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int minBatchSize = 50;
        private int maxBatchSize = 5000;
        private Duration maxDuration = DEFAULT_MAX_DURATION;
        private boolean previews = true;
        private int previewBytes = DEFAULT_PREVIEW_BYTES;
        private int previewLength = DEFAULT_PREVIEW_LENGTH;

        private Builder() {
        }

        /** Whether matched messages get a preview (default true); see {@link SyncOptions#previews()}. */
        public Builder previews(boolean record) {
            this.previews = record;
            return this;
        }

        /**
         * How many bytes of a message's text part are read at most for its preview: 256 to 65,536
         * (default 4,096; base64 text needs a third more than its characters, HTML a few times more).
         */
        public Builder previewBytes(int bytes) {
            if (bytes < 256 || bytes > 65_536) {
                throw new IllegalArgumentException("previewBytes " + bytes + " is out of range: give 256 to 65536"
                        + " (default " + DEFAULT_PREVIEW_BYTES + "), or previews(false) to read no text at all");
            }
            this.previewBytes = bytes;
            return this;
        }

        /** The longest preview, 16 to 1,000 characters (default 256). */
        public Builder previewLength(int characters) {
            if (characters < 16 || characters > 1000) {
                throw new IllegalArgumentException("previewLength " + characters + " is out of range: give 16 to"
                        + " 1000 characters (default " + DEFAULT_PREVIEW_LENGTH + ")");
            }
            this.previewLength = characters;
            return this;
        }

        /** How far back a folder's first sync reads: 1 day to 100 years, in whole days. */
        public Builder initialWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.toDays() < 1 || window.toDays() > 36_500) {
                throw new IllegalArgumentException("Initial window " + window
                        + " is out of range: give 1 day to 100 years (default 90 days)");
            }
            this.initialWindow = Duration.ofDays(window.toDays());
            return this;
        }

        /** Messages per batch at the start, and the bounds it adapts within (1 to 50,000). */
        public Builder batchSize(int start, int min, int max) {
            if (min < 1 || max > 50_000 || min > start || start > max) {
                throw new IllegalArgumentException("Batch sizes " + min + " <= " + start + " <= " + max
                        + " are not usable: give 1 <= min <= start <= max <= 50000 (default 50, 500, 5000)");
            }
            this.batchSize = start;
            this.minBatchSize = min;
            this.maxBatchSize = max;
            return this;
        }

        /** The longest one sync may take, 1 second to 24 hours (default 1 hour); see {@link #maxDuration()}. */
        public Builder maxDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("maxDuration " + duration + " is out of range: give 1 second to"
                        + " 24 hours (default 1 hour), long enough for a first sync of the largest folder");
            }
            this.maxDuration = duration;
            return this;
        }

        /** Makes the options. */
        public SyncOptions build() {
            return new SyncOptions(this);
        }
    }
}
