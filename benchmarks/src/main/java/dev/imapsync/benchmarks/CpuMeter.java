package dev.imapsync.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time a stretch of a benchmark used: the whole process's (every thread, the JIT and
 * the collector included) and that of the threads whose name starts with a prefix (the node's
 * sync threads). On a loaded machine the wall time of a pass mostly measures the load; CPU time
 * measures the work. A thread that ended before {@link #close()} loses its share: the
 * scheduler's sync threads live a minute after their last sync, longer than a pass waits.
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String prefix;
    private final long processStart;
    private final Map<Long, Long> threadStart;
    private long process;
    private long threads;

    private CpuMeter(String prefix) {
        this.prefix = prefix;
        this.processStart = processCpuNanos();
        this.threadStart = threadCpu(prefix);
    }

    /** Starts measuring, with the threads named {@code prefix}* counted apart. */
    static CpuMeter start(String prefix) {
        return new CpuMeter(prefix);
    }

    /** Stops measuring. */
    CpuMeter stop() {
        process = processCpuNanos() - processStart;
        long sum = 0;
        for (Map.Entry<Long, Long> e : threadCpu(prefix).entrySet()) {
            sum += e.getValue() - threadStart.getOrDefault(e.getKey(), 0L);
        }
        threads = sum;
        return this;
    }

    /** The whole process's CPU time, in seconds. */
    double processSeconds() {
        return process / 1e9;
    }

    /** The CPU time of the threads named with the prefix, in seconds. */
    double threadSeconds() {
        return threads / 1e9;
    }

    private static Map<Long, Long> threadCpu(String prefix) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
