package dev.imapsync.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code end-to-end [--messages N] [--runs R] [--folder NAME]}: against the project's Dovecot
 * (the {@code IMAPSYNC_TEST_DOVECOT*} variables), fills a folder of alice's with N generated
 * messages, then runs each way of reading the same header fields R times, each in a fresh JVM
 * ({@link EndToEndCase}), and prints messages/s, peak heap and the ratios to the floor.
 */
final class EndToEndBenchmark {
    private static final String[][] CASES = {
        {"naive", "(a) naive Jakarta Mail loop, batches of 5,000"},
        {"fetchprofile", "(b) Jakarta Mail FetchProfile, batches of 5,000"},
        {"raw", "(c) raw socket floor: one UID FETCH 1:*"},
        {"engine-memory", "(d) SyncEngine + InMemorySyncStore"},
        {"engine-h2", "(e) SyncEngine + JdbcSyncStore (H2 file)"},
    };

    private EndToEndBenchmark() {
    }

    /** One child's figures. */
    private record Run(long messages, long nanos, long peak, long resyncMillis, long resyncFetched) {
        double perSecond() {
            return messages / (nanos / 1e9);
        }
    }

    static void run(String[] args) throws Exception {
        int messages = 10_000;
        int runs = 3;
        String folder = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--folder" -> folder = args[++i];
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: end-to-end [--messages N (10000)] [--runs R (3)] [--folder NAME]");
                    System.exit(2);
                }
            }
        }
        if (messages < 1 || runs < 1) {
            System.err.println("--messages and --runs must be at least 1");
            System.exit(2);
        }
        if (folder == null) {
            folder = "bench-" + messages;
        }
        String dovecot = System.getenv("IMAPSYNC_TEST_DOVECOT");
        if (dovecot == null || dovecot.isBlank()) {
            System.err.println("end-to-end needs the project's Dovecot: IMAPSYNC_TEST_DOVECOT is not set. Run"
                    + " `bash .ci/dovecot/start.sh && source /tmp/imapsync-dovecot/env` first.");
            System.exit(2);
        }
        try (ProbeTarget target = ProbeTarget.start()) {
            System.out.printf("end-to-end: %s, user %s, folder %s, %,d messages, %d run(s) per case%n",
                    target.name, target.user, folder, messages, runs);
            EndToEndMessages.fill(target, folder, messages);
            warm(target, folder);
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        for (String[] c : CASES) {
            List<Run> list = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Run run = child(c[0], folder, messages);
                System.out.printf("  %-14s run %d: %,10.0f messages/s, peak heap %6.1f MB%s%n", c[0], r + 1,
                        run.perSecond(), run.peak() / 1e6,
                        run.resyncMillis() >= 0 ? ", no-change resync " + run.resyncMillis() + " ms" : "");
                list.add(run);
            }
            results.put(c[0], list);
        }
        print(results, messages, runs);
    }

    /** Reads the folder once so every case finds Dovecot's caches equally warm. */
    private static void warm(ProbeTarget target, String folder) throws IOException {
        try (EndToEndImap imap = EndToEndImap.login(target)) {
            imap.command("EXAMINE " + EndToEndImap.quote(folder));
            imap.drop("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS ("
                    + "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES)])");
        }
    }

    private static Run child(String name, String folder, int messages) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                EndToEndCase.class.getName(), name, folder, Integer.toString(messages)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Run run = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(EndToEndCase.RESULT + " ")) {
                    long[] v = Arrays.stream(line.split(" ")).skip(2).limit(5).mapToLong(Long::parseLong).toArray();
                    run = new Run(v[0], v[1], v[2], v[3], v[4]);
                } else {
                    output.add(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || run == null) {
            throw new IllegalStateException("case " + name + " failed (exit " + exit + "): " + String.join("\n", output));
        }
        return run;
    }

    private static void print(Map<String, List<Run>> results, int messages, int runs) {
        System.out.println();
        System.out.printf("%,d messages, %d fresh JVM(s) per case; median (min-max)%n", messages, runs);
        System.out.println("| case | messages/s | peak heap MB |");
        System.out.println("|---|---|---|");
        for (String[] c : CASES) {
            List<Run> list = results.get(c[0]);
            double[] rate = list.stream().mapToDouble(Run::perSecond).sorted().toArray();
            double[] peak = list.stream().mapToDouble(r -> r.peak() / 1e6).sorted().toArray();
            System.out.printf("| %s | %,.0f (%,.0f-%,.0f) | %.1f (%.1f-%.1f) |%n", c[1], median(rate), rate[0],
                    rate[rate.length - 1], median(peak), peak[0], peak[peak.length - 1]);
        }
        double a = rate(results, "naive");
        double b = rate(results, "fetchprofile");
        double c = rate(results, "raw");
        double d = rate(results, "engine-memory");
        double e = rate(results, "engine-h2");
        System.out.println();
        System.out.printf("ratios of medians: d/c %.2f   d/b %.2f   d/a %.2f   e/c %.2f%n", d / c, d / b, d / a, e / c);
        for (String name : List.of("engine-memory", "engine-h2")) {
            double[] ms = results.get(name).stream().mapToDouble(Run::resyncMillis).sorted().toArray();
            long fetched = results.get(name).stream().mapToLong(Run::resyncFetched).max().orElse(-1);
            System.out.printf("no-change resync of (%s), same JVM after the first sync: %.0f ms median (%.0f-%.0f),"
                    + " %d message(s) fetched%n", name.equals("engine-memory") ? "d" : "e", median(ms), ms[0],
                    ms[ms.length - 1], fetched);
        }
    }

    private static double rate(Map<String, List<Run>> results, String name) {
        return median(results.get(name).stream().mapToDouble(Run::perSecond).sorted().toArray());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
