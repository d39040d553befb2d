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
 *
 * <p>The next batch's {@code UID FETCH} is written before the current one's answer is read
 * (pipelined: {@link FolderReader#sendHeaders}), so the server streams batch after batch without
 * waiting a round trip for each command; over a link 60 ms away that round trip cost as much as
 * reading a few thousand messages. At most one batch is asked for ahead; it takes the width the
 * current one was asked with (the width adapts from the batch after it).
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
    /** The next batch, already asked for, or null. */
    private Pending ahead;

    /** A batch asked for: its range, where its messages and addresses go, and its fetch. */
    private record Pending(long from, long to, List<MessageMapper.Parsed> messages, Set<String> addresses,
                           FolderReader.HeaderFetch fetch) {
    }

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
        long started = System.nanoTime();
        Pending current = ahead != null ? ahead : send(next, Math.min(highest, next + width - 1));
        ahead = null;
        next = current.to() + 1;
        if (next <= highest) {
            ahead = send(next, Math.min(highest, next + width - 1)); // on the wire while this one streams
        }
        reader.finishHeaders(current.fetch());
        Duration fetchTime = Duration.ofNanos(System.nanoTime() - started);
        target = adaptTarget(target, fetchTime);
        width = adaptWidth(width, target, current.messages().size());
        return new FetchedBatch(current.from(), current.to(), current.messages(), current.addresses(),
                reader.problems(), reader.unreadable(), fetchTime);
    }

    private Pending send(long lo, long hi) throws ConnectionFailure {
        List<MessageMapper.Parsed> messages = new ArrayList<>((int) Math.min(hi - lo + 1, target * 2L));
        Set<String> addresses = new HashSet<>(Math.max(16, target * 4));
        return new Pending(lo, hi, messages, addresses,
                reader.sendHeaders(lo, hi, m -> messages.add(parse(m, addresses))));
    }

    @Override
    public void close() {
        next = highest + 1;
        ahead = null; // FolderReader.close reads its answer
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
