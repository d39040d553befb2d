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
 * from the server per message.
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
