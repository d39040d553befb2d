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
 * {@code end-to-end [--messages N] [--runs R] [--cases LIST] [--xmx SIZE] [--cold] [--fill-only]}:
 * against the project's Dovecot (the {@code IMAPSYNC_TEST_DOVECOT*} variables), fills a folder
 * of alice's with N generated messages, then runs each way of reading the same header fields R
 * times, each in a fresh JVM ({@link EndToEndCase}) that first reads a 10,000-message warm-up
 * folder repeatedly (up to 20 passes or 20 s) unless {@code --cold}, and prints messages/s,
 * CPU per message, peak heap, the ratios to the floor and the no-change resync.
 */
final class EndToEndBenchmark {
    private static final Map<String, String> CASES = new LinkedHashMap<>();
    private static final String WARM_UP_FOLDER = "bench-warmup";
    private static final int WARM_UP_MESSAGES = 10_000;
    private static final String STREAM_PROVIDER =
            "-Djakarta.mail.util.StreamProvider=org.eclipse.angus.mail.util.MailStreamProvider";

    static {
        CASES.put("naive", "(a) naive Jakarta Mail loop, batches of 5,000");
        CASES.put("fetchprofile", "(b) Jakarta Mail FetchProfile, batches of 5,000");
        CASES.put("fetchprofile-sp", "(b') the same with Angus's StreamProvider set");
        CASES.put("raw", "(c) raw socket floor: one UID FETCH 1:*");
        CASES.put("raw-engine-items", "(c') the same with the engine's items (diagnostic)");
        CASES.put("engine-memory", "(d) SyncEngine + InMemorySyncStore");
        CASES.put("engine-h2", "(e) SyncEngine + JdbcSyncStore, H2 file");
        CASES.put("engine-pg", "(e') SyncEngine + JdbcSyncStore, PostgreSQL");
        CASES.put("engine-discard", "(f) SyncEngine + a store that keeps only checkpoints (diagnostic)");
        CASES.put("engine-30", "(g) SyncEngine + InMemorySyncStore, ~30% of messages matched, headers only");
        CASES.put("engine-30-previews", "(g') the same with previews of the matched messages");
        CASES.put("engine-memory-norules", "(h) as (d), no privacy rule running (internal and bulk mail recorded)");
        CASES.put("engine-memory-rules", "(h') as (d), every privacy rule running (200 block entries, 50 erased,"
                + " internal domains, a host rule)");
    }

    private EndToEndBenchmark() {
    }

    /** One child's figures. */
    private record Run(long messages, long nanos, long peak, long peakLive, long resyncMicros, long resyncMillis,
                       long resyncFetched, long resyncRoundTrips, long cpuNanos, long retained,
                       String resyncCommands, long[] serverBytes) {
        double perSecond() {
            return messages / (nanos / 1e9);
        }
    }

    static void run(String[] args) throws Exception {
        int messages = 10_000;
        int runs = 3;
        String folder = null;
        String xmx = "2g";
        boolean cold = false;
        boolean fillOnly = false;
        List<String> cases = new ArrayList<>(CASES.keySet());
        if (System.getenv(BenchDatabase.POSTGRES_ENV) == null || System.getenv(BenchDatabase.POSTGRES_ENV).isBlank()) {
            cases.remove("engine-pg");
        }
        cases.remove("engine-discard"); // on request only: it shows the engine's own cost, without a store
        cases.remove("raw-engine-items"); // on request only: what the server pays for the engine's request
        cases.remove("engine-memory-norules"); // on request only: what the privacy rules cost, with the next
        cases.remove("engine-memory-rules");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--folder" -> folder = args[++i];
                case "--xmx" -> xmx = args[++i];
                case "--cold" -> cold = true;
                case "--fill-only" -> fillOnly = true;
                case "--cases" -> cases = List.of(args[++i].split(","));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (messages < 1 || runs < 1) {
            usage("--messages and --runs must be at least 1");
        }
        for (String c : cases) {
            if (!CASES.containsKey(c)) {
                usage("unknown case " + c + "; the cases are " + String.join(",", CASES.keySet()));
            }
            if (c.equals("engine-pg") && System.getenv(BenchDatabase.POSTGRES_ENV) == null) {
                usage("engine-pg needs " + BenchDatabase.POSTGRES_ENV);
            }
        }
        if (!xmx.matches("[0-9]+[kmgKMG]?")) {
            usage("--xmx takes a Java heap size such as 256m or 2g");
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
            System.out.printf("end-to-end: %s, user %s, folder %s, %,d messages, %d run(s) per case, -Xmx%s, %s%n",
                    target.name, target.user, folder, messages, runs, xmx,
                    cold ? "cold JVMs" : "each JVM warmed up on " + WARM_UP_FOLDER + " (up to "
                            + EndToEndCase.WARM_UP_PASSES + " passes or 20 s)");
            EndToEndMessages.fill(target, folder, messages);
            if (!cold) {
                EndToEndMessages.fill(target, WARM_UP_FOLDER, WARM_UP_MESSAGES);
            }
            if (fillOnly) {
                return;
            }
            warm(target, folder);
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        for (String c : cases) {
            List<Run> list = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Run run = child(c, folder, messages, xmx, cold);
                System.out.printf("  %-15s run %d: %,10.0f messages/s, CPU %.1f µs/message, peak heap %6.1f MB,"
                        + " after GC %6.1f MB%s%s%n", c, r + 1, run.perSecond(), run.cpuNanos() / 1e3 / run.messages(),
                        run.peak() / 1e6, run.peakLive() / 1e6,
                        run.retained() >= 0 ? String.format(", held after the sync %.1f MB", run.retained() / 1e6) : "",
                        run.resyncMillis() >= 0 ? ", no-change resync " + run.resyncMicros() / 1000.0
                                + " ms for the folder (" + run.resyncMillis() + " ms with connecting), commands: "
                                + run.resyncCommands() : "");
                list.add(run);
            }
            results.put(c, list);
        }
        print(results, messages, runs, xmx, cold);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: end-to-end [--messages N (10000)] [--runs R (3)] [--cases LIST]"
                + " [--xmx SIZE (2g)] [--cold] [--fill-only] [--folder NAME]\n  cases: "
                + String.join(",", CASES.keySet()));
        System.exit(2);
    }

    /** Reads the folder once so every case finds Dovecot's caches equally warm. */
    private static void warm(ProbeTarget target, String folder) throws IOException {
        try (EndToEndImap imap = EndToEndImap.login(target)) {
            imap.command("EXAMINE " + EndToEndImap.quote(folder));
            imap.drop("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS ("
                    + "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES)])");
        }
    }

    private static Run child(String name, String folder, int messages, String xmx, boolean cold)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + xmx));
        if (name.equals("fetchprofile-sp")) {
            command.add(STREAM_PROVIDER);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EndToEndCase.class.getName(), name, folder,
                Integer.toString(messages)));
        if (!cold) {
            command.addAll(List.of(WARM_UP_FOLDER, Integer.toString(WARM_UP_MESSAGES)));
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long[] v = null;
        String commands = "";
        long[] bytes = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(EndToEndCase.RESULT + " ")) {
                    v = Arrays.stream(line.split(" ")).skip(2).limit(10).mapToLong(Long::parseLong).toArray();
                } else if (line.startsWith(EndToEndCase.SERVER_BYTES + " ")) {
                    bytes = Arrays.stream(line.split(" ")).skip(1).mapToLong(Long::parseLong).toArray();
                } else if (line.startsWith(EndToEndCase.RESYNC_COMMANDS + " ")) {
                    commands = line.substring(EndToEndCase.RESYNC_COMMANDS.length() + 1);
                } else {
                    output.add(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || v == null) {
            throw new IllegalStateException("case " + name + " failed (exit " + exit + "): " + String.join("\n", output));
        }
        return new Run(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], commands, bytes);
    }

    private static void print(Map<String, List<Run>> results, int messages, int runs, String xmx, boolean cold) {
        System.out.println();
        System.out.printf("%,d messages, %d fresh JVM(s) per case, -Xmx%s, %s; median (min-max)%n", messages, runs, xmx,
                cold ? "cold" : "warmed up");
        System.out.println("| case | messages/s | CPU µs/message | peak heap MB | peak heap after GC MB |"
                + " held after the sync MB |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> list = e.getValue();
            double[] rate = sorted(list.stream().mapToDouble(Run::perSecond).toArray());
            double[] cpu = sorted(list.stream().mapToDouble(r -> r.cpuNanos() / 1e3 / r.messages()).toArray());
            double[] peak = sorted(list.stream().mapToDouble(r -> r.peak() / 1e6).toArray());
            double[] live = sorted(list.stream().mapToDouble(r -> r.peakLive() / 1e6).toArray());
            double[] held = sorted(list.stream().mapToDouble(r -> r.retained() / 1e6).toArray());
            System.out.printf("| %s | %,.0f (%,.0f-%,.0f) | %.1f | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %s |%n",
                    CASES.get(e.getKey()), median(rate), rate[0], rate[rate.length - 1], median(cpu), median(peak),
                    peak[0], peak[peak.length - 1], median(live), live[0], live[live.length - 1],
                    held[0] < 0 ? "" : String.format("%.0f", median(held)));
        }
        System.out.println();
        Double c = rate(results, "raw");
        StringBuilder ratios = new StringBuilder("ratios of medians:");
        ratio(ratios, results, "engine-memory", "raw", "d/c");
        ratio(ratios, results, "engine-memory", "fetchprofile", "d/b");
        ratio(ratios, results, "engine-memory", "fetchprofile-sp", "d/b'");
        ratio(ratios, results, "engine-memory", "naive", "d/a");
        ratio(ratios, results, "engine-h2", "raw", "e/c");
        ratio(ratios, results, "engine-pg", "raw", "e'/c");
        ratio(ratios, results, "engine-discard", "raw", "f/c");
        ratio(ratios, results, "engine-30-previews", "engine-30", "g'/g (previews against headers only, goal >= 0.6)");
        System.out.println(c == null && !ratios.toString().contains("g'/g") ? "(no floor measured)" : ratios);
        List<Run> headers = results.get("engine-30");
        List<Run> previews = results.get("engine-30-previews");
        if (headers != null && previews != null && headers.get(0).serverBytes() != null
                && previews.get(0).serverBytes() != null) {
            long[] h = headers.get(0).serverBytes();
            long[] p = previews.get(0).serverBytes();
            System.out.printf("previews: %,d of %,d messages matched (%.0f%%); the server sent %,d bytes headers only,"
                    + " %,d with previews: %,.0f bytes per matched message for its structure and text%n", p[1], p[2],
                    100.0 * p[1] / p[2], h[0], p[0], (double) (p[0] - h[0]) / p[1]);
        }
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> list = e.getValue();
            if (list.get(0).resyncMillis() < 0) {
                continue;
            }
            double[] folderMs = sorted(list.stream().mapToDouble(r -> r.resyncMicros() / 1000.0).toArray());
            double[] totalMs = sorted(list.stream().mapToDouble(Run::resyncMillis).toArray());
            long fetched = list.stream().mapToLong(Run::resyncFetched).max().orElse(-1);
            long trips = list.stream().mapToLong(Run::resyncRoundTrips).max().orElse(-1);
            System.out.printf("no-change resync, %s: %.1f ms for the folder (%.1f-%.1f), %.0f ms with connecting and"
                    + " login (%.0f-%.0f); %d message(s) fetched; %d round trip(s) for the folder: %s%n",
                    CASES.get(e.getKey()), median(folderMs), folderMs[0], folderMs[folderMs.length - 1],
                    median(totalMs), totalMs[0], totalMs[totalMs.length - 1], fetched, trips,
                    list.get(0).resyncCommands());
        }
    }

    private static void ratio(StringBuilder out, Map<String, List<Run>> results, String top, String bottom,
                              String label) {
        Double t = rate(results, top);
        Double b = rate(results, bottom);
        if (t != null && b != null) {
            out.append(String.format("   %s %.2f", label, t / b));
        }
    }

    private static Double rate(Map<String, List<Run>> results, String name) {
        List<Run> list = results.get(name);
        return list == null ? null : median(sorted(list.stream().mapToDouble(Run::perSecond).toArray()));
    }

    private static double[] sorted(double[] values) {
        Arrays.sort(values);
        return values;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
