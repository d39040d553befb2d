package dev.imapsync.sync;

import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.MessagePolicy;
import dev.imapsync.policy.Verdict;
import dev.imapsync.policy.Visibility;
import java.util.List;

/**
 * What the privacy policies ask of one account's sync: the rules every message passes, how much
 * of the account's mail is kept, and the unblocked entries whose mail is read again.
 *
 * @param policy     the chain of rules ({@link dev.imapsync.policy.Policies#standard})
 * @param visibility what the store keeps of the account's mail
 * @param revisits   unblocked entries whose mail the sync reads again in each folder
 */
record SyncPrivacy(MessagePolicy policy, Visibility visibility, List<BlockEntry> revisits) {
    /** No rule, everything kept, nothing to revisit: tests of other things. */
    static final SyncPrivacy NONE = new SyncPrivacy(message -> Verdict.record(), Visibility.FULL, List.of());

    SyncPrivacy {
        revisits = List.copyOf(revisits);
    }
}
