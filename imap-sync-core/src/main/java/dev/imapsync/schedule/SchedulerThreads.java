package dev.imapsync.schedule;

import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Names and makes the scheduler's threads (all daemons), and its default node id. */
final class SchedulerThreads {
    private SchedulerThreads() {
    }

    /** The scheduler's own sync threads {@code imap-sync-sync-N}; they end after a minute without work. */
    static ExecutorService syncExecutor(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(n -> SyncScheduler.SYNC_THREAD_PREFIX + n));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A factory of daemon threads named by their number, from 1. */
    static ThreadFactory daemon(IntFunction<String> names) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, names.apply(count.incrementAndGet()));
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts a daemon thread. */
    static Thread startDaemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a thread until a {@link System#nanoTime()} deadline at most; keeps an interrupt. */
    static void joinUntil(Thread thread, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The host name (from {@code HOSTNAME}, else the resolver), a dash and the process id. */
    static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
        }
        StringBuilder clean = new StringBuilder();
        host.codePoints().filter(c -> !Character.isISOControl(c) && !Character.isWhitespace(c))
                .limit(150).forEach(clean::appendCodePoint);
        return (clean.length() == 0 ? "localhost" : clean) + "-" + ProcessHandle.current().pid();
    }
}
