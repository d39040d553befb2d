package dev.imapsync.sync;

import dev.imapsync.ImapSyncException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls the host application's parts for one sync (its {@link dev.imapsync.contact.ContactMatcher}
 * and {@link dev.imapsync.store.SyncStore}) on a thread of the sync's own, and waits for each call
 * no longer than the sync's deadline. The sync's caller therefore returns at the deadline even when
 * a matcher or store hangs: the call still running is interrupted and abandoned, and its answer, if
 * it ever comes, is dropped. One that ignores interrupts keeps that thread until it returns; the
 * thread is a daemon. No call starts after the deadline, so nothing is committed after it.
 *
 * <p>One call at a time, from the sync's thread only.
 */
final class HostCalls implements AutoCloseable {
    /** The host thread's name is this and the account's id. */
    static final String THREAD_PREFIX = "imap-sync-batch-";

    /** The host application's part a call goes to. */
    enum Part {
        /** The contact matcher. */
        MATCHER,
        /** The sync store. */
        STORE
    }

    /**
     * The deadline passed while a call to the host application's part was running, or before it
     * could start ({@code part} empty then).
     */
    static final class Overrun extends Exception {
        private static final long serialVersionUID = 1L;

        private final Part part;
        private final String doing;
        private final Duration ranFor;

        Overrun(Part part, String doing, Duration ranFor) {
            super(part == null ? "the deadline passed before " + doing
                    : "the deadline passed while the " + part + " was " + doing, null, false, false);
            this.part = part;
            this.doing = doing;
            this.ranFor = ranFor;
        }

        /** The part that was still running, or null when the deadline passed between calls. */
        Part part() {
            return part;
        }

        /** What the call was doing, in words ("matching 37 addresses"). */
        String doing() {
            return doing;
        }

        /** How long the abandoned call had run. */
        Duration ranFor() {
            return ranFor;
        }
    }

    private final String threadName;
    private final long deadlineNanos;
    private final String what;
    private ExecutorService thread;
    private boolean abandoned;

    /**
     * @param threadName    the name of the thread the calls run on (started at the first call)
     * @param deadlineNanos the sync's deadline on the {@link System#nanoTime()} clock
     * @param what          names the account, for messages
     */
    HostCalls(String threadName, long deadlineNanos, String what) {
        this.threadName = threadName;
        this.deadlineNanos = deadlineNanos;
        this.what = what;
    }

    /** Whether the deadline has passed. */
    boolean expired() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /**
     * Runs {@code work} on the host thread and waits for it until the deadline.
     *
     * @param folder the folder being synced, for messages
     * @param doing  what the call does, in words, for the message of an {@link Overrun}
     * @throws Overrun          when the deadline passes first (the call is interrupted and abandoned),
     *                          or passed already (the call is not made)
     * @throws ImapSyncException when the calling thread is interrupted (the call is interrupted too)
     * @throws RuntimeException what {@code work} throws
     */
    <T> T call(Part part, String folder, String doing, Callable<T> work) throws Overrun {
        if (abandoned || expired()) {
            throw new Overrun(null, doing, Duration.ZERO);
        }
        long started = System.nanoTime();
        Future<T> answer = executor().submit(() -> {
            if (expired()) {
                throw new Overrun(null, doing, Duration.ZERO); // submitted just before the deadline, begun after it
            }
            return work.call();
        });
        try {
            return answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(answer);
            throw new Overrun(part, doing, Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            abandon(answer);
            Thread.currentThread().interrupt();
            throw new ImapSyncException(what + ", folder " + folder + ": the sync was interrupted while the "
                    + name(part) + " was " + doing + "; the batches committed before stay committed and the next"
                    + " sync goes on from there.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Overrun overrun) {
                throw overrun;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new ImapSyncException(what + ", folder " + folder + ": the " + name(part) + " failed while " + doing
                    + ": " + cause, cause);
        }
    }

    /** The part's name in a sentence: "contact matcher", "store". */
    static String name(Part part) {
        return part == Part.MATCHER ? "contact matcher" : "store";
    }

    private void abandon(Future<?> answer) {
        abandoned = true;
        answer.cancel(true);
    }

    private ExecutorService executor() {
        if (thread == null) {
            thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        return thread;
    }

    /**
     * Lets the thread end: at once when no call runs; an abandoned call is interrupted and its
     * thread ends when it returns. Does not wait. Safe twice.
     */
    @Override
    public void close() {
        if (thread != null) {
            if (abandoned) {
                thread.shutdownNow();
            } else {
                thread.shutdown();
            }
        }
    }
}
