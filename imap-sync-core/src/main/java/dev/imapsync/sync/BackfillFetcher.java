package dev.imapsync.sync;

import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fetches given UIDs newest first (highest UID first), a batch at a time: the older messages a
 * widened window imports. Only the UIDs asked for are fetched, never a range around them.
 */
final class BackfillFetcher implements BatchSource {
    /** UIDs named in one UID FETCH, so that the command line stays short. */
    static final int MAX_BATCH = 1000;

    private final FolderReader reader;
    private final HeaderParser parser;
    private final long[] uids;
    private final int batchSize;
    private int end;

    /** @param uids ascending */
    BackfillFetcher(FolderReader reader, HeaderParser parser, SyncOptions options, long[] uids) {
        this.reader = reader;
        this.parser = parser;
        this.uids = uids;
        this.batchSize = Math.min(MAX_BATCH, options.batchSize());
        this.end = uids.length;
    }

    @Override
    public FetchedBatch next() throws ConnectionFailure {
        if (end <= 0) {
            return null;
        }
        int start = Math.max(0, end - batchSize);
        long[] batch = Arrays.copyOfRange(uids, start, end);
        long started = System.nanoTime();
        List<MessageMapper.Parsed> messages = new ArrayList<>(batch.length);
        Set<String> addresses = new HashSet<>(Math.max(16, batch.length * 4));
        reader.fetchHeaders(batch, m -> {
            MessageHeaders headers = parser.parse(m.headers(), m.headerOffset(), m.headerLength());
            MessageMapper.addAddresses(addresses, headers);
            messages.add(new MessageMapper.Parsed(m.uid(), m.internalDateMillis(), m.size(), headers,
                    m.gmailMessageId(), m.gmailThreadId(), m.objectThreadId()));
        });
        end = start;
        return new FetchedBatch(batch[0], batch[batch.length - 1], messages, addresses, reader.problems(),
                reader.unreadable(), Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public void close() {
        end = 0;
    }
}
