package dev.imapsync.store;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncStore.ResetResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SyncStore} in memory, for tests and demos: everything is lost when the process ends.
 * It keeps the {@code SyncStore} contract to the letter and is the reference the JDBC store
 * follows; history entries with the same date and message key are ordered by role, then account
 * id.
 *
 * <p>Thread-safe: commits and reads are serialized by one lock. Besides the SPI it answers what
 * was recorded per account ({@link #messages}, {@link #activities} and their counts), for tests
 * and the demo.
 */
public final class InMemorySyncStore implements SyncStore, StatusStore {

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
            int newMessages = 0;
            for (SyncedMessage message : batch.messages()) {
                if (account.messages.putIfAbsent(message.key(), message) == null) {
                    newMessages++;
                }
            }
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
            for (ActivityId id : purged.activities.keySet()) {
                History history = historyByContact.get(id.contactId());
                if (history != null && history.removeAccount(accountId)) {
                    historyByContact.remove(id.contactId());
                }
            }
            return new ResetResult(folders, purged.messages.size(), purged.activities.size());
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
        final Map<ActivityId, ContactActivity> activities = new LinkedHashMap<>();
    }
}
