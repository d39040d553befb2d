package dev.imapsync.sync;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One fetched and parsed batch: the UID range asked for, the messages the server returned in
 * it, and how the answer went.
 *
 * @param from          first UID of the range
 * @param to            last UID of the range (the checkpoint once the batch is committed)
 * @param messages      the messages returned, parsed
 * @param addresses     the distinct normalized addresses of their From, Sender, To, Cc and Bcc
 * @param problems      what was wrong with the server's answer, one warning each (usually none)
 * @param unreadable    messages the answer named but did not deliver readably (skipped)
 * @param fetchTime     time spent fetching and parsing
 */
record FetchedBatch(long from, long to, List<MessageMapper.Parsed> messages, Set<String> addresses,
                    List<String> problems, int unreadable, Duration fetchTime) {
}
