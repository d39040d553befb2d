package dev.imapsync.benchmarks;

import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.james.mime4j.MimeException;
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
 * Header blocks parsed per second, and bytes allocated per block: imap-sync's
 * {@link HeaderParser} against Jakarta Mail and Apache mime4j extracting the same information
 * from the same realistic corpus ({@link HeaderBlocks}: 1,024 blocks, seed 42). Each operation
 * parses the next block of the corpus, round robin. Run with {@code -prof gc} for allocation;
 * {@code java -jar benchmarks.jar headers} does that and prints the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HeaderParsingBenchmark {
    static final int BLOCKS = 1_024;
    static final long SEED = 42;

    private byte[][] blocks;
    private int next;
    private HeaderParser parser;
    private HeaderBaselines.JakartaMail jakartaMail;
    private HeaderBaselines.Mime4j mime4j;

    @Setup(Level.Trial)
    public void setUp() {
        List<byte[]> corpus = HeaderBlocks.generate(BLOCKS, SEED);
        blocks = corpus.toArray(new byte[0][]);
        parser = HeaderParser.standard();
        jakartaMail = new HeaderBaselines.JakartaMail();
        mime4j = new HeaderBaselines.Mime4j();
    }

    private byte[] nextBlock() {
        byte[] block = blocks[next];
        next = (next + 1) & (BLOCKS - 1);
        return block;
    }

    /** imap-sync's parser, straight from the bytes. */
    @Benchmark
    public MessageHeaders imapSync() {
        return parser.parse(nextBlock());
    }

    /** Jakarta Mail's InternetHeaders, InternetAddress.parseHeader, MimeUtility.decodeText and MailDateFormat. */
    @Benchmark
    public MessageHeaders jakartaMail() throws MessagingException {
        return jakartaMail.parse(nextBlock());
    }

    /** Apache mime4j's DefaultMessageBuilder.parseHeader with the LenientFieldParser. */
    @Benchmark
    public MessageHeaders mime4j() throws IOException, MimeException {
        return mime4j.parse(nextBlock());
    }
}
