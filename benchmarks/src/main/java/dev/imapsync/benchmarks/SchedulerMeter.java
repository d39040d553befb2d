package dev.imapsync.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What one timed phase of the scheduler benchmark costs in threads and heap, from the JVM's
 * own beans: the peak live thread count ({@link ThreadMXBean#getPeakThreadCount()}, reset when
 * the phase starts), the largest heap in use seen by a sampling thread (every 5 ms), and the
 * largest heap in use right after a garbage collection (from the collectors' notifications: the
 * live set plus garbage not yet reached, so an upper bound of what the phase keeps). The heap
 * at the start is measured after full collections, so the phase's own share is the difference.
 * Everything in the JVM counts, including the in-process GreenMail's threads and mailboxes,
 * which is why the baseline and the scheduler are compared within one run.
 */
final class SchedulerMeter implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final long startHeap;
    final int startThreads;
    private final AtomicLong maxUsed = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final Thread sampler;
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private volatile boolean running = true;
    private int peakThreads;

    private SchedulerMeter() {
        this.startHeap = heapAfterFullGc();
        this.startThreads = THREADS.getThreadCount();
        THREADS.resetPeakThreadCount();
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        NotificationListener listener = (Notification n, Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long sum = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    sum += e.getValue().getUsed();
                }
            }
            maxAfterGc.accumulateAndGet(sum, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                unsubscribe.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
        maxUsed.set(startHeap);
        maxAfterGc.set(startHeap);
        sampler = new Thread(() -> {
            while (running) {
                maxUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "imap-sync-bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Collects fully, then starts measuring. */
    static SchedulerMeter start() {
        return new SchedulerMeter();
    }

    /** Peak live threads during the phase, less the sampling thread of this meter. */
    int peakThreads() {
        return peakThreads - 1;
    }

    long maxUsed() {
        return maxUsed.get();
    }

    long maxAfterGc() {
        return maxAfterGc.get();
    }

    @Override
    public void close() {
        peakThreads = THREADS.getPeakThreadCount();
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unsubscribe.forEach(Runnable::run);
    }

    /** Heap in use after a few full collections (System.gc() is a full collection with G1's defaults). */
    static long heapAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
