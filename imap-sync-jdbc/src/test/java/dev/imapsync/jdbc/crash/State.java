package dev.imapsync.jdbc.crash;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the store held at one moment, small enough for one line between the child and the
 * parent: each folder's last UID, the row counts, and an order-independent fingerprint of the
 * rows (the sum of their texts' hashes; a row stored twice counts twice).
 */
record State(long inboxUid, long sentUid, int messages, int activities, long messagePrint, long activityPrint) {
    private static final String PREFIX = "STATE ";

    static State of(StoredHistory stored) {
        return new State(stored.checkpoints().getOrDefault(GeneratedMailbox.INBOX, 0L),
                stored.checkpoints().getOrDefault(GeneratedMailbox.SENT, 0L), stored.messages().size(),
                stored.activities().size(), fingerprint(stored.messages()), fingerprint(stored.activities()));
    }

    /** The state history must be in once each folder is synced up to {@link #checkpoints()}. */
    static State expected(ExpectedHistory expected, Map<String, Long> checkpoints) {
        ExpectedHistory.Snapshot s = expected.upTo(checkpoints);
        return new State(checkpoints.getOrDefault(GeneratedMailbox.INBOX, 0L),
                checkpoints.getOrDefault(GeneratedMailbox.SENT, 0L), s.messages().size(), s.activities().size(),
                fingerprint(s.messages()), fingerprint(s.activities()));
    }

    static boolean isLine(String line) {
        return line.startsWith(PREFIX);
    }

    static State parse(String line) {
        String[] f = line.substring(PREFIX.length()).split(" ");
        return new State(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]));
    }

    String line() {
        return PREFIX + inboxUid + " " + sentUid + " " + messages + " " + activities + " " + messagePrint + " "
                + activityPrint;
    }

    Map<String, Long> checkpoints() {
        Map<String, Long> checkpoints = new HashMap<>();
        checkpoints.put(GeneratedMailbox.INBOX, inboxUid);
        checkpoints.put(GeneratedMailbox.SENT, sentUid);
        return checkpoints;
    }

    private static long fingerprint(Collection<?> rows) {
        long sum = 0;
        for (Object row : rows) {
            sum += row.toString().hashCode();
        }
        return sum;
    }
}
