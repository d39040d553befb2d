package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncStore.CommitResult;
import dev.imapsync.store.SyncedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SyncStore} promises, as JUnit 5 tests: a host application that stores
 * history in its own tables runs them against its store by a subclass that says how to make an
 * empty one. imap-sync runs them against {@code InMemorySyncStore} and {@code JdbcSyncStore}
 * (H2, PostgreSQL, MariaDB).
 *
 * <pre>{@code
 * class CrmSyncStoreTest extends SyncStoreContract {
 *     @Override
 *     protected SyncStore newStore() {
 *         return new CrmSyncStore(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>The status tests ({@link StatusStore}) run only when the store is a {@link StatusStore}
 * too; else they are skipped. Subclasses may add tests of their own and use the fixtures
 * ({@link #batchOf}, {@link #message}, {@link #activity}, {@link #checkpoint}).
 *
 * <p>Error messages are checked for their essentials only, so that implementations may word
 * them in their own way. Dates are whole seconds and message keys sort the same under any
 * collation, so that databases compare like Java does.
 */
public abstract class SyncStoreContract {
    protected static final String ACCOUNT = "acct-1";
    protected static final String OTHER_ACCOUNT = "acct-2";
    protected static final String INBOX = "INBOX";
    protected static final String ALL_MAIL = "[Gmail]/All Mail";
    protected static final ContactRef ANN = ContactRef.of("c-ann");
    protected static final ContactRef BOB = ContactRef.of("c-bob");
    protected static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    /** The store under test, made by {@link #newStore()} before each test. */
    protected SyncStore store;

    /** The store's status side: the store itself, when it keeps statuses too (both built-in stores do). */
    protected StatusStore statusStore() {
        Assumptions.assumeTrue(store instanceof StatusStore, "this store keeps no statuses");
        return (StatusStore) store;
    }

    /** A new, empty store; called before each test. */
    protected abstract SyncStore newStore();

    @BeforeEach
    final void createStore() {
        store = newStore();
    }

    @Test
    void knowsNothingBeforeTheFirstCommit() {
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
        assertThat(store.history(ANN.id(), 10)).isEmpty();
    }

    @Test
    void recordsMessagesActivitiesAndCheckpointOfABatch() {
        SyncedMessage first = message("mid:a1@example.com", INBOX, 1, T0);
        SyncedMessage second = message("mid:a2@example.com", INBOX, 2, T0.plusSeconds(60));
        ContactActivity annFrom = activity(first, ANN, ParticipantRole.FROM);
        ContactActivity annTo = activity(second, ANN, ParticipantRole.TO);
        ContactActivity bobCc = activity(second, BOB, ParticipantRole.CC);
        FolderCheckpoint checkpoint = checkpoint(INBOX, 7, 2, 1234);

        CommitResult result = store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(first, second),
                List.of(annFrom, annTo, bobCc), checkpoint));

        assertThat(result).isEqualTo(new CommitResult(2, 3));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint);
        assertThat(store.history(ANN.id(), 10)).containsExactly(annTo, annFrom);
        assertThat(store.history(BOB.id(), 10)).containsExactly(bobCc);
    }

    @Test
    void keepsEveryFieldOfAnActivity() {
        SyncedMessage sent = new SyncedMessage(MessageKey.ofGmailId(1_700_000_000_000_000_001L), INBOX, 9, T0,
                EmailAddress.of("Me", "me@example.com"), "Grüße aus Köln – 日本語 ✓", 4_096, Direction.OUTBOUND, Optional.of("1700000000000000000"));
        ContactActivity bcc = new ContactActivity(sent.key(), BOB, ParticipantRole.BCC, Direction.OUTBOUND, T0,
                sent.subject(), sent.from(), INBOX, sent.threadId());
        ContactActivity noThread = activity(message("h:00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff", INBOX, 10, T0.minusSeconds(1)),
                BOB, ParticipantRole.TO);

        store.commit(ACCOUNT, new SyncBatch(INBOX,
                List.of(sent, message(noThread.messageKey().value(), INBOX, 10, noThread.date())),
                List.of(bcc, noThread), checkpoint(INBOX, 1, 10, 0)));

        assertThat(store.history(BOB.id(), 10)).containsExactly(bcc, noThread);
    }

    @Test
    void changesNothingWhenABatchIsCommittedAgain() {
        SyncBatch batch = batchOf(INBOX, 7, 1, 2, 3);
        store.commit(ACCOUNT, batch);
        List<ContactActivity> history = store.history(ANN.id(), 100);

        CommitResult again = store.commit(ACCOUNT, batch);

        assertThat(again).isEqualTo(new CommitResult(0, 0));
        assertThat(store.history(ANN.id(), 100)).isEqualTo(history).hasSize(3);
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(batch.checkpoint());
    }

    @Test
    void recordsAMessageSeenInTwoFoldersOnceWithItsActivitiesOnce() {
        SyncedMessage inInbox = message("gm:1001", INBOX, 5, T0);
        SyncedMessage inAllMail = message("gm:1001", ALL_MAIL, 77, T0);
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(inInbox),
                List.of(activity(inInbox, ANN, ParticipantRole.FROM)), checkpoint(INBOX, 7, 5, 0)));

        CommitResult second = store.commit(ACCOUNT, new SyncBatch(ALL_MAIL, List.of(inAllMail),
                List.of(activity(inAllMail, ANN, ParticipantRole.FROM)), checkpoint(ALL_MAIL, 9, 77, 0)));

        assertThat(second).isEqualTo(new CommitResult(0, 0));
        assertThat(store.history(ANN.id(), 10)).singleElement()
                .satisfies(a -> assertThat(a.folder()).isEqualTo(INBOX));
        assertThat(store.checkpoint(ACCOUNT, ALL_MAIL)).contains(checkpoint(ALL_MAIL, 9, 77, 0));
    }

    @Test
    void recordsANewActivityOfAKnownMessageWithTheFolderTheMessageWasFirstRecordedFrom() {
        SyncedMessage inInbox = message("gm:1001", INBOX, 5, T0);
        SyncedMessage inAllMail = message("gm:1001", ALL_MAIL, 77, T0);
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(inInbox),
                List.of(activity(inInbox, ANN, ParticipantRole.FROM)), checkpoint(INBOX, 7, 5, 0)));

        // Bob became a contact between the two syncs
        CommitResult second = store.commit(ACCOUNT, new SyncBatch(ALL_MAIL, List.of(inAllMail),
                List.of(activity(inAllMail, ANN, ParticipantRole.FROM), activity(inAllMail, BOB, ParticipantRole.TO)),
                checkpoint(ALL_MAIL, 9, 77, 0)));

        assertThat(second).isEqualTo(new CommitResult(0, 1));
        assertThat(store.history(BOB.id(), 10)).singleElement()
                .satisfies(a -> assertThat(a.folder()).isEqualTo(INBOX));
    }

    @Test
    void countsAMessageTwiceInOneBatchOnce() {
        // two copies with one Message-ID in one folder: the first UID wins
        SyncedMessage copy1 = message("mid:dup@example.com", INBOX, 3, T0);
        SyncedMessage copy2 = message("mid:dup@example.com", INBOX, 4, T0);

        CommitResult result = store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(copy1, copy2),
                List.of(activity(copy1, ANN, ParticipantRole.TO), activity(copy2, ANN, ParticipantRole.TO)),
                checkpoint(INBOX, 7, 4, 0)));

        assertThat(result).isEqualTo(new CommitResult(1, 1));
        assertThat(store.history(ANN.id(), 10)).hasSize(1);
    }

    @Test
    void recordsOneContactInSeveralRolesOfAMessageOncePerRole() {
        SyncedMessage m = message("mid:roles@example.com", INBOX, 1, T0);

        CommitResult result = store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(m),
                List.of(activity(m, ANN, ParticipantRole.TO), activity(m, ANN, ParticipantRole.CC),
                        activity(m, ANN, ParticipantRole.TO)),
                checkpoint(INBOX, 7, 1, 0)));

        assertThat(result).isEqualTo(new CommitResult(1, 2));
        assertThat(store.history(ANN.id(), 10)).extracting(ContactActivity::role)
                .containsExactlyInAnyOrder(ParticipantRole.TO, ParticipantRole.CC);
    }

    @Test
    void keepsAccountsApart() {
        SyncBatch batch = batchOf(INBOX, 7, 1, 2);
        store.commit(ACCOUNT, batch);

        CommitResult other = store.commit(OTHER_ACCOUNT, batchOf(INBOX, 3, 1));

        assertThat(other).isEqualTo(new CommitResult(1, 1));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(batch.checkpoint());
        assertThat(store.checkpoint(OTHER_ACCOUNT, INBOX)).contains(checkpoint(INBOX, 3, 1, 0));
        assertThat(store.checkpoint(OTHER_ACCOUNT, ALL_MAIL)).isEmpty();
        // one message, in both accounts' mailboxes: in the contact's history once per account
        assertThat(store.history(ANN.id(), 10)).extracting(a -> a.messageKey().value())
                .containsExactly(key(2), key(1), key(1));
    }

    @Test
    void neverMovesACheckpointBackwards() {
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 100, 500)));

        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 50, 600)));

        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 100, 600));
    }

    @Test
    void movesACheckpointForwardsAndTakesTheLaterModSeq() {
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 100, 500)));

        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(),
                new FolderCheckpoint(INBOX, 7, 150, OptionalLong.empty())));

        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(new FolderCheckpoint(INBOX, 7, 150, OptionalLong.empty()));
    }

    @Test
    void keepsTheWindowACheckpointWasImportedWith() {
        Instant start = Instant.parse("2024-02-01T00:00:00Z");
        FolderCheckpoint windowed = checkpoint(INBOX, 7, 100, 500).withWindow(start, 1);

        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), windowed));

        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(windowed);
        assertThat(store.checkpoint(ACCOUNT, INBOX).orElseThrow().windowStart()).contains(start);
        assertThat(store.checkpoint(ACCOUNT, INBOX).orElseThrow().lowestUid()).isEqualTo(1);
    }

    @Test
    void widensAWindowBatchByBatchAndNeverNarrowsIt() {
        Instant first = Instant.parse("2024-02-01T00:00:00Z");
        Instant wider = Instant.parse("2023-03-01T00:00:00Z");
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 100, 0).withWindow(first, 1)));

        // a widening half done: the older window, imported down to UID 40
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 100, 0).withWindow(wider, 40)));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 100, 0).withWindow(wider, 40));

        // new mail committed with the window its sync started from moves the last UID, not the window
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 120, 0).withWindow(first, 1)));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 120, 0).withWindow(wider, 40));

        // a checkpoint without a window keeps the recorded one
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 121, 0)));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 121, 0).withWindow(wider, 40));

        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 121, 0).withWindow(wider, 1)));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 121, 0).withWindow(wider, 1));
    }

    @Test
    void resetForgetsTheAccountsCheckpointsAndKeepsItsHistory() {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 1, 2));
        store.commit(ACCOUNT, batchOf(ALL_MAIL, 3, 5));
        store.commit(OTHER_ACCOUNT, batchOf(INBOX, 9, 8));

        SyncStore.ResetResult result = store.reset(ACCOUNT, false);

        assertThat(result).isEqualTo(new SyncStore.ResetResult(2, 0, 0));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
        assertThat(store.checkpoint(ACCOUNT, ALL_MAIL)).isEmpty();
        assertThat(store.checkpoint(OTHER_ACCOUNT, INBOX)).isPresent();
        assertThat(store.history(ANN.id(), 10)).hasSize(4);
        // a sync after the reset records nothing twice
        assertThat(store.commit(ACCOUNT, batchOf(INBOX, 7, 1, 2, 3))).isEqualTo(new CommitResult(1, 1));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 7, 3, 0));
    }

    @Test
    void resetWithPurgeForgetsTheAccountsHistoryToo() {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 1, 2));
        store.commit(OTHER_ACCOUNT, batchOf(INBOX, 9, 2, 8));

        SyncStore.ResetResult result = store.reset(ACCOUNT, true);

        assertThat(result).isEqualTo(new SyncStore.ResetResult(1, 2, 2));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
        assertThat(store.history(ANN.id(), 10)).extracting(a -> a.messageKey().value())
                .containsExactly(key(8), key(2));
        assertThat(store.commit(ACCOUNT, batchOf(INBOX, 7, 1, 2))).isEqualTo(new CommitResult(2, 2));
        assertThat(store.reset("no-such-account", true)).isEqualTo(new SyncStore.ResetResult(0, 0, 0));
    }

    @Test
    void replacesACheckpointWhenUidValidityChanges() {
        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 7, 100, 500)));

        store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(), List.of(), checkpoint(INBOX, 8, 20, 30)));

        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 8, 20, 30));
    }

    @Test
    void keepsRecordedMessagesWhenUidValidityChanges() {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 1, 2));

        // the folder was rebuilt: the same messages come back under new UIDs
        CommitResult rescan = store.commit(ACCOUNT, batchOf(INBOX, 8, 1, 2));

        assertThat(rescan).isEqualTo(new CommitResult(0, 0));
        assertThat(store.checkpoint(ACCOUNT, INBOX)).contains(checkpoint(INBOX, 8, 2, 0));
    }

    @Test
    void listsHistoryNewestFirstThenByMessageKey() {
        SyncedMessage older = message("mid:c@example.com", INBOX, 1, T0);
        SyncedMessage newerB = message("mid:b@example.com", INBOX, 2, T0.plusSeconds(3600));
        SyncedMessage newerA = message("mid:a@example.com", INBOX, 3, T0.plusSeconds(3600));
        SyncedMessage newest = message("mid:d@example.com", INBOX, 4, T0.plusSeconds(7200));
        List<SyncedMessage> messages = List.of(older, newerB, newerA, newest);
        store.commit(ACCOUNT, new SyncBatch(INBOX, messages,
                messages.stream().map(m -> activity(m, ANN, ParticipantRole.TO)).toList(), checkpoint(INBOX, 7, 4, 0)));

        assertThat(store.history(ANN.id(), 10)).extracting(a -> a.messageKey().value())
                .containsExactly("mid:d@example.com", "mid:a@example.com", "mid:b@example.com", "mid:c@example.com");
        assertThat(store.history(ANN.id(), 2)).extracting(a -> a.messageKey().value())
                .containsExactly("mid:d@example.com", "mid:a@example.com");
        assertThat(store.history(ANN.id(), 1)).extracting(a -> a.messageKey().value())
                .containsExactly("mid:d@example.com");
    }

    @Test
    void listsHistoryAcrossBatchesAndFolders() {
        store.commit(ACCOUNT, batchOf(INBOX, 7, 1, 3));
        store.commit(ACCOUNT, batchOf(ALL_MAIL, 9, 2, 4));

        assertThat(store.history(ANN.id(), Integer.MAX_VALUE)).extracting(a -> a.messageKey().value())
                .containsExactly(key(4), key(3), key(2), key(1));
    }

    @Test
    void rejectsAHistoryLimitBelowOne() {
        assertThatThrownBy(() -> store.history(ANN.id(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> store.history(ANN.id(), -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
    }

    @Test
    void rejectsABatchWhoseCheckpointIsForAnotherFolder() {
        assertThatThrownBy(() -> new SyncBatch(INBOX, List.of(), List.of(), checkpoint(ALL_MAIL, 7, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The checkpoint is for folder [Gmail]/All Mail, the batch for INBOX");
    }

    @Test
    void rejectsAMessageFromAnotherFolderAndWritesNothing() {
        SyncedMessage good = message(key(1), INBOX, 1, T0);
        SyncedMessage stray = message(key(2), ALL_MAIL, 2, T0);
        // such a batch cannot even be built, so it can never reach a store
        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(good, stray),
                List.of(activity(good, ANN, ParticipantRole.TO)), checkpoint(INBOX, 7, 2, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ALL_MAIL).hasMessageContaining(INBOX);

        assertNothingWritten();
    }

    @Test
    void rejectsAnActivityWithoutItsMessageAndWritesNothing() {
        SyncedMessage good = message(key(1), INBOX, 1, T0);
        SyncedMessage absent = message(key(2), INBOX, 2, T0);
        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(INBOX, List.of(good),
                List.of(activity(good, ANN, ParticipantRole.TO), activity(absent, ANN, ParticipantRole.TO)),
                checkpoint(INBOX, 7, 2, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key(2));

        assertNothingWritten();
    }

    @Test
    void rejectsAUidOutOfRangeAndWritesNothing() {
        assertThatThrownBy(() -> store.commit(ACCOUNT, new SyncBatch(INBOX,
                List.of(message(key(1), INBOX, 1, T0), message(key(2), INBOX, 0, T0)), List.of(),
                checkpoint(INBOX, 7, 1, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UID 0");

        assertNothingWritten();
    }

    @Test
    void rejectsABlankAccountId() {
        assertThatThrownBy(() -> store.commit(" ", batchOf(INBOX, 7, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account");
        assertThatThrownBy(() -> store.checkpoint("", INBOX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account");
    }

    private void assertNothingWritten() {
        assertThat(store.checkpoint(ACCOUNT, INBOX)).isEmpty();
        assertThat(store.history(ANN.id(), 10)).isEmpty();
        // the valid part of the batch was not written either: committing it now is new
        assertThat(store.commit(ACCOUNT, batchOf(INBOX, 7, 1))).isEqualTo(new CommitResult(1, 1));
    }

    /**
     * Threads commit overlapping batches of the same messages (as two folders of one Gmail
     * account, or a rerun beside a run, would) in different orders: in the end each message and
     * each activity is recorded once, and the commits' counts add up to exactly that.
     */
    @Test
    void recordsEachMessageAndActivityOnceWhenThreadsCommitOverlappingBatches() throws Exception {
        int messages = 200;
        int batchSize = 20;
        int threads = 6;
        List<Callable<int[]>> workers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            String folder = t % 2 == 0 ? INBOX : ALL_MAIL;
            Random random = new Random(t);
            List<Integer> starts = new ArrayList<>();
            for (int first = 1; first <= messages; first += batchSize / 2) {
                starts.add(first);
            }
            Collections.shuffle(starts, random);
            workers.add(() -> {
                start.await();
                int[] added = new int[2];
                for (int first : starts) {
                    List<SyncedMessage> batch = new ArrayList<>();
                    List<ContactActivity> activities = new ArrayList<>();
                    for (int n = first; n < first + batchSize && n <= messages; n++) {
                        SyncedMessage m = message(key(n), folder, n, T0.plusSeconds(n));
                        batch.add(m);
                        activities.add(activity(m, ANN, ParticipantRole.FROM));
                        activities.add(activity(m, BOB, n % 2 == 0 ? ParticipantRole.TO : ParticipantRole.CC));
                    }
                    long lastUid = batch.get(batch.size() - 1).uid();
                    CommitResult result = store.commit(ACCOUNT,
                            new SyncBatch(folder, batch, activities, checkpoint(folder, 7, lastUid, lastUid)));
                    added[0] += result.newMessages();
                    added[1] += result.newActivities();
                }
                return added;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int newMessages = 0;
        int newActivities = 0;
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (Callable<int[]> worker : workers) {
                results.add(pool.submit(worker));
            }
            start.countDown();
            for (Future<int[]> result : results) {
                int[] added = result.get(60, TimeUnit.SECONDS);
                newMessages += added[0];
                newActivities += added[1];
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(newMessages).isEqualTo(messages);
        assertThat(newActivities).isEqualTo(2 * messages);
        assertThat(store.history(ANN.id(), Integer.MAX_VALUE)).hasSize(messages).doesNotHaveDuplicates();
        assertThat(store.history(BOB.id(), Integer.MAX_VALUE)).hasSize(messages).doesNotHaveDuplicates();
        assertThat(store.checkpoint(ACCOUNT, INBOX).orElseThrow().lastUid()).isEqualTo(messages);
        assertThat(store.checkpoint(ACCOUNT, ALL_MAIL).orElseThrow().lastUid()).isEqualTo(messages);
    }

    @Test
    void anAccountsStatusIsReplacedByTheLatestAttemptAndListedInOneCall() {
        StatusStore statuses = statusStore();
        AccountStatus failed = new AccountStatus(OTHER_ACCOUNT, SyncStatus.AUTH_FAILED, T0, Optional.empty(),
                "Account acct-2 at imap.example.com:993 (ssl): the server rejected the credentials.",
                "Check the password.", Optional.empty(), 0, 0);
        AccountStatus ok = new AccountStatus(ACCOUNT, SyncStatus.OK, T0, Optional.of(T0), "", "", Optional.empty(),
                120, 37);
        AccountStatus later = new AccountStatus(ACCOUNT, SyncStatus.CONNECTION_FAILED, T0.plusSeconds(300),
                Optional.of(T0), "Account acct-1: the connection was lost.", "Try again later.",
                Optional.of(T0.plusSeconds(600)), 3, 0);

        assertThat(statuses.status(ACCOUNT)).isEmpty();
        statuses.saveStatus(failed);
        statuses.saveStatus(ok);
        statuses.saveStatus(later);

        assertThat(statuses.status(ACCOUNT)).contains(later);
        assertThat(statuses.statuses()).containsExactly(later, failed);
    }

    // fixtures

    /** The message key of test message {@code n}. */
    protected static String key(int n) {
        return String.format("mid:m%04d@example.com", n);
    }

    /** Messages {@code key(n)} with UID n, one minute apart, each with Ann in From. */
    protected static SyncBatch batchOf(String folder, long uidValidity, int... numbers) {
        List<SyncedMessage> messages = new ArrayList<>();
        List<ContactActivity> activities = new ArrayList<>();
        int lastUid = 0;
        for (int n : numbers) {
            SyncedMessage m = message(key(n), folder, n, T0.plusSeconds(60L * n));
            messages.add(m);
            activities.add(activity(m, ANN, ParticipantRole.FROM));
            lastUid = Math.max(lastUid, n);
        }
        return new SyncBatch(folder, messages, activities, checkpoint(folder, uidValidity, lastUid, 0));
    }

    /** A message from ann@example.com with a subject naming its key; inbound, no thread. */
    protected static SyncedMessage message(String key, String folder, long uid, Instant date) {
        return new SyncedMessage(new MessageKey(key), folder, uid, date, EmailAddress.of("Ann", "ann@example.com"), "Subject of " + key,
                1_000 + uid, Direction.INBOUND, Optional.empty());
    }

    /** The activity of {@code contact} in {@code role} of message {@code m}. */
    protected static ContactActivity activity(SyncedMessage m, ContactRef contact, ParticipantRole role) {
        return new ContactActivity(m.key(), contact, role, m.direction(), m.date(), m.subject(), m.from(),
                m.folder(), m.threadId());
    }

    /** A checkpoint; a modseq of 0 means none. */
    protected static FolderCheckpoint checkpoint(String folder, long uidValidity, long lastUid, long modSeq) {
        return new FolderCheckpoint(folder, uidValidity, lastUid, modSeq == 0 ? OptionalLong.empty() : OptionalLong.of(modSeq));
    }
}
