package dev.imapsync.sync;

import dev.imapsync.ImapSyncException;
import dev.imapsync.internal.mail.ConnectionFailure;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link BatchSource} on a thread of its own, one batch ahead of the caller: while the
 * caller matches and commits a batch, the next one is already being read and parsed, so the
 * server never waits for the database. At most four batches are in memory: without previews,
 * one committing, one handed over, one being read, and the next one, asked for ahead by
 * {@link BatchFetcher}, when another command on the folder reads past it; with previews, the
 * caller holds two (one committing, one whose preview fetches are under way), so nothing waits
 * handed over ({@code queued} 0): the fetching thread holds one, and the next one is asked for.
 * A fetch failure reaches the caller after every batch fetched before it, so those still get
 * committed.
 */
final class FetchAhead implements BatchSource {
    private static final Object END = new Object();

    private final BatchSource fetcher;
    private final BlockingQueue<Object> handedOver;
    private final Thread thread;
    private final String what;
    private volatile boolean closed;
    private boolean ended;

    private FetchAhead(BatchSource fetcher, String threadName, String what, int queued) {
        this.fetcher = fetcher;
        this.handedOver = queued == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queued);
        this.what = what;
        this.thread = new Thread(this::fetchAll, threadName);
        thread.setDaemon(true);
    }

    /**
     * Starts fetching.
     *
     * @param what names the account and folder, for messages
     * @param queued batches fetched and waiting for the caller, besides the one the fetching thread
     *               holds: 1, or 0 when the caller holds two (with previews: one committing, one whose
     *               preview fetches are under way), so that four batches at most are in memory
     */
    static FetchAhead start(BatchSource fetcher, String threadName, String what, int queued) {
        FetchAhead ahead = new FetchAhead(fetcher, threadName, what, queued);
        ahead.thread.start();
        return ahead;
    }

    private void fetchAll() {
        try {
            FetchedBatch batch;
            while (!closed && (batch = fetcher.next()) != null) {
                if (!handOver(batch)) {
                    return;
                }
            }
            handOver(END);
        } catch (ConnectionFailure e) {
            handOver(e);
        } catch (RuntimeException | Error e) {
            handOver(new Crash(e));
        }
    }

    /** Waits for room, unless the caller closed this (then the item is dropped). */
    private boolean handOver(Object item) {
        try {
            while (!closed) {
                if (handedOver.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public FetchedBatch next() throws ConnectionFailure {
        if (ended) {
            return null;
        }
        Object item;
        try {
            item = handedOver.take();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new ImapSyncException(what + ": the sync was interrupted; the batches committed before stay"
                    + " committed and the next sync goes on from there.", e);
        }
        if (item instanceof FetchedBatch batch) {
            return batch;
        }
        ended = true;
        if (item instanceof ConnectionFailure failure) {
            throw failure;
        }
        if (item instanceof Crash crash) {
            if (crash.error instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) crash.error;
        }
        return null;
    }

    /** Stops the fetching thread and waits for it: it finishes the UID FETCH it is reading, if any. */
    @Override
    public void close() {
        closed = true;
        handedOver.clear();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** An unexpected exception from the fetching thread, to rethrow on the caller's. */
    private record Crash(Throwable error) {
    }
}
