package dev.imapsync.contact;

import dev.imapsync.message.EmailAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SPI host applications implement: which of their contacts an email address belongs to.
 *
 * <p>imap-sync calls {@link #matchAll} once per batch of messages with every distinct
 * normalized address of the batch (see {@link dev.imapsync.message.EmailAddress#normalize}), so an
 * implementation backed by a database should override it with one query per call. Addresses
 * that match nothing may be left out of the answer.
 *
 * <p><b>Answers.</b> A contact may be named more than once, for one address or for several
 * addresses of the same message: a message records one activity per contact and role (a contact
 * in both To and Cc gets two, one for each role), however often the answer names it. Never
 * answer {@code null}, nor a {@code null} contact: return an empty list or map, or leave the
 * address out. Keys that are not among the addresses asked about are ignored.
 *
 * <p><b>Failures.</b> When the contacts cannot be read (the database is down, a query fails),
 * throw an unchecked exception, ideally an {@link dev.imapsync.ImapSyncException} whose message
 * says what failed; never return an empty answer instead, which would record the batch's
 * messages as matching nobody, for good. The sync then stops at that batch without recording it,
 * keeps what it committed before, records the account's status as {@code ERROR} and throws an
 * {@link dev.imapsync.ImapSyncException} naming the account and folder, with yours as its cause;
 * the next sync retries the batch.
 *
 * <p><b>Time.</b> A call should take well under a second. The sync calls the matcher on a thread of
 * its own and waits for it no longer than the sync's maximum duration
 * ({@code SyncOptions.maxDuration}): then the call is
 * interrupted, its answer is dropped and the sync ends with a {@code TIMEOUT} that names the
 * matcher. Let an interrupt end a blocking call (JDBC drivers and {@code Thread.sleep} do);
 * a matcher that ignores it keeps its thread until it returns.
 *
 * <p><b>Threads.</b> A matcher may be called from several sync threads at once (one per account
 * being synced) and must be safe for that; it must not keep references to the sets it is given,
 * and must not call back into imap-sync.
 */
@FunctionalInterface
public interface ContactMatcher {

    /**
     * The contacts this normalized address belongs to; empty when none.
     *
     * @return never null; the same contact may appear twice
     * @throws RuntimeException when the contacts cannot be read (see the interface's description)
     */
    List<ContactRef> match(String normalizedAddress);

    /**
     * The contacts of each address that belongs to any; addresses without contacts may be
     * absent from the map. The default calls {@link #match} once per address.
     *
     * @return never null; the lists hold no null, and may name a contact twice
     * @throws RuntimeException when the contacts cannot be read (see the interface's description)
     */
    default Map<String, List<ContactRef>> matchAll(Set<String> normalizedAddresses) {
        Map<String, List<ContactRef>> found = new HashMap<>();
        for (String address : normalizedAddresses) {
            List<ContactRef> contacts = match(address);
            if (!contacts.isEmpty()) {
                found.put(address, contacts);
            }
        }
        return found;
    }
}
