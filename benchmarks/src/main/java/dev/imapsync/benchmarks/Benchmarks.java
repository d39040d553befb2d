package dev.imapsync.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks.jar}. With arguments it is JMH's own command line, except for
 * the sub-commands {@code headers}, {@code preview} ({@link PreviewBenchmark}), {@code jdbc-commit} ({@link JdbcCommitBenchmark}),
 * {@code jdbc-matcher} ({@link JdbcMatcherBenchmark}), {@code scheduler}
 * ({@link SchedulerBenchmark}), {@code many-accounts} ({@link ManyAccountsBenchmark}), {@code end-to-end} ({@link EndToEndBenchmark}),
 * {@code timeline} ({@link TimelineBenchmark}) and {@code show} ({@link ShowBenchmark}); without, it
 * runs the probe latency benchmark and prints each case as a ratio to the baseline measured in
 * the same run.
 */
public final class Benchmarks {
    private static final String BASELINE = "jakartaMailConnectAndList";

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("headers")) {
            HeaderBenchmarkReport.run(); // header parsing against Jakarta Mail and mime4j, with ratios
            return;
        }
        if (args.length >= 1 && args[0].equals("headers-cpu")) {
            HeaderCpuBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // thread CPU per block
            return;
        }
        if (args.length == 1 && args[0].equals("preview")) {
            PreviewBenchmarkReport.run(); // preview extraction against Jakarta Mail's getContent path, with ratios
            return;
        }
        if (args.length >= 1 && args[0].equals("jdbc-commit")) {
            JdbcCommitBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // JdbcSyncStore vs in-memory
            return;
        }
        if (args.length >= 1 && args[0].equals("jdbc-matcher")) {
            JdbcMatcherBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // vs InMemoryContactMatcher
            return;
        }
        if (args.length >= 1 && args[0].equals("many-accounts")) {
            ManyAccountsBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // issue 19, many accounts
            return;
        }
        if (args.length >= 1 && args[0].equals("scheduler")) {
            SchedulerBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // scheduler vs a plain loop
            return;
        }
        if (args.length >= 1 && args[0].equals("end-to-end")) {
            EndToEndBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // a real sync vs the floor
            return;
        }
        if (args.length >= 1 && args[0].equals("timeline")) {
            TimelineBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // a contact page vs plain SQL
            return;
        }
        if (args.length >= 1 && args[0].equals("round-trips")) {
            RoundTripBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // probe, show, resync far away
            return;
        }
        if (args.length >= 1 && args[0].equals("show")) {
            ShowBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length)); // show vs a Jakarta Mail fetch
            return;
        }
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        printRatios(run(ProbeLatencyBenchmark.class.getSimpleName()));
    }

    private static Collection<RunResult> run(String include) throws RunnerException {
        Options options = new OptionsBuilder().include(include).build();
        return new Runner(options).run();
    }

    private static void printRatios(Collection<RunResult> results) {
        double baseline = Double.NaN;
        List<RunResult> ordered = new ArrayList<>(results);
        for (RunResult r : ordered) {
            if (r.getParams().getBenchmark().endsWith("." + BASELINE)) {
                baseline = r.getPrimaryResult().getScore();
            }
        }
        System.out.println();
        System.out.printf("%-28s %12s %10s %10s%n", "case", "ms/op", "error", "x baseline");
        for (RunResult r : ordered) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            double score = r.getPrimaryResult().getScore();
            System.out.printf("%-28s %12.2f %10.2f %10.2f%n", name, score, r.getPrimaryResult().getScoreError(),
                    score / baseline);
        }
    }
}
