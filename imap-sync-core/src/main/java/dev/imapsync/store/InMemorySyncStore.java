package dev.imapsync.store;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.RemovalCounts;
import dev.imapsync.policy.Retention;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncStore.ResetResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A {@link SyncStore}, {@link TimelineStore} and {@link PrivacyStore} in memory, for tests and
 * demos: everything is lost when the process ends. It keeps the three contracts to the letter and is the reference the
 * JDBC store follows; history entries with the same date and message key are ordered by role,
 * then account id. Its timeline cursors are base64url of {@code v1|<epoch seconds>|<nanos>|<message key>}:
 * the position of the page's last entry, so paging stays stable while syncs add mail.
 *
 * <p>Thread-safe: commits and reads are serialized by one lock. Besides the SPI it answers what
 * was recorded per account ({@link #messages}, {@link #activities} and their counts), for tests
 * and the demo.
 */
public final class InMemorySyncStore implements SyncStore, StatusStore, TimelineStore, PrivacyStore {

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
    /** The blocklist, in the order {@link #blockEntries} answers. */
    private final Set<BlockEntry> blocked = new TreeSet<>(BLOCK_ORDER);
    /** Unblocked entries each account's next sync reads mail for again, oldest first. */
    private final Map<String, Set<BlockEntry>> revisits = new HashMap<>();
    /** Suppression entries: {@link PrivacyRules#addressHash} of every erased address. */
    private final Set<String> erasedHashes = new HashSet<>();

    /** Company-wide entries first, then by account, kind and value. */
    private static final Comparator<BlockEntry> BLOCK_ORDER =
            Comparator.comparing((BlockEntry e) -> e.accountId().orElse(""))
                    .thenComparing(BlockEntry::kind)
                    .thenComparing(BlockEntry::value);

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
     * Forgets the account's checkpoints and revisits and, with {@code purgeHistory}, its messages
     * and history entries, in one step under the store's lock.
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
            revisits.remove(accountId); // the next sync reads every folder's window afresh
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

    // PrivacyStore

    /** The account's block entries, every suppression entry, and the own addresses of every account that committed. */
    @Override
    public PrivacyRules rules(String accountId) {
        checkAccountId(accountId);
        synchronized (lock) {
            return new PrivacyRules(blocked.stream().filter(e -> e.appliesTo(accountId)).toList(), erasedHashes,
                    ownAddresses);
        }
    }

    /** Adds the entry and purges, in one step under the store's lock, what the accounts it applies to recorded of it. */
    @Override
    public BlockResult block(BlockEntry entry) {
        Objects.requireNonNull(entry, "entry");
        synchronized (lock) {
            boolean added = blocked.add(entry);
            revisits.values().forEach(pending -> pending.remove(entry)); // its mail is kept out again
            Map<String, RemovalCounts> purged = new TreeMap<>();
            Set<String> contacts = new HashSet<>();
            for (Map.Entry<String, Account> held : accounts.entrySet()) {
                if (!entry.appliesTo(held.getKey())) {
                    continue;
                }
                Account account = held.getValue();
                Set<MessageKey> doomed = new HashSet<>();
                account.messages.values().stream().filter(m -> entry.blocks(m.sender().normalized()))
                        .forEach(m -> doomed.add(m.key()));
                account.activities.values().stream().filter(a -> !a.address().isEmpty() && entry.blocks(a.address()))
                        .forEach(a -> doomed.add(a.messageKey()));
                RemovalCounts removed = delete(account, doomed, contacts);
                if (!removed.equals(RemovalCounts.NONE)) {
                    purged.put(held.getKey(), removed);
                }
            }
            rebuildContacts(contacts);
            return new BlockResult(entry, added, purged);
        }
    }

    /** Removes the entry and records a revisit for every account it applied to that has synced. */
    @Override
    public boolean unblock(BlockEntry entry) {
        Objects.requireNonNull(entry, "entry");
        synchronized (lock) {
            if (!blocked.remove(entry)) {
                return false;
            }
            Set<String> synced = new TreeSet<>(accounts.keySet());
            checkpoints.keySet().forEach(id -> synced.add(id.accountId()));
            for (String accountId : synced) {
                if (entry.appliesTo(accountId)) {
                    revisits.computeIfAbsent(accountId, id -> new LinkedHashSet<>()).add(entry);
                }
            }
            return true;
        }
    }

    @Override
    public List<BlockEntry> blockEntries() {
        synchronized (lock) {
            return List.copyOf(blocked);
        }
    }

    @Override
    public List<BlockEntry> revisits(String accountId) {
        checkAccountId(accountId);
        synchronized (lock) {
            return List.copyOf(revisits.getOrDefault(accountId, Set.of()));
        }
    }

    @Override
    public void revisited(String accountId, List<BlockEntry> entries) {
        checkAccountId(accountId);
        Objects.requireNonNull(entries, "entries");
        synchronized (lock) {
            Set<BlockEntry> pending = revisits.get(accountId);
            if (pending != null) {
                entries.forEach(pending::remove);
                if (pending.isEmpty()) {
                    revisits.remove(accountId);
                }
            }
        }
    }

    /**
     * Erases the address in one step under the store's lock: the history entries it made, the
     * sender of the messages it sent (in the messages and in the other contacts' entries) with
     * their previews, previews that name it, and the messages it touched that are left without
     * any history entry; then keeps its hash.
     *
     * @throws IllegalArgumentException if the address is not an email address
     */
    @Override
    public ErasureResult erase(String address) {
        String erased = erasable(address);
        synchronized (lock) {
            erasedHashes.add(PrivacyRules.addressHash(erased));
            Map<String, RemovalCounts> removed = new TreeMap<>();
            Set<String> contacts = new HashSet<>();
            for (Map.Entry<String, Account> held : accounts.entrySet()) {
                RemovalCounts counts = erase(held.getValue(), erased, contacts);
                if (!counts.equals(RemovalCounts.NONE)) {
                    removed.put(held.getKey(), counts);
                }
            }
            rebuildContacts(contacts);
            return new ErasureResult(erased, removed);
        }
    }

    private RemovalCounts erase(Account account, String erased, Set<String> contacts) {
        Set<MessageKey> touched = new HashSet<>();
        long entries = 0;
        for (var it = account.activities.values().iterator(); it.hasNext(); ) {
            ContactActivity activity = it.next();
            if (activity.address().equals(erased)) {
                it.remove();
                touched.add(activity.messageKey());
                contacts.add(activity.contact().id());
                entries++;
            }
        }
        Set<MessageKey> sent = new HashSet<>();
        for (SyncedMessage m : account.messages.values()) {
            if (m.sender().normalized().equals(erased)) {
                sent.add(m.key());
            }
        }
        touched.addAll(sent);
        Set<MessageKey> withActivities = new HashSet<>();
        account.activities.keySet().forEach(id -> withActivities.add(id.messageKey()));
        Set<MessageKey> orphans = new HashSet<>(touched);
        orphans.removeAll(withActivities);
        long messages = delete(account, orphans, contacts).messages();
        long previews = 0;
        for (Map.Entry<MessageKey, SyncedMessage> e : account.messages.entrySet()) {
            SyncedMessage m = e.getValue();
            boolean wrote = sent.contains(m.key());
            boolean named = m.preview().isPresent() && names(m.preview().get(), erased);
            if (!wrote && !named) {
                continue;
            }
            if (m.preview().isPresent()) {
                previews++;
            }
            EmailAddress sender = wrote ? new EmailAddress("", "", "") : m.sender();
            e.setValue(new SyncedMessage(m.key(), m.folder(), m.uid(), m.date(), sender, m.subject(), m.size(),
                    m.direction(), m.threadId(), Optional.empty(), m.bulk()));
            contacts.addAll(contactsByMessage.getOrDefault(m.key(), Set.of()));
        }
        if (!sent.isEmpty()) {
            account.activities.replaceAll((id, a) -> sent.contains(a.messageKey()) && !a.from().isEmpty()
                    ? new ContactActivity(a.messageKey(), a.contact(), a.role(), a.direction(), a.date(), a.subject(),
                    "", a.folder(), a.threadId(), a.address())
                    : a);
        }
        return new RemovalCounts(entries, messages, previews);
    }

    /** Whether a preview's text or an attachment's name mentions the address (case-insensitive). */
    private static boolean names(MessagePreview preview, String erased) {
        Predicate<String> mentions = text -> text.toLowerCase(Locale.ROOT).contains(erased);
        return mentions.test(preview.text())
                || preview.attachments().stream().anyMatch(a -> mentions.test(a.name()));
    }

    private static String erasable(String address) {
        Objects.requireNonNull(address, "address");
        String normalized = EmailAddress.normalize(address);
        int at = normalized.lastIndexOf('@');
        if (at <= 0 || at == normalized.length() - 1) {
            throw new IllegalArgumentException("Not an email address: '" + address + "' (give the address to erase,"
                    + " e.g. ann@example.com)");
        }
        return normalized;
    }

    /**
     * Drops, in one step under the store's lock, the previews of messages dated before
     * {@code now - retention.previews()} and, with {@code retention.entries()}, the messages
     * (with their history entries) dated before {@code now} minus that.
     */
    @Override
    public Retention.Result applyRetention(Retention retention, Instant now) {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(now, "now");
        synchronized (lock) {
            Set<String> contacts = new HashSet<>();
            long entries = 0;
            long messages = 0;
            if (retention.entries().isPresent()) {
                Instant before = now.minus(retention.entries().get());
                for (Account account : accounts.values()) {
                    Set<MessageKey> old = new HashSet<>();
                    account.messages.values().stream().filter(m -> m.date().isBefore(before))
                            .forEach(m -> old.add(m.key()));
                    RemovalCounts removed = delete(account, old, contacts);
                    entries += removed.entries();
                    messages += removed.messages();
                }
            }
            Instant before = now.minus(retention.previews());
            long previews = 0;
            for (Account account : accounts.values()) {
                for (Map.Entry<MessageKey, SyncedMessage> e : account.messages.entrySet()) {
                    SyncedMessage m = e.getValue();
                    if (m.preview().isPresent() && m.date().isBefore(before)) {
                        e.setValue(new SyncedMessage(m.key(), m.folder(), m.uid(), m.date(), m.sender(), m.subject(),
                                m.size(), m.direction(), m.threadId(), Optional.empty(), m.bulk()));
                        contacts.addAll(contactsByMessage.getOrDefault(m.key(), Set.of()));
                        previews++;
                    }
                }
            }
            rebuildContacts(contacts);
            return new Retention.Result(previews, entries, messages);
        }
    }

    /**
     * Deletes these messages of the account with their history entries; adds the contacts whose
     * history or timeline showed them, to be rebuilt. Counts no previews.
     */
    private RemovalCounts delete(Account account, Set<MessageKey> keys, Set<String> contacts) {
        if (keys.isEmpty()) {
            return RemovalCounts.NONE;
        }
        long messages = 0;
        for (MessageKey key : keys) {
            if (account.messages.remove(key) != null) {
                messages++;
            }
            account.uidValidity.remove(key);
            contacts.addAll(contactsByMessage.getOrDefault(key, Set.of()));
        }
        long entries = 0;
        for (var it = account.activities.keySet().iterator(); it.hasNext(); ) {
            ActivityId id = it.next();
            if (keys.contains(id.messageKey())) {
                it.remove();
                contacts.add(id.contactId());
                entries++;
            }
        }
        return new RemovalCounts(entries, messages, 0);
    }

    /** The histories and timelines of these contacts again from what the accounts hold now. */
    private void rebuildContacts(Set<String> contactIds) {
        if (contactIds.isEmpty()) {
            return;
        }
        contactIds.forEach(historyByContact::remove);
        for (Map.Entry<String, Account> account : accounts.entrySet()) {
            for (Map.Entry<ActivityId, ContactActivity> a : account.getValue().activities.entrySet()) {
                if (contactIds.contains(a.getKey().contactId())) {
                    historyByContact.computeIfAbsent(a.getKey().contactId(), c -> new History())
                            .add(new Recorded(account.getKey(), a.getValue()));
                }
            }
        }
        rebuildTimelines(contactIds);
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
                activity.date(), activity.subject(), activity.from(), message.folder(), activity.threadId(),
                activity.address());
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
