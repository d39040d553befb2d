package dev.imapsync.sync;

import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FetchedMessage;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fetches a UID range batch after batch on the calling thread, parsing each message as it
 * arrives. A batch's size adapts: smaller after a slow fetch, larger after a fast one, and its
 * UID range widens or narrows with the folder's density so it holds about that many messages.
 */
final class BatchFetcher implements BatchSource {
    /** A UID range never spans more than this, however sparse the folder. */
    private static final long MAX_RANGE = 1L << 20;

    private final FolderReader reader;
    private final HeaderParser parser;
    private final SyncOptions options;
    private final long highest;
    private long next;
    private int target;
    private long width;

    BatchFetcher(FolderReader reader, HeaderParser parser, SyncOptions options, long from, long highest) {
        this.reader = reader;
        this.parser = parser;
        this.options = options;
        this.highest = highest;
        this.next = from;
        this.target = options.batchSize();
        this.width = target;
    }

    @Override
    public FetchedBatch next() throws ConnectionFailure {
        if (next > highest) {
            return null;
        }
        long lo = next;
        long hi = Math.min(highest, lo + width - 1);
        long started = System.nanoTime();
        List<MessageMapper.Parsed> messages = new ArrayList<>((int) Math.min(width, target * 2L));
        Set<String> addresses = new HashSet<>(Math.max(16, target * 4));
        reader.fetchHeaders(lo, hi, m -> messages.add(parse(m, addresses)));
        Duration fetchTime = Duration.ofNanos(System.nanoTime() - started);
        target = adaptTarget(target, fetchTime);
        width = adaptWidth(width, target, messages.size());
        next = hi + 1;
        return new FetchedBatch(lo, hi, messages, addresses, reader.problems(), reader.unreadable(),
                fetchTime);
    }

    @Override
    public void close() {
        next = highest + 1;
    }

    /**
     * Parses a message and adds its addresses to the batch's set here, while its bytes are in
     * this thread's cache (on the thread that matches and commits, putting them in a set cost a
     * third of its time, measured).
     */
    private MessageMapper.Parsed parse(FetchedMessage m, Set<String> addresses) {
        MessageHeaders headers = parser.parse(m.headers(), m.headerOffset(), m.headerLength());
        MessageMapper.addAddresses(addresses, headers);
        return new MessageMapper.Parsed(m.uid(), m.internalDateMillis(), m.size(), headers, m.gmailMessageId(),
                m.gmailThreadId(), m.objectThreadId());
    }

    /** Fewer messages per batch when a batch is slow (a slow server, a slow link), more when fast. */
    private int adaptTarget(int current, Duration fetchTime) {
        if (fetchTime.compareTo(Duration.ofSeconds(10)) > 0) {
            return Math.max(options.minBatchSize(), current / 2);
        }
        if (fetchTime.compareTo(Duration.ofSeconds(2)) < 0) {
            return Math.min(options.maxBatchSize(), current + current / 2);
        }
        return current;
    }

    /** A UID range wide enough to hold about {@code target} messages, judging by the last one's density. */
    private static long adaptWidth(long width, int target, int returned) {
        if (returned <= 0) {
            return Math.min(MAX_RANGE, width * 4);
        }
        long next = Math.max(target, (long) ((double) width * target / returned));
        return Math.min(MAX_RANGE, Math.min(next, width * 4));
    }
}
