package dev.imapsync.jdbc.crash;

import static org.assertj.core.api.Assertions.fail;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Compares what a store holds with what it must hold, row by row: each expected row exactly
 * once and nothing else. Counts what it checked, so a test can report the figures ("messages
 * lost: 0, duplicated: 0") it measured rather than assumed.
 */
public final class HistoryCheck {
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong messageRows = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();

    /**
     * Fails unless {@code stored} holds exactly the messages and activities of {@code expected},
     * each once; {@code context} says when (seed, fault, run) for the failure message.
     */
    public void assertHolds(StoredHistory stored, ExpectedHistory.Snapshot expected, String context) {
        checks.incrementAndGet();
        messageRows.addAndGet(stored.messages().size());
        Difference messages = difference(stored.messages(), expected.messages());
        lost.addAndGet(messages.missing().size());
        duplicated.addAndGet(messages.doubled().size());
        assertSameRows("imapsync_message rows", stored.messages(), expected.messages(), context);
        assertSameRows("imapsync_activity rows", stored.activities(), expected.activities(), context);
    }

    /** How many times {@link #assertHolds} compared a store. */
    public long checks() {
        return checks.get();
    }

    /** The message rows read over all checks. */
    public long messageRows() {
        return messageRows.get();
    }

    /** Expected messages missing from a store, over all checks (0, or a check failed). */
    public long lost() {
        return lost.get();
    }

    /** Messages stored more than once, over all checks (0, or a check failed). */
    public long duplicated() {
        return duplicated.get();
    }

    /** One line for a test's report. */
    public String summary() {
        return checks() + " stores compared (" + messageRows() + " message rows): messages lost " + lost()
                + ", duplicated " + duplicated();
    }

    private record Difference(List<?> doubled, Set<?> missing, Set<?> unexpected) {
        boolean isEmpty() {
            return doubled.isEmpty() && missing.isEmpty() && unexpected.isEmpty();
        }
    }

    private static <T> Difference difference(Collection<T> stored, Set<T> expected) {
        Set<T> seen = new HashSet<>();
        List<T> doubled = stored.stream().filter(r -> !seen.add(r)).toList();
        Set<T> missing = new HashSet<>(expected);
        missing.removeAll(seen);
        Set<T> unexpected = new HashSet<>(seen);
        unexpected.removeAll(expected);
        return new Difference(doubled, missing, unexpected);
    }

    /** Each expected row exactly once and nothing else; the message names a few of each difference. */
    public static <T> void assertSameRows(String what, Collection<T> stored, Set<T> expected, String context) {
        Difference d = difference(stored, expected);
        if (!d.isEmpty()) {
            fail("%s (%s): %d stored, %d expected; %d doubled %s, %d missing %s, %d unexpected %s", what, context,
                    stored.size(), expected.size(), d.doubled().size(), some(d.doubled()), d.missing().size(),
                    some(d.missing()), d.unexpected().size(), some(d.unexpected()));
        }
    }

    private static String some(Collection<?> rows) {
        return rows.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", ", "[", rows.size() > 5
                ? ", ...]" : "]"));
    }
}
