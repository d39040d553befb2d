package dev.imapsync.sync;

import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.mail.FolderState;
import dev.imapsync.internal.mail.MailboxConnection;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.policy.MessageFacts;
import dev.imapsync.policy.Verdict;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.sync.SyncListener.BatchProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync of one folder over an open connection: checkpoint, EXAMINE, the plan (nothing new,
 * first sync in the initial window, or the UIDs above the checkpoint, then the older messages a
 * widened window imports: {@link OlderMessages}), then batches of UID ranges, each fetched,
 * parsed, passed through the privacy rules (an excluded message is counted under its rule and
 * goes no further: not matched, not committed, no preview), matched and committed together with
 * its checkpoint, as much of it as the account's visibility keeps. When the
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
    private final SyncPrivacy privacy;

    /** A folder sync without privacy rules. */
    FolderSync(ImapAccount account, SyncStore store, ContactMatcher matcher, HeaderParser parser, SyncOptions options,
               SyncListener listener, Clock clock, Set<String> ownAddresses, HostCalls host) {
        this(account, store, matcher, parser, options, listener, clock, ownAddresses, host, SyncPrivacy.NONE);
    }

    /**
     * @param host    where the matcher and the store are called, within the sync's deadline
     * @param privacy the rules every message passes, the account's visibility, the revisits
     */
    FolderSync(ImapAccount account, SyncStore store, ContactMatcher matcher, HeaderParser parser, SyncOptions options,
               SyncListener listener, Clock clock, Set<String> ownAddresses, HostCalls host, SyncPrivacy privacy) {
        this.account = account;
        this.store = store;
        this.matcher = matcher;
        this.parser = parser;
        this.options = options;
        this.listener = listener;
        this.clock = clock;
        this.ownAddresses = ownAddresses;
        this.host = host;
        this.privacy = privacy;
    }

    /** Progress of one folder, so that a failure can still report what was done. */
    static final class Tally {
        long uidValidity;
        long fetched;
        long matched;
        long skipped;
        long newActivities;
        long lastUid;
        long leftOut;
        boolean upToDate;
        /** Messages the privacy policies kept out, by rule. */
        final Map<String, Long> excluded = new TreeMap<>();
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
            LocalDate since = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                    .minusDays(options.initialWindow().toDays());
            Instant windowStart = since.atStartOfDay(ZoneOffset.UTC).toInstant();

            boolean sameValidity = checkpoint.isPresent() && checkpoint.get().uidValidity() == state.uidValidity();
            if (checkpoint.isPresent() && !sameValidity) {
                tally.warnings.add("UIDVALIDITY changed from " + checkpoint.get().uidValidity() + " to "
                        + state.uidValidity() + " (the folder was recreated or restored): its messages are read again"
                        + " for the initial window; history keeps each message once");
            }
            if (!sameValidity) {
                firstSync(reader, folder, state, highest, modSeq, since, windowStart, tally);
                return;
            }
            FolderCheckpoint recorded = checkpoint.get();
            tally.lastUid = known;
            Optional<OlderMessages> older = OlderMessages.plan(recorded, windowStart);
            if (highest <= known && older.isEmpty() && privacy.revisits().isEmpty()) {
                tally.upToDate = true;
                listener(l -> l.folderStarted(account.id(), name, 0));
                return;
            }
            long[] olderUids = older.isPresent() ? older.get().find(reader) : new long[0];
            long newer = highest > known ? Math.min(state.exists(), highest - known) : 0;
            long estimated = newer + olderUids.length;
            listener(l -> l.folderStarted(account.id(), name, estimated));
            FolderCheckpoint current = recorded;
            if (highest > known) {
                fetchBatches(reader, folder, new BatchFetcher(reader, parser, options, known + 1, highest), null,
                        newer, 0, tally, batch -> recorded.advancedTo(batch.to(),
                                batch.to() >= highest ? modSeq : OptionalLong.empty()));
                current = recorded.advancedTo(highest, modSeq);
            }
            if (older.isPresent()) {
                backfill(reader, folder, older.get(), olderUids, current, newer, tally);
                LocalDate newStart = LocalDate.ofInstant(older.get().target(), ZoneOffset.UTC);
                tally.leftOut = Math.max(0, state.exists() - reader.searchSince(newStart)[1]);
            }
            if (!privacy.revisits().isEmpty() && known > 0) {
                // committed with the checkpoint the sync left (the stores keep the later commit's HIGHESTMODSEQ)
                FolderCheckpoint last = older.isPresent() ? older.get().after(current, 1, true) : current;
                Instant from = older.map(OlderMessages::target).orElse(recorded.windowStart().orElse(windowStart));
                revisit(reader, folder, known, from, last, tally);
            }
        }
    }

    /**
     * Reads again, in the window, the mail of entries unblocked since the last sync: the UIDs up to
     * the checkpoint a SEARCH finds for their addresses or domains, fetched like a backfill; the
     * checkpoint does not move, and the stores' keys make it idempotent. A folder synced afresh
     * (first sync, UIDVALIDITY changed) reads its whole window anyway and needs none.
     */
    private void revisit(FolderReader reader, MailFolder folder, long known, Instant since,
                         FolderCheckpoint checkpoint, Tally tally) throws ConnectionFailure, HostCalls.Overrun {
        long[] uids = reader.searchUids(RevisitSearch.criteria(privacy.revisits(), known,
                LocalDate.ofInstant(since, ZoneOffset.UTC)));
        LOG.debug("account {}: folder {}: {} message(s) to read again after an unblock", account.id(), folder.name(),
                uids.length);
        if (uids.length == 0) {
            return;
        }
        fetchBatches(reader, folder, new BackfillFetcher(reader, parser, options, uids), since, uids.length, 0,
                tally, batch -> checkpoint);
    }

    /** A folder's first sync (or its first since UIDVALIDITY changed): the messages in the window. */
    private void firstSync(FolderReader reader, MailFolder folder, FolderState state, long highest,
                           OptionalLong modSeq, LocalDate since, Instant windowStart, Tally tally)
            throws ConnectionFailure, HostCalls.Overrun {
        String name = folder.name();
        long[] found = reader.searchSince(since);
        long estimated = found[1];
        // the messages the window leaves out: all but those SINCE its start (none is newer than the search)
        tally.leftOut = Math.max(0, state.exists() - found[1]);
        if (found[0] < 0) {
            // nothing in the window: remember how far the folder goes, so the next sync reads only new mail
            FolderCheckpoint checkpoint = new FolderCheckpoint(name, state.uidValidity(), highest, modSeq)
                    .withWindow(windowStart, 1);
            commit(new SyncBatch(name, List.of(), List.of(), checkpoint, ownAddresses));
            tally.lastUid = highest;
            listener(l -> l.folderStarted(account.id(), name, 0));
            return;
        }
        tally.lastUid = 0;
        listener(l -> l.folderStarted(account.id(), name, estimated));
        // below the window's first message none is in the window: it is complete (lowest UID 1) batch by batch
        fetchBatches(reader, folder, new BatchFetcher(reader, parser, options, found[0], highest), windowStart,
                estimated, 0, tally, batch -> new FolderCheckpoint(name, state.uidValidity(), batch.to(),
                        batch.to() >= highest ? modSeq : OptionalLong.empty()).withWindow(windowStart, 1));
    }

    /**
     * The older messages a widened window imports, newest first; each batch is committed with the
     * window imported down to its lowest UID, so that a sync stopped half-way goes on below it.
     */
    private void backfill(FolderReader reader, MailFolder folder, OlderMessages older, long[] uids,
                          FolderCheckpoint current, long doneBefore, Tally tally)
            throws ConnectionFailure, HostCalls.Overrun {
        if (uids.length == 0) {
            commit(new SyncBatch(folder.name(), List.of(), List.of(), older.after(current, 1, true), ownAddresses));
            return;
        }
        long lowest = uids[0];
        fetchBatches(reader, folder, new BackfillFetcher(reader, parser, options, uids), older.target(),
                doneBefore + uids.length, doneBefore, tally,
                batch -> older.after(current, batch.from(), batch.from() <= lowest));
    }

    /** The checkpoint a batch is committed with. */
    private interface CheckpointRule {
        FolderCheckpoint after(FetchedBatch batch);
    }

    /**
     * A batch matched and mapped whose previews are under way (its part fetches on the wire), not
     * committed yet.
     */
    private record Staged(FetchedBatch batch, MessageMapper.Mapped mapped, int returned, long done,
                          Set<MessageKey> matched, PreviewFetcher.Pending previews, long busyNanos) {
    }

    /**
     * Fetches, matches and commits batch after batch, in order.
     *
     * <p>With previews, a batch's preview fetches depend on each other (the part fetches on the
     * BODYSTRUCTURE), so they would cost two round trips per batch on this thread. Instead they
     * overlap with the next batch: this thread takes batch k+1 and writes its BODYSTRUCTURE fetch
     * before it reads batch k's part fetches and commits k; then it reads k+1's structures and
     * writes its part fetches, which are on the wire while it takes batch k+2. So the server
     * always has the next request queued. Batches are still committed one by one in UID order,
     * each with its own checkpoint (exactly-once does not change), and a failure on batch k+1
     * still lets batch k commit first, as before.
     *
     * @param notBefore messages dated before it are read but not recorded (null: all are recorded)
     * @param estimated the messages the folder's sync expects to read, with those done before
     * @param doneBefore messages this folder's sync read before these batches
     */
    private void fetchBatches(FolderReader reader, MailFolder folder, BatchSource fetcher, Instant notBefore,
                              long estimated, long doneBefore, Tally tally, CheckpointRule checkpoints)
            throws ConnectionFailure, HostCalls.Overrun {
        String name = folder.name();
        MessageMapper mapper = new MessageMapper(ownAddresses, name, folder.hasRole(FolderRole.SENT),
                privacy.visibility().keepsSubject());
        boolean previews = options.previews() && privacy.visibility().keepsContent();
        long done = doneBefore;
        // with previews this thread holds two batches (one committing, one with its previews under way),
        // so the fetch-ahead thread hands over without a queue: still at most four batches in memory
        try (BatchSource batches = estimated - doneBefore > options.batchSize()
                ? FetchAhead.start(fetcher, "imap-sync-fetch-" + account.id(), "Account " + account.id()
                        + ", folder " + name, previews ? 0 : 1)
                : fetcher) {
            Staged waiting = null;
            try {
                FetchedBatch batch;
                while ((batch = batches.next()) != null) {
                    done += batch.messages().size();
                    Staged staged = stage(reader, name, mapper, batch, done, notBefore, tally, previews);
                    if (waiting != null) {
                        Staged w = waiting;
                        waiting = null;
                        commitStaged(reader, w, name, estimated, tally, checkpoints);
                    }
                    if (staged.previews() == null) {
                        commitStaged(reader, staged, name, estimated, tally, checkpoints);
                    } else {
                        long started = System.nanoTime();
                        new PreviewFetcher(reader, options).askParts(staged.previews());
                        waiting = new Staged(staged.batch(), staged.mapped(), staged.returned(), staged.done(),
                                staged.matched(), staged.previews(), staged.busyNanos() + System.nanoTime() - started);
                    }
                }
                if (waiting != null) {
                    Staged w = waiting;
                    waiting = null;
                    commitStaged(reader, w, name, estimated, tally, checkpoints);
                }
            } catch (ConnectionFailure | HostCalls.Overrun | RuntimeException e) {
                if (waiting != null) {
                    // the batch before the failing one still commits, as it did before previews overlapped
                    try {
                        commitStaged(reader, waiting, name, estimated, tally, checkpoints);
                    } catch (ConnectionFailure | HostCalls.Overrun | RuntimeException also) {
                        e.addSuppressed(also);
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Keeps a batch's messages the rules allow, matches and maps them; with previews, writes the
     * BODYSTRUCTURE fetch of the matched messages without waiting for its answer.
     */
    private Staged stage(FolderReader reader, String name, MessageMapper mapper, FetchedBatch batch, long done,
                         Instant notBefore, Tally tally, boolean previews)
            throws ConnectionFailure, HostCalls.Overrun {
        long started = System.nanoTime();
        tally.warnings.addAll(batch.problems());
        tally.skipped += batch.unreadable();
        int returned = batch.messages().size();
        tally.fetched += returned;
        List<MessageMapper.Parsed> recorded = new ArrayList<>(returned);
        BitSet bulk = new BitSet();
        boolean excluded = false;
        for (MessageMapper.Parsed p : batch.messages()) {
            if (notBefore != null && p.internalDateMillis() >= 0
                    && p.internalDateMillis() < notBefore.toEpochMilli()) {
                tally.skipped++;
                continue;
            }
            // decided before matching and before any body byte is fetched
            Verdict verdict = decide(name, p);
            if (verdict.excludes()) {
                tally.excluded.merge(verdict.rule(), 1L, Long::sum);
                excluded = true;
                continue;
            }
            if (verdict.outcome() == Verdict.Outcome.RECORD_AS_BULK) {
                bulk.set(recorded.size());
            }
            recorded.add(p);
        }
        // the batch's addresses: those of messages before the window too, which only costs a few
        // look-ups; but no address of an excluded message reaches the matcher
        Set<String> addresses = excluded ? addressesOf(recorded) : batch.addresses();
        Map<String, List<ContactRef>> contacts = recorded.isEmpty() ? Map.of()
                : matchContacts(name, addresses);
        MessageMapper.Mapped mapped = mapper.map(recorded, bulk, contacts);
        Set<MessageKey> matched = null;
        PreviewFetcher.Pending pending = null;
        if (previews && !mapped.activities().isEmpty()) {
            // only the matched messages cost a BODYSTRUCTURE and the first bytes of a text part
            matched = new HashSet<>();
            for (ContactActivity a : mapped.activities()) {
                matched.add(a.messageKey());
            }
            Set<MessageKey> m = matched;
            long[] uids = mapped.messages().stream().filter(s -> m.contains(s.key()))
                    .mapToLong(SyncedMessage::uid).sorted().distinct().toArray();
            pending = new PreviewFetcher(reader, options).start(uids);
        }
        return new Staged(batch, mapped, returned, done, matched, pending, System.nanoTime() - started);
    }

    /** Reads a staged batch's previews (when it has some) and commits it with its checkpoint. */
    private void commitStaged(FolderReader reader, Staged staged, String name, long estimated, Tally tally,
                              CheckpointRule checkpoints) throws ConnectionFailure, HostCalls.Overrun {
        long started = System.nanoTime();
        FetchedBatch batch = staged.batch();
        MessageMapper.Mapped mapped = staged.mapped();
        List<SyncedMessage> messages = mapped.messages();
        if (staged.previews() != null) {
            PreviewFetcher.Result result = new PreviewFetcher(reader, options).finish(staged.previews());
            tally.warnings.addAll(result.warnings());
            messages = new ArrayList<>(mapped.messages().size());
            for (SyncedMessage m : mapped.messages()) {
                MessagePreview preview = staged.matched().contains(m.key()) ? result.previews().get(m.uid()) : null;
                messages.add(preview == null ? m : m.withPreview(preview));
            }
        }
        FolderCheckpoint checkpoint = checkpoints.after(batch);
        CommitResult result = commit(new SyncBatch(name, messages, mapped.activities(), checkpoint, ownAddresses));
        tally.matched += mapped.matchedMessages();
        tally.newActivities += result.newActivities();
        tally.lastUid = checkpoint.lastUid();
        // this thread's time on the batch: matching, previews and commit (not the waits for other batches)
        Duration commitTime = Duration.ofNanos(staged.busyNanos() + System.nanoTime() - started);
        long doneSoFar = staged.done();
        int returned = staged.returned();
        listener(l -> l.batchCommitted(account.id(), name, new BatchProgress(doneSoFar,
                Math.max(estimated, doneSoFar), returned, batch.fetchTime(), commitTime)));
        LOG.debug("account {}: folder {}: UIDs {}:{} gave {} messages in {} ms, committed in {} ms",
                account.id(), name, batch.from(), batch.to(), returned, batch.fetchTime().toMillis(),
                commitTime.toMillis());
    }

    /**
     * The privacy policies' verdict on one message, from its header facts.
     *
     * @throws ImapSyncException when a rule throws or answers null (a host rule's bug): the batch is
     *         not recorded
     */
    private Verdict decide(String folder, MessageMapper.Parsed p) {
        MessageHeaders h = p.headers();
        MessageFacts facts = new MessageFacts(account.id(), folder, h.from(), h.sender(), h.to(), h.cc(), h.bcc(),
                h.subject(), h.policyHeaders());
        Verdict verdict;
        try {
            verdict = privacy.policy().decide(facts);
        } catch (RuntimeException e) {
            throw new ImapSyncException("Account " + account.id() + ", folder " + folder + ": a privacy rule failed on"
                    + " the message of UID " + p.uid() + ", so its batch was not recorded and the sync stopped; the"
                    + " next sync retries it. Fix the rule (SyncEngine.Builder.policy): " + e, e);
        }
        if (verdict == null) {
            throw new ImapSyncException("Account " + account.id() + ", folder " + folder + ": a privacy rule answered"
                    + " null for the message of UID " + p.uid() + ", so its batch was not recorded and the sync stopped."
                    + " A MessagePolicy answers Verdict.record() when it has no objection.");
        }
        return verdict;
    }

    /** The distinct normalized addresses of these messages. */
    private static Set<String> addressesOf(List<MessageMapper.Parsed> messages) {
        Set<String> addresses = new HashSet<>(Math.max(16, messages.size() * 4));
        for (MessageMapper.Parsed p : messages) {
            MessageMapper.addAddresses(addresses, p.headers());
        }
        return addresses;
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
