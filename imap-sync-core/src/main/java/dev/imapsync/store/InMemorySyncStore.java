package dev.imapsync.store;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncStore.ResetResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link SyncStore} and {@link TimelineStore} in memory, for tests and demos: everything is
 * lost when the process ends. It keeps both contracts to the letter and is the reference the
 * JDBC store follows; history entries with the same date and message key are ordered by role,
 * then account id. Its timeline cursors are base64url of {@code v1|<epoch seconds>|<nanos>|<message key>}:
 * the position of the page's last entry, so paging stays stable while syncs add mail.
 *
 * <p>Thread-safe: commits and reads are serialized by one lock. Besides the SPI it answers what
 * was recorded per account ({@link #messages}, {@link #activities} and their counts), for tests
 * and the demo.
 */
public final class InMemorySyncStore implements SyncStore, StatusStore, TimelineStore {

    /** The most contact ids {@link #summaries} and {@link #busiest} answer in one call. */
    private static final int MAX_CONTACTS = 1_000;

    /** Newest first; equal dates by message key, then role, then account: a total order. */
    private static final Comparator<Recorded> HISTORY_ORDER =
            Comparator.comparing((Recorded r) -> r.activity().date()).reversed()
                    .thenComparing(r -> r.activity().messageKey().value())
                    .thenComparing(r -> r.activity().role())
                    .thenComparing(Recorded::accountId);

    private final Object lock = new Object();
    private final Map<FolderId, FolderCheckpoint> checkpoints = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, History> historyByContact = new HashMap<>();
    private final Map<String, AccountStatus> statuses = new TreeMap<>();
    private final Map<String, ContactTimeline> timelines = new HashMap<>();
    /** The contacts whose timelines hold each message, to list every account that holds it. */
    private final Map<MessageKey, Set<String>> contactsByMessage = new HashMap<>();
    /** The own addresses of every account that committed, normalized: what makes mail OUTBOUND. */
    private final Set<String> ownAddresses = new HashSet<>();
    /** Thread keys that a later message showed to be names of another thread (see joinThreads). */
    private final Map<String, String> threadRenames = new HashMap<>();

    /** An empty store. */
    public InMemorySyncStore() {
    }

    @Override
    public Optional<FolderCheckpoint> checkpoint(String accountId, String folder) {
        checkAccountId(accountId);
        Objects.requireNonNull(folder, "folder");
        synchronized (lock) {
            return Optional.ofNullable(checkpoints.get(new FolderId(accountId, folder)));
        }
    }

    /**
     * Records one batch atomically and returns what was new. Before anything is written the
     * whole batch is checked: every message must have been read from the batch's folder with a
     * UID from 1 to 4294967295, and every activity must belong to a message of the batch.
     *
     * @throws IllegalArgumentException if the account id is blank or the batch breaks one of
     *                                  these rules; then nothing was written
     */
    @Override
    public CommitResult commit(String accountId, SyncBatch batch) {
        checkAccountId(accountId);
        Objects.requireNonNull(batch, "batch");
        synchronized (lock) {
            Account account = accounts.computeIfAbsent(accountId, id -> new Account());
            ownAddresses.addAll(batch.ownAddresses());
            int newMessages = 0;
            for (SyncedMessage message : batch.messages()) {
                if (account.messages.putIfAbsent(message.key(), message) == null) {
                    newMessages++;
                    account.uidValidity.put(message.key(), batch.checkpoint().uidValidity());
                    for (String contactId : contactsByMessage.getOrDefault(message.key(), Set.of())) {
                        timelines.get(contactId).held(accountId, message, batch.checkpoint().uidValidity());
                    }
                }
            }
            joinThreads(batch.messages());
            int newActivities = 0;
            for (ContactActivity activity : batch.activities()) {
                ActivityId id = new ActivityId(activity.messageKey(), activity.contact().id(), activity.role());
                if (account.activities.containsKey(id)) {
                    continue;
                }
                ContactActivity recorded = inFirstFolder(activity, account.messages.get(activity.messageKey()));
                account.activities.put(id, recorded);
                historyByContact.computeIfAbsent(id.contactId(), c -> new History())
                        .add(new Recorded(accountId, recorded));
                recordOnTimeline(accountId, account, id);
                newActivities++;
            }
            checkpoints.merge(new FolderId(accountId, batch.folder()), batch.checkpoint(), InMemorySyncStore::later);
            return new CommitResult(newMessages, newActivities);
        }
    }

    /**
     * Forgets the account's checkpoints and, with {@code purgeHistory}, its messages and history
     * entries, in one step under the store's lock.
     *
     * @throws IllegalArgumentException if the account id is blank
     */
    @Override
    public ResetResult reset(String accountId, boolean purgeHistory) {
        checkAccountId(accountId);
        synchronized (lock) {
            int folders = 0;
            for (var it = checkpoints.keySet().iterator(); it.hasNext(); ) {
                if (it.next().accountId().equals(accountId)) {
                    it.remove();
                    folders++;
                }
            }
            if (!purgeHistory) {
                return new ResetResult(folders, 0, 0);
            }
            Account purged = accounts.remove(accountId);
            if (purged == null) {
                return new ResetResult(folders, 0, 0);
            }
            Set<String> contacts = new HashSet<>();
            for (ActivityId id : purged.activities.keySet()) {
                contacts.add(id.contactId());
                History history = historyByContact.get(id.contactId());
                if (history != null && history.removeAccount(accountId)) {
                    historyByContact.remove(id.contactId());
                }
            }
            for (MessageKey key : purged.messages.keySet()) {
                contacts.addAll(contactsByMessage.getOrDefault(key, Set.of())); // it was a location of theirs
            }
            rebuildTimelines(contacts);
            return new ResetResult(folders, purged.messages.size(), purged.activities.size());
        }
    }

    /**
     * Puts an activity on its contact's timeline; the first time the contact meets the message,
     * every account that holds the message becomes one of its locations.
     */
    private void recordOnTimeline(String accountId, Account account, ActivityId id) {
        ContactTimeline timeline = timelines.computeIfAbsent(id.contactId(), ContactTimeline::new);
        timeline.record(accountId, account.messages.get(id.messageKey()), id.role(),
                account.uidValidity.getOrDefault(id.messageKey(), 0L));
        if (contactsByMessage.computeIfAbsent(id.messageKey(), k -> new HashSet<>()).add(id.contactId())) {
            accounts.forEach((holder, held) -> {
                SyncedMessage copy = held.messages.get(id.messageKey());
                if (copy != null) {
                    timeline.held(holder, copy, held.uidValidity.getOrDefault(id.messageKey(), 0L));
                }
            });
        }
    }

    /**
     * Joins the threads a broken References chain split, as {@code JdbcSyncStore} does (see
     * {@link SyncStore}): a message keyed {@code ref:X} joins the thread of the recorded message
     * whose Message-ID is X, and a message whose Message-ID is B takes along what is keyed
     * {@code ref:B}. Kept as renames, applied when a timeline is read.
     */
    private void joinThreads(List<SyncedMessage> messages) {
        for (SyncedMessage m : messages) {
            String thread = m.threadId().orElse("");
            if (!thread.startsWith(REF)) {
                continue;
            }
            String parentKey = MID + thread.substring(REF.length());
            if (parentKey.length() > MessageKey.MAX_LENGTH || m.key().value().equals(parentKey)) {
                continue;
            }
            MessageKey parent = new MessageKey(parentKey);
            for (Account holder : accounts.values()) {
                SyncedMessage recorded = holder.messages.get(parent);
                if (recorded != null && recorded.threadId().isPresent()) {
                    rename(thread, recorded.threadId().get());
                    break;
                }
            }
        }
        for (SyncedMessage m : messages) {
            String key = m.key().value();
            if (key.startsWith(MID) && m.threadId().isPresent()) {
                rename(REF + key.substring(MID.length()), m.threadId().get());
            }
        }
    }

    private static final String REF = "ref:";
    private static final String MID = "mid:";

    /** Makes {@code from} a name of {@code to}'s thread, unless they are one already (no loops). */
    private void rename(String from, String to) {
        String target = thread(to);
        if (!target.equals(thread(from)) && !threadRenames.containsKey(from)) {
            threadRenames.put(from, target);
        }
    }

    /** The thread a recorded thread key belongs to now. */
    private String thread(String key) {
        String current = key;
        for (int i = 0; i < 16 && threadRenames.containsKey(current); i++) {
            current = threadRenames.get(current);
        }
        return current;
    }

    /** The timelines of these contacts again from what the remaining accounts recorded. */
    private void rebuildTimelines(Set<String> contactIds) {
        contactIds.forEach(timelines::remove);
        contactsByMessage.values().forEach(contacts -> contacts.removeAll(contactIds));
        for (Map.Entry<String, Account> account : accounts.entrySet()) {
            for (ActivityId id : account.getValue().activities.keySet()) {
                if (contactIds.contains(id.contactId())) {
                    recordOnTimeline(account.getKey(), account.getValue(), id);
                }
            }
        }
    }

    /**
     * A contact's history across all accounts, newest first (by date; equal dates by message
     * key, then role, then account id), at most {@code limit} entries.
     *
     * @throws IllegalArgumentException if the contact id is blank or {@code limit} is below 1
     */
    @Override
    public List<ContactActivity> history(String contactId, int limit) {
        Objects.requireNonNull(contactId, "contactId");
        if (contactId.isBlank()) {
            throw new IllegalArgumentException("The contact id is empty: give the id of a contact");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("The history limit is " + limit + ": give at least 1");
        }
        synchronized (lock) {
            History recorded = historyByContact.get(contactId);
            if (recorded == null) {
                return List.of();
            }
            List<Recorded> sorted = recorded.newestFirst();
            List<ContactActivity> newestFirst = new ArrayList<>(Math.min(limit, sorted.size()));
            for (int i = 0; i < sorted.size() && newestFirst.size() < limit; i++) {
                newestFirst.add(sorted.get(i).activity());
            }
            return List.copyOf(newestFirst);
        }
    }

    /**
     * A page of the contact's timeline, newest first.
     *
     * @throws IllegalArgumentException if the query's cursor was not made by this store
     */
    @Override
    public TimelinePage timeline(TimelineQuery query) {
        Objects.requireNonNull(query, "query");
        synchronized (lock) {
            ContactTimeline timeline = timelines.get(query.contactId());
            if (timeline == null) {
                query.after().ifPresent(TimelineCursor::decode);
                return new TimelinePage(List.of(), Optional.empty());
            }
            return timeline.page(query, ownAddresses, this::thread);
        }
    }

    /**
     * The contacts' summaries, in the order of the ids given.
     *
     * @throws IllegalArgumentException if more than 1,000 ids are given, or one is blank
     */
    @Override
    public Map<String, ContactSummary> summaries(Collection<String> contactIds) {
        Objects.requireNonNull(contactIds, "contactIds");
        if (contactIds.size() > MAX_CONTACTS) {
            throw new IllegalArgumentException("Summaries of " + contactIds.size() + " contacts were asked for in one"
                    + " call; at most " + MAX_CONTACTS + " are answered: split the ids into several calls");
        }
        for (String contactId : contactIds) {
            if (contactId == null || contactId.isBlank()) {
                throw new IllegalArgumentException("A contact id of the " + contactIds.size() + " given is "
                        + (contactId == null ? "null" : "blank") + ": give the ids your ContactMatcher answers");
            }
        }
        synchronized (lock) {
            Map<String, ContactSummary> summaries = new LinkedHashMap<>();
            for (String contactId : contactIds) {
                ContactTimeline timeline = timelines.get(contactId);
                summaries.put(contactId, timeline == null ? ContactSummary.none(contactId)
                        : timeline.summary(ownAddresses));
            }
            return Collections.unmodifiableMap(summaries);
        }
    }

    /**
     * The contacts with the most messages, busiest first, equal counts by contact id.
     *
     * @throws IllegalArgumentException if {@code limit} is not from 1 to 1,000
     */
    @Override
    public List<ContactSummary> busiest(int limit) {
        if (limit < 1 || limit > MAX_CONTACTS) {
            throw new IllegalArgumentException("The busiest contacts are listed 1 to " + MAX_CONTACTS + " at a time,"
                    + " not " + limit);
        }
        synchronized (lock) {
            return timelines.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<String, ContactTimeline> e) -> e.getValue().size())
                            .reversed().thenComparing(Map.Entry::getKey))
                    .limit(limit)
                    .map(e -> e.getValue().summary(ownAddresses))
                    .toList();
        }
    }

    /** Each account's copy of the message, by account id; UIDVALIDITY 0: this store does not keep it per copy. */
    @Override
    public List<TimelineEntry.Location> locations(MessageKey key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            return new TreeMap<>(accounts).entrySet().stream()
                    .filter(e -> e.getValue().messages.containsKey(key))
                    .map(e -> {
                        SyncedMessage copy = e.getValue().messages.get(key);
                        return new TimelineEntry.Location(e.getKey(), copy.folder(), copy.uid(),
                                e.getValue().uidValidity.getOrDefault(key, 0L));
                    })
                    .toList();
        }
    }

    /** Every message recorded for the account, in the order first recorded. */
    public List<SyncedMessage> messages(String accountId) {
        checkAccountId(accountId);
        synchronized (lock) {
            Account account = accounts.get(accountId);
            return account == null ? List.of() : List.copyOf(account.messages.values());
        }
    }

    /** Every activity recorded for the account, in the order first recorded. */
    public List<ContactActivity> activities(String accountId) {
        checkAccountId(accountId);
        synchronized (lock) {
            Account account = accounts.get(accountId);
            return account == null ? List.of() : List.copyOf(account.activities.values());
        }
    }

    /** The number of messages recorded for the account. */
    public int messageCount(String accountId) {
        checkAccountId(accountId);
        synchronized (lock) {
            Account account = accounts.get(accountId);
            return account == null ? 0 : account.messages.size();
        }
    }

    /** The number of activities recorded for the account. */
    public int activityCount(String accountId) {
        checkAccountId(accountId);
        synchronized (lock) {
            Account account = accounts.get(accountId);
            return account == null ? 0 : account.activities.size();
        }
    }

    @Override
    public void saveStatus(AccountStatus status) {
        Objects.requireNonNull(status, "status");
        synchronized (lock) {
            statuses.put(status.accountId(), status);
        }
    }

    @Override
    public Optional<AccountStatus> status(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        synchronized (lock) {
            return Optional.ofNullable(statuses.get(accountId));
        }
    }

    @Override
    public List<AccountStatus> statuses() {
        synchronized (lock) {
            return List.copyOf(statuses.values());
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemorySyncStore{accounts=" + accounts.size() + ", folders=" + checkpoints.size() + "}";
        }
    }

    /** An activity names the folder its message was first recorded from, whatever batch adds it. */
    private static ContactActivity inFirstFolder(ContactActivity activity, SyncedMessage message) {
        if (activity.folder().equals(message.folder())) {
            return activity;
        }
        return new ContactActivity(activity.messageKey(), activity.contact(), activity.role(), activity.direction(),
                activity.date(), activity.subject(), activity.from(), message.folder(), activity.threadId());
    }

    private static void checkAccountId(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        if (accountId.isBlank()) {
            throw new IllegalArgumentException("The account id is empty: give the id of the account being synced");
        }
    }

    /** Within one UIDVALIDITY the last UID never goes back; a new UIDVALIDITY starts over. */
    private static FolderCheckpoint later(FolderCheckpoint recorded, FolderCheckpoint committed) {
        return recorded.merged(committed);
    }

    private record FolderId(String accountId, String folder) {
    }

    private record ActivityId(MessageKey messageKey, String contactId, ParticipantRole role) {
    }

    private record Recorded(String accountId, ContactActivity activity) {
    }

    /**
     * One contact's history: appended as recorded, sorted when read (a sync appends thousands of
     * entries for every read, so keeping it sorted on every append would cost more).
     */
    private static final class History {
        private final List<Recorded> entries = new ArrayList<>();
        private boolean sorted = true;

        void add(Recorded entry) {
            entries.add(entry);
            sorted = false;
        }

        /** Removes the account's entries; answers whether none are left. */
        boolean removeAccount(String accountId) {
            entries.removeIf(entry -> entry.accountId().equals(accountId));
            return entries.isEmpty();
        }

        List<Recorded> newestFirst() {
            if (!sorted) {
                entries.sort(HISTORY_ORDER);
                sorted = true;
            }
            return entries;
        }
    }

    private static final class Account {
        final Map<MessageKey, SyncedMessage> messages = new LinkedHashMap<>();
        final Map<MessageKey, Long> uidValidity = new HashMap<>();
        final Map<ActivityId, ContactActivity> activities = new LinkedHashMap<>();
    }
}
