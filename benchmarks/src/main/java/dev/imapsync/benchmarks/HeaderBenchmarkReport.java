package dev.imapsync.benchmarks;

import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.message.EmailAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code java -jar benchmarks.jar headers}: runs {@link HeaderParsingBenchmark} with the GC
 * profiler and prints throughput, allocation per header block, and imap-sync's ratios to
 * Jakarta Mail and mime4j. First it says how far the three agree on the corpus, so a ratio
 * never compares unequal work unnoticed.
 */
final class HeaderBenchmarkReport {
    private static final String OURS = "imapSync";

    private HeaderBenchmarkReport() {
    }

    static void run() throws Exception {
        printAgreement();
        Options options = new OptionsBuilder()
                .include(HeaderParsingBenchmark.class.getSimpleName())
                .addProfiler(GCProfiler.class)
                .build();
        print(new Runner(options).run());
    }

    private static void printAgreement() throws Exception {
        List<byte[]> blocks = HeaderBlocks.generate(HeaderParsingBenchmark.BLOCKS, HeaderParsingBenchmark.SEED);
        HeaderBaselines.JakartaMail jakarta = new HeaderBaselines.JakartaMail();
        HeaderBaselines.Mime4j mime4j = new HeaderBaselines.Mime4j();
        int[] jakartaSame = new int[4];
        int[] mime4jSame = new int[4];
        long bytes = 0;
        long addresses = 0;
        for (byte[] block : blocks) {
            bytes += block.length;
            MessageHeaders ours = HeaderParser.standard().parse(block);
            addresses += addresses(ours).size();
            compare(ours, jakarta.parse(block), jakartaSame);
            compare(ours, mime4j.parse(block), mime4jSame);
        }
        System.out.printf("corpus: %d header blocks, %d bytes and %.1f addresses each on average%n", blocks.size(),
                bytes / blocks.size(), addresses / (double) blocks.size());
        System.out.printf("same result as imap-sync (addresses with names / subject / date / ids):%n");
        System.out.printf("  Jakarta Mail  %5.1f%% %5.1f%% %5.1f%% %5.1f%%%n", percent(jakartaSame[0], blocks),
                percent(jakartaSame[1], blocks), percent(jakartaSame[2], blocks), percent(jakartaSame[3], blocks));
        System.out.printf("  mime4j        %5.1f%% %5.1f%% %5.1f%% %5.1f%%%n", percent(mime4jSame[0], blocks),
                percent(mime4jSame[1], blocks), percent(mime4jSame[2], blocks), percent(mime4jSame[3], blocks));
        System.out.println();
    }

    private static double percent(int same, List<byte[]> blocks) {
        return 100.0 * same / blocks.size();
    }

    private static void compare(MessageHeaders ours, MessageHeaders theirs, int[] same) {
        same[0] += addresses(ours).equals(addresses(theirs)) ? 1 : 0;
        same[1] += ours.subject().equals(theirs.subject()) ? 1 : 0;
        same[2] += ours.date().equals(theirs.date()) ? 1 : 0;
        same[3] += ours.messageId().equals(theirs.messageId()) && ours.inReplyTo().equals(theirs.inReplyTo())
                && ours.references().equals(theirs.references()) ? 1 : 0;
    }

    private static List<EmailAddress> addresses(MessageHeaders h) {
        return Stream.of(h.from(), h.sender(), h.replyTo(), h.to(), h.cc(), h.bcc()).flatMap(List::stream).toList();
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
        double[] ours = rows.get(OURS);
        System.out.println();
        System.out.printf("%-14s %14s %10s %10s %14s %14s%n", "parser", "blocks/s", "± error", "µs/block", "B/block",
                "imap-sync is");
        for (String name : List.of(OURS, "jakartaMail", "mime4j")) {
            double[] row = rows.get(name);
            if (row == null) {
                continue;
            }
            String ratio = name.equals(OURS) ? "" : String.format("%.1fx faster", ours[0] / row[0]);
            System.out.printf("%-14s %,14.0f %10.0f %10.2f %,14.0f %14s%n", name, row[0], row[1], 1e6 / row[0], row[2],
                    ratio);
        }
        for (String name : List.of("jakartaMail", "mime4j")) {
            double[] row = rows.get(name);
            if (row != null && ours != null) {
                System.out.printf("imap-sync vs %-12s throughput %.2fx, allocation %.2fx%n", name, ours[0] / row[0],
                        ours[2] / row[2]);
            }
        }
    }
}
