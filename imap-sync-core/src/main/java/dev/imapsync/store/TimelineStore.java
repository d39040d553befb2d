package dev.imapsync.store;

import dev.imapsync.message.MessageKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The read side a contact page uses: a contact's timeline, one entry per message across every
 * connected account, paged by cursor; and per-contact summaries for list views. The in-memory
 * and JDBC stores implement it beside {@link SyncStore}, so a host application reads what the
 * syncs wrote without touching the tables behind it.
 *
 * <p>Guarantees every implementation keeps (the {@code TimelineStoreContract} of
 * imap-sync-testing checks them):
 * <ul>
 *   <li>One entry per (contact, message key), whichever accounts and folders hold the message:
 *       its roles are the union of the contact's roles in every account's copy, its locations
 *       list every (account, folder, UID) that holds it, also an account in whose copy the contact
 *       does not appear (a Bcc only the sender's copy shows). Copies agree on date, subject and
 *       sender but for a message without a Date header, whose date is each server's arrival time:
 *       the entry then shows one of them, at one place in the order.</li>
 *   <li>Newest first: by date, then by message key, descending; a total order, so pages are
 *       stable. Paging with {@link TimelinePage#next()} while new batches are committed never
 *       shows an entry twice nor skips one that existed when the first page was read.</li>
 *   <li>{@link TimelineEntry#direction()} is the company's view: {@code OUTBOUND} when the sender
 *       is one of the own addresses (address or alias) of any account the store has recorded,
 *       else {@code INBOUND}.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface TimelineStore {

    /**
     * One page of a contact's timeline.
     *
     * @throws IllegalArgumentException if the query's cursor was not made by this store
     * @throws dev.imapsync.ImapSyncException if the store cannot be read
     */
    TimelinePage timeline(TimelineQuery query);

    /**
     * The summaries of several contacts in one call; a contact without any message has a
     * summary with no messages ({@link ContactSummary#none}). At most 1,000 ids per call.
     *
     * @throws IllegalArgumentException if more than 1,000 ids are given, or one is blank
     * @throws dev.imapsync.ImapSyncException if the store cannot be read
     */
    Map<String, ContactSummary> summaries(Collection<String> contactIds);

    /**
     * The contacts with the most messages, busiest first (ties by contact id), at most
     * {@code limit}: for a dashboard or a command line that lists contacts without knowing them.
     *
     * @throws IllegalArgumentException if {@code limit} is not from 1 to 1,000
     * @throws dev.imapsync.ImapSyncException if the store cannot be read
     */
    List<ContactSummary> busiest(int limit);

    /**
     * Where a message can be opened: each account that holds it, with the folder and UID of its
     * copy, ordered by account id; empty when no account holds it. For a CLI or a link that has
     * a message key but no timeline entry at hand (an entry's {@link TimelineEntry#locations()}
     * are the same). {@link TimelineEntry.Location#uidValidity()} is 0 where the store does not
     * know it.
     *
     * @throws dev.imapsync.ImapSyncException if the store cannot be read
     */
    List<TimelineEntry.Location> locations(MessageKey key);

    /** One contact's summary. */
    default ContactSummary summary(String contactId) {
        return summaries(List.of(contactId)).get(contactId);
    }
}
