package dev.imapsync.benchmarks;

import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread CPU time per header block of {@link HeaderBlocks} (1,024 blocks, seed 42), after a
 * warm-up, best of 10 rounds: a before/after measure that a loaded machine disturbs less than
 * JMH's throughput. With {@code bulk}, a fifth of the blocks also carry a newsletter's policy
 * headers (List-Id, a folded List-Unsubscribe, Precedence).
 */
final class HeaderCpuBenchmark {
    private HeaderCpuBenchmark() {
    }

    static void run(String[] args) {
        boolean bulk = args.length > 0 && args[0].equals("bulk");
        List<byte[]> blocks = HeaderBlocks.generate(1024, 42);
        if (bulk) {
            List<byte[]> withBulk = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                byte[] b = blocks.get(i);
                if (i % 5 == 0) {
                    String extra = "List-Id: Weekly digest <digest.newsletter.example>\r\n"
                            + "List-Unsubscribe: <https://newsletter.example/unsubscribe?u=" + i + ">,\r\n"
                            + " <mailto:unsubscribe-" + i + "@newsletter.example>\r\nPrecedence: bulk\r\n";
                    byte[] e = extra.getBytes(StandardCharsets.US_ASCII);
                    byte[] joined = new byte[e.length + b.length];
                    System.arraycopy(e, 0, joined, 0, e.length);
                    System.arraycopy(b, 0, joined, e.length, b.length);
                    b = joined;
                }
                withBulk.add(b);
            }
            blocks = withBulk;
        }
        HeaderParser parser = HeaderParser.standard();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int w = 0; w < 400; w++) {
            for (byte[] b : blocks) {
                sink += parser.parse(b).from().size();
            }
        }
        double best = Double.MAX_VALUE;
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            long cpu = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < 100; k++) {
                for (byte[] b : blocks) {
                    MessageHeaders h = parser.parse(b);
                    sink += h.from().size();
                }
            }
            double ns = (mx.getCurrentThreadCpuTime() - cpu) / (100.0 * blocks.size());
            best = Math.min(best, ns);
            rounds.add(String.format("%.0f", ns));
        }
        System.out.printf("%s cpu ns/block: best %.0f, rounds %s (sink %d)%n", bulk ? "bulk20%" : "corpus", best,
                rounds, sink & 1);
    }
}
