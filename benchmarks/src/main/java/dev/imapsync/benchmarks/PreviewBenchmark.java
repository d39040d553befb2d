package dev.imapsync.benchmarks;

import dev.imapsync.internal.content.PreviewExtractor;
import dev.imapsync.internal.content.PreviewPlan;
import dev.imapsync.internal.content.PreviewPlanner;
import dev.imapsync.internal.content.PreviewText;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Previews made per second, and bytes allocated per preview: imap-sync's path
 * ({@link PreviewPlanner} on the BODYSTRUCTURE, {@link PreviewExtractor} on the first 4 KiB of
 * the text part) against Jakarta Mail's {@code MimeMessage.getContent} path on the whole message
 * ({@link PreviewBaseline}), over the MIME corpus ({@link PreviewCases}), round robin. Run with
 * {@code -prof gc} for allocation; {@code java -jar benchmarks.jar preview} does that and prints
 * the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PreviewBenchmark {
    private PreviewCases.Case[] cases;
    private int next;
    private PreviewExtractor extractor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<PreviewCases.Case> loaded = PreviewCases.load();
        cases = loaded.toArray(new PreviewCases.Case[0]);
        extractor = new PreviewExtractor(PreviewExtractor.DEFAULT_MAX_CHARS);
    }

    private PreviewCases.Case nextCase() {
        PreviewCases.Case c = cases[next];
        next = next + 1 == cases.length ? 0 : next + 1;
        return c;
    }

    /** imap-sync: plan from BODYSTRUCTURE, then extract from the first 4 KiB of the text part. */
    @Benchmark
    public Object imapSync() {
        PreviewCases.Case c = nextCase();
        PreviewPlan plan = PreviewPlanner.plan(c.bodyStructure(), 0, c.bodyStructure().length);
        if (plan.text().isEmpty()) {
            return plan;
        }
        PreviewText text = extractor.extract(plan.text().get(), c.prefix(), 0, c.prefix().length, false, c.cut());
        return text;
    }

    /** Jakarta Mail: parse the whole message, getContent of the text part, jsoup for HTML, file names. */
    @Benchmark
    public Object jakartaMail() throws MessagingException, IOException {
        return PreviewBaseline.preview(nextCase().message());
    }
}
