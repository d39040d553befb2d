package dev.imapsync.sync;

import dev.imapsync.internal.mail.ConnectionFailure;

/** Hands over a folder's batches in UID order. */
interface BatchSource extends AutoCloseable {
    /**
     * The next batch, or null when the range is done.
     *
     * @throws ConnectionFailure when fetching failed; every batch before it was handed over
     */
    FetchedBatch next() throws ConnectionFailure;

    /** Stops fetching; safe twice. */
    @Override
    void close();
}
