package dev.imapsync.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code java -jar benchmarks.jar preview}: runs {@link PreviewBenchmark} with the GC profiler and
 * prints previews per second, allocation per preview, the ratio, and the bytes each path needs
 * from the server per message; then the CPU time per preview of each path, measured interleaved,
 * which a loaded machine disturbs far less than throughput.
 */
final class PreviewBenchmarkReport {
    private PreviewBenchmarkReport() {
    }

    static void run() throws Exception {
        List<PreviewCases.Case> cases = PreviewCases.load();
        long whole = 0;
        long ours = 0;
        for (PreviewCases.Case c : cases) {
            whole += c.message().length;
            ours += c.bodyStructure().length + c.prefix().length;
        }
        System.out.printf("corpus: %d messages; bytes from the server per message: whole message %d,"
                + " BODYSTRUCTURE + text prefix %d%n%n", cases.size(), whole / cases.size(), ours / cases.size());
        Options options = new OptionsBuilder()
                .include(PreviewBenchmark.class.getSimpleName())
                .addProfiler(GCProfiler.class)
                .build();
        print(new Runner(options).run());
        printCpuTime();
    }

    /**
     * On a shared machine wall-clock throughput swings with the neighbours' load; thread CPU time
     * far less. Interleaves the two paths in rounds of about 200 ms each and prints the median CPU
     * time per preview of each, and their ratio.
     */
    private static void printCpuTime() throws Exception {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        PreviewBenchmark ours = new PreviewBenchmark();
        ours.setUp();
        PreviewBenchmark theirs = new PreviewBenchmark();
        theirs.setUp();
        int rounds = 15;
        double[] oursNanos = new double[rounds];
        double[] theirsNanos = new double[rounds];
        Object sink = null;
        for (int r = -5; r < rounds; r++) { // 5 rounds of warm-up
            long start = cpu.getCurrentThreadCpuTime();
            int n = 0;
            while (cpu.getCurrentThreadCpuTime() - start < 200_000_000L) {
                for (int k = 0; k < 100; k++) {
                    sink = ours.imapSync();
                }
                n += 100;
            }
            double perOp = (cpu.getCurrentThreadCpuTime() - start) / (double) n;
            start = cpu.getCurrentThreadCpuTime();
            int m = 0;
            while (cpu.getCurrentThreadCpuTime() - start < 200_000_000L) {
                for (int k = 0; k < 10; k++) {
                    sink = theirs.jakartaMail();
                }
                m += 10;
            }
            if (r >= 0) {
                oursNanos[r] = perOp;
                theirsNanos[r] = (cpu.getCurrentThreadCpuTime() - start) / (double) m;
            }
        }
        java.util.Arrays.sort(oursNanos);
        java.util.Arrays.sort(theirsNanos);
        double o = oursNanos[rounds / 2];
        double t = theirsNanos[rounds / 2];
        System.out.printf("%nCPU time per preview, median of %d interleaved rounds (%s):%n", rounds,
                sink == null ? "" : "both paths ran");
        System.out.printf("  imapSync     %8.2f µs (rounds %.2f-%.2f)%n", o / 1e3, oursNanos[0] / 1e3,
                oursNanos[rounds - 1] / 1e3);
        System.out.printf("  jakartaMail  %8.2f µs (rounds %.2f-%.2f)%n", t / 1e3, theirsNanos[0] / 1e3,
                theirsNanos[rounds - 1] / 1e3);
        System.out.printf("imap-sync vs Jakarta Mail in CPU time: %.1fx faster%n", t / o);
    }

    private static void print(Collection<RunResult> results) {
        Map<String, double[]> rows = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            rows.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore()});
        }
        System.out.println();
        System.out.printf("%-12s %14s %10s %12s %14s%n", "path", "previews/s", "± error", "µs/preview", "B/preview");
        for (String name : List.of("imapSync", "jakartaMail")) {
            double[] row = rows.get(name);
            if (row != null) {
                System.out.printf("%-12s %,14.0f %10.0f %12.2f %,14.0f%n", name, row[0], row[1], 1e6 / row[0], row[2]);
            }
        }
        double[] ours = rows.get("imapSync");
        double[] theirs = rows.get("jakartaMail");
        if (ours != null && theirs != null) {
            System.out.printf("imap-sync vs Jakarta Mail: throughput %.2fx, allocation %.2fx%n", ours[0] / theirs[0],
                    ours[2] / theirs[2]);
        }
    }
}
