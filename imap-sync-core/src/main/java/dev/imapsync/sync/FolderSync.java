package dev.imapsync.sync;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.mail.FolderState;
import dev.imapsync.internal.mail.MailboxConnection;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.sync.SyncListener.BatchProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync of one folder over an open connection: checkpoint, EXAMINE, the plan (nothing new,
 * first sync in the initial window, or the UIDs above the checkpoint), then batches of UID
 * ranges, each fetched, parsed, matched and committed together with its checkpoint. When the
 * folder has more than one batch to read, the next batch is fetched on a second thread while
 * the last one is matched and committed ({@link FetchAhead}). The matcher and the store are
 * called through {@link HostCalls}, so that neither can hold the sync past its deadline.
 */
final class FolderSync {
    private static final Logger LOG = LoggerFactory.getLogger(FolderSync.class);

    private final ImapAccount account;
    private final SyncStore store;
    private final ContactMatcher matcher;
    private final HeaderParser parser;
    private final SyncOptions options;
    private final SyncListener listener;
    private final Clock clock;
    private final Set<String> ownAddresses;
    private final HostCalls host;

    /** @param host where the matcher and the store are called, within the sync's deadline */
    FolderSync(ImapAccount account, SyncStore store, ContactMatcher matcher, HeaderParser parser, SyncOptions options,
               SyncListener listener, Clock clock, Set<String> ownAddresses, HostCalls host) {
        this.account = account;
        this.store = store;
        this.matcher = matcher;
        this.parser = parser;
        this.options = options;
        this.listener = listener;
        this.clock = clock;
        this.ownAddresses = ownAddresses;
        this.host = host;
    }

    /** Progress of one folder, so that a failure can still report what was done. */
    static final class Tally {
        long uidValidity;
        long fetched;
        long matched;
        long skipped;
        long newActivities;
        long lastUid;
        boolean upToDate;
        final List<String> warnings = new ArrayList<>();
    }

    /**
     * Syncs the folder. Batches committed before a failure stay committed.
     *
     * @throws ConnectionFailure when the connection fails
     * @throws HostCalls.Overrun when the sync's deadline passes while the matcher or the store runs
     * @throws ImapSyncException when the matcher or the store fails, naming the account and folder
     */
    void run(MailboxConnection connection, MailFolder folder, Tally tally) throws ConnectionFailure, HostCalls.Overrun {
        String name = folder.name();
        Optional<FolderCheckpoint> checkpoint = checkpoint(name);
        try (FolderReader reader = connection.examine(MailFolder.decodeName(name))) {
            FolderState state = reader.state();
            tally.uidValidity = state.uidValidity();
            long uidNext = state.uidNext();
            long known = checkpoint.map(FolderCheckpoint::lastUid).orElse(0L);
            if (uidNext <= 0) {
                long[] max = reader.searchFrom(known + 1);
                uidNext = Math.max(max[0], known) + 1;
            }
            long highest = uidNext - 1;
            OptionalLong modSeq = state.highestModSeq() > 0 ? OptionalLong.of(state.highestModSeq()) : OptionalLong.empty();

            boolean sameValidity = checkpoint.isPresent() && checkpoint.get().uidValidity() == state.uidValidity();
            if (checkpoint.isPresent() && !sameValidity) {
                tally.warnings.add("UIDVALIDITY changed from " + checkpoint.get().uidValidity() + " to "
                        + state.uidValidity() + " (the folder was recreated or restored): its messages are read again"
                        + " for the initial window; history keeps each message once");
            }
            long from;
            long estimated;
            Instant notBefore;
            if (sameValidity) {
                tally.lastUid = known;
                if (highest <= known) {
                    tally.upToDate = true;
                    listener(l -> l.folderStarted(account.id(), name, 0));
                    return;
                }
                from = known + 1;
                estimated = Math.min(state.exists(), highest - known);
                notBefore = null;
            } else {
                LocalDate since = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                        .minusDays(options.initialWindow().toDays());
                long[] found = reader.searchSince(since);
                notBefore = since.atStartOfDay(ZoneOffset.UTC).toInstant();
                estimated = found[1];
                if (found[0] < 0) {
                    // nothing in the window: remember how far the folder goes, so the next sync reads only new mail
                    commit(new SyncBatch(name, List.of(), List.of(),
                            new FolderCheckpoint(name, state.uidValidity(), highest, modSeq), ownAddresses));
                    tally.lastUid = highest;
                    listener(l -> l.folderStarted(account.id(), name, 0));
                    return;
                }
                from = found[0];
                tally.lastUid = 0;
            }
            listener(l -> l.folderStarted(account.id(), name, estimated));
            fetchBatches(reader, folder, state.uidValidity(), from, highest, modSeq, notBefore, estimated, tally);
        }
    }

    private void fetchBatches(FolderReader reader, MailFolder folder, long uidValidity, long from, long highest,
                              OptionalLong finalModSeq, Instant notBefore, long estimated, Tally tally)
            throws ConnectionFailure, HostCalls.Overrun {
        String name = folder.name();
        MessageMapper mapper = new MessageMapper(ownAddresses, name, folder.hasRole(FolderRole.SENT));
        long done = 0;
        BatchFetcher fetcher = new BatchFetcher(reader, parser, options, from, highest);
        try (BatchSource batches = estimated > options.batchSize()
                ? FetchAhead.start(fetcher, "imap-sync-fetch-" + account.id(), "Account " + account.id()
                        + ", folder " + name)
                : fetcher) {
            FetchedBatch batch;
            while ((batch = batches.next()) != null) {
                tally.warnings.addAll(batch.problems());
                tally.skipped += batch.unreadable();
                int returned = batch.messages().size();
                tally.fetched += returned;
                done += returned;

                long commitStarted = System.nanoTime();
                List<MessageMapper.Parsed> recorded = new ArrayList<>(returned);
                for (MessageMapper.Parsed p : batch.messages()) {
                    if (notBefore != null && p.internalDateMillis() >= 0
                            && p.internalDateMillis() < notBefore.toEpochMilli()) {
                        tally.skipped++;
                    } else {
                        recorded.add(p);
                    }
                }
                // the batch's addresses: those of messages before the window too, which only costs a few look-ups
                Map<String, List<ContactRef>> contacts = recorded.isEmpty() ? Map.of()
                        : matchContacts(name, batch.addresses());
                MessageMapper.Mapped mapped = mapper.map(recorded, contacts);
                boolean last = batch.to() >= highest;
                FolderCheckpoint checkpoint = new FolderCheckpoint(name, uidValidity, batch.to(),
                        last ? finalModSeq : OptionalLong.empty());
                CommitResult result = commit(new SyncBatch(name, mapped.messages(), mapped.activities(), checkpoint,
                        ownAddresses));
                tally.matched += mapped.matchedMessages();
                tally.newActivities += result.newActivities();
                tally.lastUid = batch.to();
                Duration commitTime = Duration.ofNanos(System.nanoTime() - commitStarted);
                long doneSoFar = done;
                FetchedBatch b = batch;
                listener(l -> l.batchCommitted(account.id(), name, new BatchProgress(doneSoFar,
                        Math.max(estimated, doneSoFar), returned, b.fetchTime(), commitTime)));
                LOG.debug("account {}: folder {}: UIDs {}:{} gave {} messages in {} ms, committed in {} ms",
                        account.id(), name, batch.from(), batch.to(), returned, batch.fetchTime().toMillis(),
                        commitTime.toMillis());
            }
        }
    }

    /** The matcher's answer for a batch's addresses, on the host thread, checked: a bad answer is its failure. */
    private Map<String, List<ContactRef>> matchContacts(String folder, Set<String> addresses) throws HostCalls.Overrun {
        String doing = "matching the " + addresses.size() + " addresses of a batch";
        return host.call(HostCalls.Part.MATCHER, folder, doing, () -> {
            Map<String, List<ContactRef>> found;
            try {
                found = matcher.matchAll(Collections.unmodifiableSet(addresses));
                checkAnswer(found);
            } catch (RuntimeException e) {
                throw new ImapSyncException("Account " + account.id() + ", folder " + folder + ": the contact matcher"
                        + " failed, so this batch was not recorded and the sync stopped; the next sync retries it."
                        + " Fix the matcher: " + e, e);
            }
            return found;
        });
    }

    /** A matcher's answer may leave addresses out and name a contact twice, but holds no null. */
    private static void checkAnswer(Map<String, List<ContactRef>> found) {
        if (found == null) {
            throw new NullPointerException("matchAll returned null; return an empty map when nothing matches");
        }
        for (Map.Entry<String, List<ContactRef>> e : found.entrySet()) {
            List<ContactRef> refs = e.getValue();
            if (refs == null) {
                continue; // as if absent
            }
            for (ContactRef ref : refs) {
                if (ref == null) {
                    throw new NullPointerException("matchAll answered a null contact for " + e.getKey()
                            + "; leave out what does not match");
                }
            }
        }
    }

    private Optional<FolderCheckpoint> checkpoint(String folder) throws HostCalls.Overrun {
        return host.call(HostCalls.Part.STORE, folder, "reading the checkpoint of folder " + folder, () -> {
            try {
                return store.checkpoint(account.id(), folder);
            } catch (ImapSyncException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ImapSyncException("Account " + account.id() + ", folder " + folder + ": reading its"
                        + " checkpoint failed, so the folder was not synced. Check the store: " + e, e);
            }
        });
    }

    private CommitResult commit(SyncBatch batch) throws HostCalls.Overrun {
        String doing = "committing a batch of " + batch.messages().size() + " messages";
        return host.call(HostCalls.Part.STORE, batch.folder(), doing, () -> {
            try {
                return store.commit(account.id(), batch);
            } catch (ImapSyncException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ImapSyncException("Account " + account.id() + ", folder " + batch.folder() + ": storing a"
                        + " batch failed, so nothing of it was recorded; the next sync retries it. Check the store: "
                        + e, e);
            }
        });
    }

    private interface ListenerCall {
        void call(SyncListener listener);
    }

    private void listener(ListenerCall call) {
        try {
            call.call(listener);
        } catch (RuntimeException e) {
            LOG.warn("account {}: the sync listener threw, ignored: {}", account.id(), e.toString());
        }
    }
}
