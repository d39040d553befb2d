package dev.imapsync.sync;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.internal.transport.Failures;
import java.time.Duration;

/**
 * The {@link FailureKind#TIMEOUT} of a sync that reached its {@link SyncOptions#maxDuration()},
 * told by where the time went: waiting for the server, or in a part of the host application
 * (the contact matcher, the store). The hint fits the cause: a slow server calls for a longer
 * maximum or a look at the server, a slow matcher or store for a look at the host's own code.
 */
final class DeadlineFailure {
    private DeadlineFailure() {
    }

    /**
     * The deadline closed the connection while the sync waited for the server.
     *
     * @param where where in the sync it happened ("while syncing folder INBOX: "), or ""
     */
    static Failure server(ImapAccount account, Duration max, String where) {
        return Failures.describeWithHint(FailureKind.TIMEOUT, where + "the sync reached its maximum duration of "
                + limit(max) + " (SyncOptions.maxDuration) while waiting for the server, and its connection was"
                + " closed; what it committed stays, and the next sync goes on from there", account,
                account.endpoint(), "The server answered too slowly for the sync to"
                + " finish within " + limit(max) + ". A first sync of a large folder may need longer: raise"
                + " SyncOptions.maxDuration. Otherwise check the server's load and the network. Nothing is lost:"
                + " the next sync goes on from the last committed batch.");
    }

    /** The deadline passed while the host application's matcher or store was still running. */
    static Failure hostPart(ImapAccount account, Duration max, String folder,
                            HostCalls.Overrun overrun) {
        if (overrun.part() == null) {
            // the time went somewhere between the calls: most likely the server, perhaps a slow listener
            return Failures.describeWithHint(FailureKind.TIMEOUT, "while syncing folder " + folder + ": the"
                    + " sync reached its maximum duration of " + limit(max) + " (SyncOptions.maxDuration) before "
                    + overrun.doing() + ", and its connection was closed; what it committed stays, and the next"
                    + " sync goes on from there", account,
                account.endpoint(), "The sync could not finish within "
                    + limit(max) + ". A first sync of a large folder may need longer: raise SyncOptions.maxDuration."
                    + " Otherwise see what was slow (the server, or a SyncListener that does not return at once):"
                    + " the DEBUG log shows each batch's fetch and commit times. Nothing is lost: the next sync goes"
                    + " on from the last committed batch.");
        }
        String part = HostCalls.name(overrun.part());
        return Failures.describeWithHint(FailureKind.TIMEOUT, "while syncing folder " + folder + ": the sync"
                + " reached its maximum duration of " + limit(max) + " (SyncOptions.maxDuration) while the " + part
                + " was " + overrun.doing() + " (for " + overrun.ranFor().toMillis() + " ms), so the sync stopped"
                + (overrun.part() == HostCalls.Part.MATCHER ? " without recording that batch" : "")
                + "; what it committed before stays, and the next sync goes on from there", account,
                account.endpoint(), overrun.part() == HostCalls.Part.MATCHER
                ? "The host application's ContactMatcher is too slow, not the mail server: a batch's matchAll"
                        + " should take well under a second (one query per call, an index on the address column)."
                        + " Its call was interrupted; a matcher that ignores interrupts keeps its thread"
                        + " (" + HostCalls.THREAD_PREFIX + account.id() + ") until it returns, and its answer is"
                        + " dropped."
                : "The host application's SyncStore is too slow, not the mail server: check its database (locks,"
                        + " load, a missing index). Its call was interrupted; a commit under way may still complete"
                        + " or roll back, and either way the next sync goes on from the last stored checkpoint and"
                        + " records each message once.");
    }

    private static String limit(Duration max) {
        return max.toSeconds() % 60 == 0 ? max.toMinutes() + " min" : max.toSeconds() + " s";
    }
}
