package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TimelineStore} promises, as JUnit 5 tests: written through the store's
 * {@link SyncStore} side, read through its timeline side. imap-sync runs them against
 * {@code InMemorySyncStore} and {@code JdbcSyncStore} (H2, PostgreSQL, MariaDB); a host
 * application with a store of its own runs them by a subclass that says how to make an empty one.
 *
 * <pre>{@code
 * class CrmTimelineStoreTest extends TimelineStoreContract<CrmSyncStore> {
 *     @Override
 *     protected CrmSyncStore newStore() {
 *         return new CrmSyncStore(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>Dates are whole seconds and message keys sort the same under any collation, so that
 * databases compare like Java does. Error messages are checked for their essentials only.
 *
 * @param <S> the store under test: both the side syncs write and the side a CRM reads
 */
public abstract class TimelineStoreContract<S extends SyncStore & TimelineStore> {
    protected static final String ACCOUNT = "acct-1";
    protected static final String OTHER_ACCOUNT = "acct-2";
    protected static final String THIRD_ACCOUNT = "acct-3";
    protected static final String INBOX = "INBOX";
    protected static final String SENT = "Sent";
    protected static final ContactRef ANN = ContactRef.of("c-ann");
    protected static final ContactRef BOB = ContactRef.of("c-bob");
    protected static final ContactRef CAROL = ContactRef.of("c-carol");
    /** The client who writes to the company. */
    protected static final EmailAddress CLIENT = EmailAddress.of("Ann Client", "ann@client.example");
    /** The owner of {@link #ACCOUNT}. */
    protected static final EmailAddress SAM = EmailAddress.of("Sam Seller", "Sam@Acme.example");
    /** The owner of {@link #OTHER_ACCOUNT}. */
    protected static final EmailAddress ALEX = EmailAddress.of("Alex", "alex@acme.example");
    protected static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    /** The store under test, made by {@link #newStore()} before each test. */
    protected S store;

    /** A new, empty store; called before each test. */
    protected abstract S newStore();

    @BeforeEach
    final void createStore() {
        store = newStore();
    }

    @Test
    void knowsNothingBeforeTheFirstCommit() {
        assertThat(store.timeline(TimelineQuery.forContact(ANN.id()))).isEqualTo(new TimelinePage(List.of(),
                Optional.empty()));
        assertThat(store.summary(ANN.id())).isEqualTo(ContactSummary.none(ANN.id()));
        assertThat(store.busiest(10)).isEmpty();
    }

    @Test
    void showsAMessageThreeAccountsHoldOnceWithEveryLocationAndTheUnionOfRoles() {
        SyncedMessage m = message("mid:shared@acme.example", INBOX, 11, T0, SAM);
        // committed in an order other than the accounts' ids: the locations are sorted all the same
        commit(THIRD_ACCOUNT, SENT, List.of(inFolder(m, SENT, 33)), ANN, ParticipantRole.BCC);
        commit(ACCOUNT, INBOX, List.of(m), ANN, ParticipantRole.TO);
        commit(OTHER_ACCOUNT, INBOX, List.of(inFolder(m, INBOX, 22)), ANN, ParticipantRole.TO);

        TimelinePage page = store.timeline(TimelineQuery.forContact(ANN.id()));

        assertThat(page.next()).isEmpty();
        assertThat(page.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.messageKey()).isEqualTo(m.key());
            assertThat(entry.date()).isEqualTo(T0);
            assertThat(entry.subject()).isEqualTo(m.subject());
            assertThat(entry.roles()).containsExactlyInAnyOrder(ParticipantRole.TO, ParticipantRole.BCC);
            assertThat(entry.locations()).containsExactly(new Location(ACCOUNT, INBOX, 11, 7),
                    new Location(OTHER_ACCOUNT, INBOX, 22, 7), new Location(THIRD_ACCOUNT, SENT, 33, 7));
        });
        assertThat(store.summary(ANN.id()).messages()).isEqualTo(1);
    }

    @Test
    void listsEveryAccountThatHoldsTheMessageAlsoWhereTheContactIsNotInItsCopy() {
        // Sam Bcc's Ann and Cc's Alex: only Sam's Sent copy shows Ann; Alex's INBOX copy does not
        SyncedMessage sent = message("mid:bcc@acme.example", SENT, 5, T0, SAM);
        SyncedMessage received = inFolder(sent, INBOX, 9);
        store.commit(OTHER_ACCOUNT, batch(INBOX, List.of(received), List.of(), Set.of()));   // before Ann is known
        commit(ACCOUNT, SENT, List.of(sent), ANN, ParticipantRole.BCC);
        store.commit(THIRD_ACCOUNT, batch(INBOX, List.of(inFolder(sent, INBOX, 4)), List.of(), Set.of()));   // after

        assertThat(store.timeline(TimelineQuery.forContact(ANN.id())).entries()).singleElement().satisfies(entry -> {
            assertThat(entry.roles()).containsExactly(ParticipantRole.BCC);
            assertThat(entry.locations()).containsExactly(new Location(ACCOUNT, SENT, 5, 7),
                    new Location(OTHER_ACCOUNT, INBOX, 9, 7), new Location(THIRD_ACCOUNT, INBOX, 4, 7));
        });
        assertThat(store.timeline(TimelineQuery.forContact(ANN.id()).accounts(Set.of(THIRD_ACCOUNT))).entries())
                .as("held by the third account").hasSize(1);
    }

    @Test
    void findsWhereAMessageCanBeOpenedByItsKeyAlone() {
        SyncedMessage m = message("mid:where@acme.example", INBOX, 11, T0, SAM);
        commit(THIRD_ACCOUNT, SENT, List.of(inFolder(m, SENT, 33)), ANN, ParticipantRole.BCC);
        store.commit(ACCOUNT, batch(INBOX, List.of(m), List.of(), Set.of()));   // no contact in this copy
        commit(OTHER_ACCOUNT, INBOX, List.of(message("mid:other@acme.example", INBOX, 12, T0, SAM)), ANN,
                ParticipantRole.TO);

        List<Location> locations = store.locations(m.key());

        assertThat(locations).extracting(Location::accountId, Location::folder, Location::uid)
                .as("every account's copy, by account id").containsExactly(tuple(ACCOUNT, INBOX, 11L),
                        tuple(THIRD_ACCOUNT, SENT, 33L));
        assertThat(locations).extracting(Location::uidValidity)
                .as("the UIDVALIDITY each UID was recorded under (the batches' checkpoints say 7)").containsOnly(7L);
        assertThat(store.locations(new MessageKey("mid:nowhere@acme.example"))).isEmpty();
    }

    @Test
    void anAccountWhoseHistoryIsPurgedLeavesTheTimelineAndWhatOthersHoldStays() {
        SyncedMessage shared = message("mid:shared-purge@acme.example", INBOX, 11, T0, SAM);
        SyncedMessage own = message("mid:only-sam@acme.example", INBOX, 12, T0.plusSeconds(60), SAM);
        commit(ACCOUNT, INBOX, List.of(shared, own), ANN, ParticipantRole.BCC);
        commit(OTHER_ACCOUNT, INBOX, List.of(inFolder(shared, INBOX, 22)), ANN, ParticipantRole.TO);

        store.reset(ACCOUNT, true);

        assertThat(store.timeline(TimelineQuery.forContact(ANN.id())).entries()).singleElement().satisfies(entry -> {
            assertThat(entry.messageKey()).isEqualTo(shared.key());
            assertThat(entry.roles()).containsExactly(ParticipantRole.TO);
            assertThat(entry.locations()).containsExactly(new Location(OTHER_ACCOUNT, INBOX, 22, 7));
        });
        assertThat(store.summary(ANN.id()).messages()).isEqualTo(1);
    }

    @Test
    void showsAContactInBothToAndCcOfOneMessageOnce() {
        SyncedMessage m = message("mid:to-and-cc@acme.example", INBOX, 5, T0, CLIENT);
        store.commit(ACCOUNT, batch(INBOX, List.of(m), List.of(activity(m, BOB, ParticipantRole.TO),
                activity(m, BOB, ParticipantRole.CC), activity(m, ANN, ParticipantRole.FROM)), Set.of()));

        List<TimelineEntry> entries = store.timeline(TimelineQuery.forContact(BOB.id())).entries();

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.roles()).containsExactlyInAnyOrder(ParticipantRole.TO, ParticipantRole.CC);
            assertThat(entry.locations()).containsExactly(new Location(ACCOUNT, INBOX, 5, 7));
        });
        assertThat(store.summary(BOB.id()).messages()).isEqualTo(1);
        assertThat(store.timeline(TimelineQuery.forContact(ANN.id())).entries()).singleElement()
                .satisfies(entry -> assertThat(entry.roles()).containsExactly(ParticipantRole.FROM));
    }

    @Test
    void keepsTheSendersDisplayNameAndTheThreadKey() {
        SyncedMessage threaded = new SyncedMessage(MessageKey.ofGmailId(1_700_000_000_000_000_001L), INBOX, 9, T0,
                EmailAddress.of("Zoë Ünal – Sales", "zoe@client.example"), "Grüße aus Köln – 日本語 ✓", 4_096,
                Direction.INBOUND, Optional.of("1700000000000000000"));
        SyncedMessage unthreaded = message("mid:no-thread@client.example", INBOX, 10, T0.minusSeconds(1),
                EmailAddress.of("", "plain@client.example"));
        commit(ACCOUNT, INBOX, List.of(threaded, unthreaded), ANN, ParticipantRole.TO);

        List<TimelineEntry> entries = store.timeline(TimelineQuery.forContact(ANN.id())).entries();

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).sender()).isEqualTo(threaded.sender());
        assertThat(entries.get(0).subject()).isEqualTo(threaded.subject());
        assertThat(entries.get(0).threadKey()).contains("1700000000000000000");
        assertThat(entries.get(1).sender()).isEqualTo(unthreaded.sender());
        assertThat(entries.get(1).threadKey()).isEmpty();
    }

    @Test
    void listsEntriesNewestFirstAndEqualDatesByMessageKeyDescending() {
        SyncedMessage older = message("mid:c@example.com", INBOX, 1, T0, CLIENT);
        SyncedMessage newerB = message("mid:b@example.com", INBOX, 2, T0.plusSeconds(3600), CLIENT);
        SyncedMessage newerA = message("mid:a@example.com", INBOX, 3, T0.plusSeconds(3600), CLIENT);
        SyncedMessage newerD = message("mid:d@example.com", INBOX, 4, T0.plusSeconds(3600), CLIENT);
        SyncedMessage newest = message("mid:e@example.com", INBOX, 5, T0.plusSeconds(7200), CLIENT);
        commit(ACCOUNT, INBOX, List.of(older, newerB, newerA, newerD, newest), ANN, ParticipantRole.TO);

        assertThat(keys(store.timeline(TimelineQuery.forContact(ANN.id())).entries())).containsExactly(
                "mid:e@example.com", "mid:d@example.com", "mid:b@example.com", "mid:a@example.com",
                "mid:c@example.com");
        // the same order across pages, however small
        assertThat(readAll(TimelineQuery.forContact(ANN.id()).pageSize(2))).containsExactly(
                "mid:e@example.com", "mid:d@example.com", "mid:b@example.com", "mid:a@example.com",
                "mid:c@example.com");
    }

    @Test
    void pagesWithACursorUntilTheLastPage() {
        commit(ACCOUNT, INBOX, numbered(1, 7), ANN, ParticipantRole.TO);

        TimelinePage first = store.timeline(TimelineQuery.forContact(ANN.id()).pageSize(3));
        TimelinePage second = store.timeline(TimelineQuery.forContact(ANN.id()).pageSize(3)
                .after(first.next().orElseThrow()));
        TimelinePage third = store.timeline(TimelineQuery.forContact(ANN.id()).pageSize(3)
                .after(second.next().orElseThrow()));

        assertThat(keys(first.entries())).containsExactly(key(7), key(6), key(5));
        assertThat(keys(second.entries())).containsExactly(key(4), key(3), key(2));
        assertThat(keys(third.entries())).containsExactly(key(1));
        assertThat(third.next()).isEmpty();
    }

    @Test
    void endsWithoutACursorWhenThePageIsExactlyFull() {
        commit(ACCOUNT, INBOX, numbered(1, 4), ANN, ParticipantRole.TO);

        TimelinePage first = store.timeline(TimelineQuery.forContact(ANN.id()).pageSize(2));
        TimelinePage second = store.timeline(TimelineQuery.forContact(ANN.id()).pageSize(2)
                .after(first.next().orElseThrow()));

        assertThat(keys(second.entries())).containsExactly(key(2), key(1));
        assertThat(second.next()).isEmpty();
    }

    /**
     * A reader pages through a timeline with small pages while a writer commits, between its
     * pages, new messages (dated before, among and after the existing ones) and new copies of
     * existing messages in another account: every entry that existed when the first page was
     * read comes exactly once, and no entry twice.
     */
    @Test
    void pagesThroughATimelineWhileAnotherThreadCommitsWithoutSkippingOrRepeating() throws Exception {
        int existing = 90;
        List<SyncedMessage> before = new ArrayList<>();
        for (int n = 1; n <= existing; n++) {
            // three messages a minute: ties that only the message key orders
            before.add(message(key(n), INBOX, n, T0.plusSeconds(60L * (n / 3)), CLIENT));
        }
        commit(ACCOUNT, INBOX, before, ANN, ParticipantRole.FROM);
        Set<String> existed = new HashSet<>(keys(store.timeline(TimelineQuery.forContact(ANN.id())
                .pageSize(TimelineQuery.MAX_PAGE_SIZE)).entries()));
        assertThat(existed).hasSize(existing);

        Semaphore committed = new Semaphore(0);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        List<String> read = new ArrayList<>();
        try {
            Future<?> writing = writer.submit(() -> {
                for (int round = 1; round <= 60 && !done.get(); round++) {
                    List<SyncedMessage> fresh = new ArrayList<>();
                    // one before all, one among the existing (on a minute that has ties), one after all
                    fresh.add(message(String.format("mid:w%03dold@example.com", round), INBOX, 1_000 + 3L * round,
                            T0.minusSeconds(60L * round), CLIENT));
                    fresh.add(message(String.format("mid:m%04dx%03d@example.com", (round * 7) % existing, round),
                            INBOX, 1_001 + 3L * round, T0.plusSeconds(60L * ((round * 7) % existing / 3)), CLIENT));
                    fresh.add(message(String.format("mid:w%03dnew@example.com", round), INBOX, 1_002 + 3L * round,
                            T0.plusSeconds(60L * (existing + round)), CLIENT));
                    commit(ACCOUNT, INBOX, fresh, ANN, ParticipantRole.TO);
                    // another account holds an existing message too now: one more location, not one more entry
                    SyncedMessage copy = inFolder(before.get((round * 13) % existing), INBOX, round);
                    commit(OTHER_ACCOUNT, INBOX, List.of(copy), ANN, ParticipantRole.CC);
                    committed.release();
                }
                return null;
            });
            TimelineQuery query = TimelineQuery.forContact(ANN.id()).pageSize(7);
            while (true) {
                TimelinePage page = store.timeline(query);
                read.addAll(keys(page.entries()));
                if (page.next().isEmpty()) {
                    break;
                }
                query = query.after(page.next().get());
                // let the writer commit between this page and the next (unless it is through)
                while (!committed.tryAcquire(50, TimeUnit.MILLISECONDS) && !writing.isDone()) {
                    Thread.onSpinWait();
                }
            }
            done.set(true);
            writing.get(60, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
            assertThat(writer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(read).doesNotHaveDuplicates().containsAll(existed);
    }

    @Test
    void filtersByAccount() {
        SyncedMessage onlyFirst = message(key(1), INBOX, 1, T0, CLIENT);
        SyncedMessage both = message(key(2), INBOX, 2, T0.plusSeconds(60), CLIENT);
        SyncedMessage onlySecond = message(key(3), INBOX, 3, T0.plusSeconds(120), CLIENT);
        SyncedMessage onlyThird = message(key(4), INBOX, 4, T0.plusSeconds(180), CLIENT);
        commit(ACCOUNT, INBOX, List.of(onlyFirst, both), ANN, ParticipantRole.TO);
        commit(OTHER_ACCOUNT, INBOX, List.of(both, onlySecond), ANN, ParticipantRole.TO);
        commit(THIRD_ACCOUNT, INBOX, List.of(onlyThird), ANN, ParticipantRole.TO);
        TimelineQuery all = TimelineQuery.forContact(ANN.id());

        assertThat(keys(store.timeline(all.accounts(Set.of(ACCOUNT))).entries())).containsExactly(key(2), key(1));
        assertThat(keys(store.timeline(all.accounts(Set.of(OTHER_ACCOUNT))).entries())).containsExactly(key(3), key(2));
        assertThat(keys(store.timeline(all.accounts(Set.of(ACCOUNT, THIRD_ACCOUNT))).entries()))
                .containsExactly(key(4), key(2), key(1));
        assertThat(store.timeline(all.accounts(Set.of("acct-unknown"))).entries()).isEmpty();
        assertThat(keys(store.timeline(all).entries())).containsExactly(key(4), key(3), key(2), key(1));
    }

    @Test
    void filtersByDirection() {
        SyncedMessage in = message(key(1), INBOX, 1, T0, CLIENT);
        SyncedMessage out = message(key(2), SENT, 2, T0.plusSeconds(60), SAM);
        store.commit(ACCOUNT, batch(INBOX, List.of(in), List.of(activity(in, ANN, ParticipantRole.FROM)),
                Set.of(SAM.normalized())));
        store.commit(ACCOUNT, batch(SENT, List.of(out), List.of(activity(out, ANN, ParticipantRole.TO)),
                Set.of(SAM.normalized())));
        TimelineQuery all = TimelineQuery.forContact(ANN.id());

        assertThat(keys(store.timeline(all.direction(Direction.INBOUND)).entries())).containsExactly(key(1));
        assertThat(keys(store.timeline(all.direction(Direction.OUTBOUND)).entries())).containsExactly(key(2));
        assertThat(store.timeline(all).entries()).extracting(TimelineEntry::direction)
                .containsExactly(Direction.OUTBOUND, Direction.INBOUND);
    }

    @Test
    void filtersByDateRangeFromSinceUpToButExcludingUntil() {
        commit(ACCOUNT, INBOX, numbered(1, 6), ANN, ParticipantRole.TO);
        TimelineQuery all = TimelineQuery.forContact(ANN.id());

        assertThat(keys(store.timeline(all.between(dateOf(2), dateOf(5))).entries()))
                .containsExactly(key(4), key(3), key(2));
        assertThat(keys(store.timeline(all.between(dateOf(2), dateOf(5)).pageSize(2)).entries()))
                .containsExactly(key(4), key(3));
        assertThat(readAll(all.between(dateOf(2), dateOf(5)).pageSize(2))).containsExactly(key(4), key(3), key(2));
        assertThat(store.timeline(all.between(dateOf(7), dateOf(9))).entries()).isEmpty();
    }

    @Test
    void combinesFilters() {
        SyncedMessage in = message(key(1), INBOX, 1, dateOf(1), CLIENT);
        SyncedMessage outEarly = message(key(2), SENT, 2, dateOf(2), SAM);
        SyncedMessage outLate = message(key(3), SENT, 3, dateOf(3), SAM);
        commit(ACCOUNT, Set.of(SAM.normalized()), INBOX, List.of(in), ANN, ParticipantRole.FROM);
        commit(ACCOUNT, Set.of(SAM.normalized()), SENT, List.of(outEarly, outLate), ANN, ParticipantRole.TO);
        commit(OTHER_ACCOUNT, Set.of(ALEX.normalized()), INBOX, List.of(inFolder(outLate, INBOX, 9)), ANN,
                ParticipantRole.CC);

        TimelineQuery query = TimelineQuery.forContact(ANN.id()).accounts(Set.of(ACCOUNT))
                .direction(Direction.OUTBOUND).between(dateOf(2), dateOf(4));

        assertThat(keys(store.timeline(query).entries())).containsExactly(key(3), key(2));
        assertThat(keys(store.timeline(query.accounts(Set.of(OTHER_ACCOUNT))).entries())).containsExactly(key(3));
    }

    @Test
    void boundsThePageSize() {
        TimelineQuery query = TimelineQuery.forContact(ANN.id());

        assertThatThrownBy(() -> query.pageSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> query.pageSize(TimelineQuery.MAX_PAGE_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("501");
        commit(ACCOUNT, INBOX, numbered(1, 3), ANN, ParticipantRole.TO);
        assertThat(store.timeline(query.pageSize(TimelineQuery.MAX_PAGE_SIZE)).entries()).hasSize(3);
        assertThat(store.timeline(query.pageSize(1)).entries()).hasSize(1);
    }

    @Test
    void rejectsACursorItDidNotMake() {
        commit(ACCOUNT, INBOX, numbered(1, 3), ANN, ParticipantRole.TO);
        TimelineQuery query = TimelineQuery.forContact(ANN.id()).pageSize(1);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        List<String> garbled = List.of("", "not a cursor", "%%%%", "AAAA",
                base64.encodeToString("v1|yesterday|mid:m0001@example.com".getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString("v9|1709283600000000000|mid:m0001@example.com".getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString(new byte[] {(byte) 0xff, 0x00, 0x13, (byte) 0x80, 0x7f, 0x01}));

        for (String cursor : garbled) {
            assertThatThrownBy(() -> store.timeline(query.after(cursor))).as("cursor %s", cursor)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        }
        // a cursor it made goes on working
        String next = store.timeline(query).next().orElseThrow();
        assertThat(keys(store.timeline(query.after(next)).entries())).containsExactly(key(2));
    }

    @Test
    void seesMailFromAnyConnectedAccountsOwnerAsOutboundOnceThatAccountHasCommitted() {
        // Sam (ACCOUNT's owner) mails the client and cc's Alex; only Alex's account has synced so far
        SyncedMessage fromSam = message("mid:from-sam@acme.example", INBOX, 4, T0, SAM);
        SyncedMessage fromStranger = message("mid:from-stranger@else.example", INBOX, 5, T0.plusSeconds(60),
                EmailAddress.of("Stranger", "someone@else.example"));
        commit(OTHER_ACCOUNT, Set.of(ALEX.normalized()), INBOX, List.of(fromSam, fromStranger), ANN,
                ParticipantRole.TO);

        assertThat(store.timeline(TimelineQuery.forContact(ANN.id())).entries()).extracting(TimelineEntry::direction)
                .containsExactly(Direction.INBOUND, Direction.INBOUND);

        // Sam's account commits any batch, even an empty one: the store now knows Sam's address
        store.commit(ACCOUNT, batch(INBOX, List.of(), List.of(), Set.of(SAM.normalized())));

        List<TimelineEntry> entries = store.timeline(TimelineQuery.forContact(ANN.id())).entries();
        assertThat(entries).extracting(e -> e.messageKey().value(), TimelineEntry::direction).containsExactly(
                tuple("mid:from-stranger@else.example", Direction.INBOUND),
                tuple("mid:from-sam@acme.example", Direction.OUTBOUND));
        // held only by Alex's account all the same
        assertThat(entries.get(1).locations()).containsExactly(new Location(OTHER_ACCOUNT, INBOX, 4, 7));
        assertThat(store.summary(ANN.id())).isEqualTo(new ContactSummary(ANN.id(), 2, Optional.of(T0.plusSeconds(60)),
                Optional.of(T0)));
    }

    @Test
    void summarizesMessagesOncePerMessageWithTheLastInboundAndOutboundDates() {
        SyncedMessage in1 = message(key(1), INBOX, 1, dateOf(1), CLIENT);
        SyncedMessage in2 = message(key(2), INBOX, 2, dateOf(2), CLIENT);
        SyncedMessage out3 = message(key(3), SENT, 3, dateOf(3), SAM);
        SyncedMessage out4 = message(key(4), SENT, 4, dateOf(4), SAM);
        store.commit(ACCOUNT, batch(INBOX, List.of(in1, in2), List.of(activity(in1, ANN, ParticipantRole.FROM),
                activity(in2, ANN, ParticipantRole.FROM), activity(in2, BOB, ParticipantRole.TO)),
                Set.of(SAM.normalized())));
        store.commit(ACCOUNT, batch(SENT, List.of(out3, out4), List.of(activity(out3, ANN, ParticipantRole.TO),
                activity(out3, ANN, ParticipantRole.CC), activity(out4, ANN, ParticipantRole.TO)),
                Set.of(SAM.normalized())));
        // another account holds two of them: still one message each
        commit(OTHER_ACCOUNT, Set.of(ALEX.normalized()), INBOX, List.of(inFolder(in2, INBOX, 12),
                inFolder(out3, INBOX, 13)), ANN, ParticipantRole.CC);

        assertThat(store.summary(ANN.id())).isEqualTo(new ContactSummary(ANN.id(), 4, Optional.of(dateOf(2)),
                Optional.of(dateOf(4))));
        assertThat(store.summary(BOB.id())).isEqualTo(new ContactSummary(BOB.id(), 1, Optional.of(dateOf(2)),
                Optional.empty()));
        assertThat(store.summary("c-nobody")).isEqualTo(ContactSummary.none("c-nobody"));
        assertThat(store.summaries(List.of(ANN.id(), BOB.id(), "c-nobody")))
                .containsOnlyKeys(ANN.id(), BOB.id(), "c-nobody")
                .containsEntry(ANN.id(), store.summary(ANN.id()))
                .containsEntry("c-nobody", ContactSummary.none("c-nobody"));
    }

    @Test
    void summarizesAThousandContactsInOneCallAndNoMore() {
        SyncedMessage m = message(key(1), INBOX, 1, T0, CLIENT);
        List<ContactActivity> activities = new ArrayList<>();
        for (int c = 0; c < 1_000; c += 10) {
            activities.add(activity(m, ContactRef.of(contact(c)), ParticipantRole.TO));
        }
        store.commit(ACCOUNT, batch(INBOX, List.of(m), activities, Set.of()));
        List<String> thousand = IntStream.range(0, 1_000).mapToObj(TimelineStoreContract::contact).toList();

        Map<String, ContactSummary> summaries = store.summaries(thousand);

        assertThat(summaries).hasSize(1_000);
        assertThat(summaries.get(contact(10))).isEqualTo(new ContactSummary(contact(10), 1, Optional.of(T0),
                Optional.empty()));
        assertThat(summaries.get(contact(11))).isEqualTo(ContactSummary.none(contact(11)));
        assertThat(summaries.values()).filteredOn(s -> s.messages() == 1).hasSize(100);
        List<String> tooMany = IntStream.range(0, 1_001).mapToObj(TimelineStoreContract::contact).toList();
        assertThatThrownBy(() -> store.summaries(tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.summaries(List.of(ANN.id(), " "))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.summaries(List.of())).isEmpty();
    }

    @Test
    void listsTheBusiestContactsFirstAndEqualCountsByContactId() {
        List<SyncedMessage> messages = numbered(1, 3);
        List<ContactActivity> activities = new ArrayList<>();
        for (SyncedMessage m : messages) {
            activities.add(activity(m, CAROL, ParticipantRole.TO));
            activities.add(activity(m, CAROL, ParticipantRole.CC));
        }
        activities.add(activity(messages.get(0), BOB, ParticipantRole.TO));
        activities.add(activity(messages.get(1), ANN, ParticipantRole.TO));
        store.commit(ACCOUNT, batch(INBOX, messages, activities, Set.of()));
        commit(OTHER_ACCOUNT, INBOX, List.of(inFolder(messages.get(0), INBOX, 7)), CAROL, ParticipantRole.TO);

        assertThat(store.busiest(10)).extracting(ContactSummary::contactId, ContactSummary::messages).containsExactly(
                tuple(CAROL.id(), 3L),
                tuple(ANN.id(), 1L),
                tuple(BOB.id(), 1L));
        assertThat(store.busiest(2)).extracting(ContactSummary::contactId).containsExactly(CAROL.id(), ANN.id());
        assertThat(store.busiest(1).get(0)).isEqualTo(store.summary(CAROL.id()));
        assertThatThrownBy(() -> store.busiest(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.busiest(1_001)).isInstanceOf(IllegalArgumentException.class);
    }


    @Test
    void showsThePreviewAndAttachmentsRecordedWithAMessageAndTheFolderUidValidity() {
        MessagePreview preview = new MessagePreview("Hi Sam, the signed contract — ça va? 契約書", true, List.of(
                new Attachment("2", "contract\tv2\n(final) \\ é.pdf", "application/pdf", 48_213, false,
                        Optional.empty()),
                new Attachment("1.2", "logo.png", "image/png", 1_024, true, Optional.of("logo@acme.example")),
                new Attachment("3", "", "text/calendar", -1, false, Optional.empty())),
                false, true, Optional.of("REQUEST"));
        SyncedMessage with = withPreview(message("mid:with@example.com", INBOX, 3, T0, CLIENT), preview);
        SyncedMessage without = message("mid:without@example.com", INBOX, 4, T0.plusSeconds(60), CLIENT);
        SyncedMessage empty = withPreview(message("mid:empty@example.com", INBOX, 5, T0.plusSeconds(120), CLIENT),
                new MessagePreview("", false, List.of(), true, false, Optional.empty()));
        commit(ACCOUNT, INBOX, List.of(with, without, empty), ANN, ParticipantRole.FROM);

        List<TimelineEntry> entries = store.timeline(TimelineQuery.forContact(ANN.id())).entries();

        assertThat(entries).extracting(e -> e.messageKey().value())
                .containsExactly("mid:empty@example.com", "mid:without@example.com", "mid:with@example.com");
        assertThat(entries.get(2).preview()).contains(preview);
        assertThat(entries.get(1).preview()).isEmpty();
        assertThat(entries.get(0).preview()).contains(new MessagePreview("", false, List.of(), true, false,
                Optional.empty()));
        assertThat(entries.get(2).locations()).containsExactly(new Location(ACCOUNT, INBOX, 3, 7));
    }

    @Test
    void groupsAReplyInSentWithTheMessageItAnswersAcrossAccounts() {
        SyncedMessage question = inThread(message("mid:question@client.example", INBOX, 1, T0, CLIENT),
                "ref:question@client.example");
        SyncedMessage answer = inThread(message("mid:answer@acme.example", SENT, 2, T0.plusSeconds(600), SAM),
                "ref:question@client.example");
        SyncedMessage other = inThread(message("mid:other@client.example", INBOX, 3, T0.plusSeconds(300), CLIENT),
                "ref:other@client.example");
        commit(ACCOUNT, INBOX, List.of(question, other), ANN, ParticipantRole.FROM);
        commit(OTHER_ACCOUNT, SENT, List.of(answer), ANN, ParticipantRole.TO);

        List<TimelinePage.EmailThread> threads = store.timeline(TimelineQuery.forContact(ANN.id())).threads();

        assertThat(threads).extracting(TimelinePage.EmailThread::key)
                .containsExactly("ref:question@client.example", "ref:other@client.example");
        assertThat(threads.get(0).entries()).extracting(e -> e.messageKey().value())
                .containsExactly("mid:answer@acme.example", "mid:question@client.example");
        assertThat(threads.get(0).newest().messageKey().value()).isEqualTo("mid:answer@acme.example");
    }

    @Test
    void joinsAReplyRecordedBeforeTheMessageItAnswersWhenThatOneArrives() {
        // C names only its parent B (In-Reply-To, no References); B itself answers A
        SyncedMessage c = inThread(message("mid:c@client.example", INBOX, 3, T0.plusSeconds(120), CLIENT),
                "ref:b@acme.example");
        SyncedMessage b = inThread(message("mid:b@acme.example", SENT, 2, T0.plusSeconds(60), SAM),
                "ref:a@client.example");
        SyncedMessage a = inThread(message("mid:a@client.example", INBOX, 1, T0, CLIENT), "ref:a@client.example");
        commit(ACCOUNT, INBOX, List.of(c), ANN, ParticipantRole.FROM);
        commit(OTHER_ACCOUNT, SENT, List.of(b), ANN, ParticipantRole.TO);
        commit(ACCOUNT, INBOX, List.of(inFolder(a, INBOX, 1)), ANN, ParticipantRole.FROM);

        TimelinePage page = store.timeline(TimelineQuery.forContact(ANN.id()));

        assertThat(page.entries()).extracting(e -> e.threadKey().orElseThrow()).containsOnly("ref:a@client.example");
        assertThat(page.threads()).singleElement().satisfies(t -> assertThat(t.entries()).hasSize(3));
    }

    @Test
    void joinsAReplyThatNamesOnlyItsParentToTheParentsThread() {
        SyncedMessage b = inThread(message("mid:b@acme.example", SENT, 2, T0.plusSeconds(60), SAM),
                "ref:a@client.example");
        SyncedMessage c = inThread(message("mid:c@client.example", INBOX, 3, T0.plusSeconds(120), CLIENT),
                "ref:b@acme.example");
        SyncedMessage d = inThread(message("mid:d@client.example", INBOX, 4, T0.plusSeconds(180), CLIENT),
                "ref:b@acme.example");
        commit(OTHER_ACCOUNT, SENT, List.of(b), ANN, ParticipantRole.TO);
        commit(ACCOUNT, INBOX, List.of(c, d), ANN, ParticipantRole.FROM);

        assertThat(store.timeline(TimelineQuery.forContact(ANN.id())).entries())
                .extracting(e -> e.threadKey().orElseThrow()).containsOnly("ref:a@client.example");
    }

    @Test
    void keepsServerThreadsAndTheirRepliesTogether() {
        SyncedMessage root = inThread(message("mid:root@client.example", INBOX, 1, T0, CLIENT), "tid:T42");
        SyncedMessage reply = inThread(message("mid:reply@acme.example", SENT, 2, T0.plusSeconds(60), SAM),
                "ref:root@client.example");
        SyncedMessage gmail = inThread(message("gm:1234", INBOX, 3, T0.plusSeconds(120), CLIENT), "gm:999");
        commit(ACCOUNT, SENT, List.of(reply), ANN, ParticipantRole.TO);
        commit(OTHER_ACCOUNT, INBOX, List.of(root, inFolder(gmail, INBOX, 3)), ANN, ParticipantRole.FROM);

        assertThat(store.timeline(TimelineQuery.forContact(ANN.id())).threads())
                .extracting(TimelinePage.EmailThread::key).containsExactly("gm:999", "tid:T42");
    }

    // fixtures

    /** The message key of test message {@code n}. */
    protected static String key(int n) {
        return String.format("mid:m%04d@example.com", n);
    }

    /** The date of test message {@code n}: one minute apart. */
    protected static Instant dateOf(int n) {
        return T0.plusSeconds(60L * n);
    }

    /** Contact ids that sort like their numbers. */
    private static String contact(int n) {
        return String.format("c-%04d", n);
    }

    /** Messages {@code key(n)} for n from {@code first} to {@code last}, UID n, from the client. */
    protected static List<SyncedMessage> numbered(int first, int last) {
        return IntStream.rangeClosed(first, last).mapToObj(n -> message(key(n), INBOX, n, dateOf(n), CLIENT)).toList();
    }

    /** A message with a subject naming its key; as its own account saw it, inbound, no thread. */
    protected static SyncedMessage message(String key, String folder, long uid, Instant date, EmailAddress sender) {
        return new SyncedMessage(new MessageKey(key), folder, uid, date, sender, "Subject of " + key, 1_000 + uid,
                Direction.INBOUND, Optional.empty());
    }

    /** The same message as another account or folder holds it. */
    protected static SyncedMessage inFolder(SyncedMessage m, String folder, long uid) {
        return new SyncedMessage(m.key(), folder, uid, m.date(), m.sender(), m.subject(), m.size(), m.direction(),
                m.threadId(), m.preview());
    }

    /** The message with another thread key. */
    protected static SyncedMessage inThread(SyncedMessage m, String threadKey) {
        return new SyncedMessage(m.key(), m.folder(), m.uid(), m.date(), m.sender(), m.subject(), m.size(),
                m.direction(), Optional.of(threadKey), m.preview());
    }

    /** The message with a preview. */
    protected static SyncedMessage withPreview(SyncedMessage m, MessagePreview preview) {
        return new SyncedMessage(m.key(), m.folder(), m.uid(), m.date(), m.sender(), m.subject(), m.size(),
                m.direction(), m.threadId(), Optional.of(preview));
    }

    /** The activity of {@code contact} in {@code role} of message {@code m}. */
    protected static ContactActivity activity(SyncedMessage m, ContactRef contact, ParticipantRole role) {
        return new ContactActivity(m.key(), contact, role, m.direction(), m.date(), m.subject(), m.from(),
                m.folder(), m.threadId());
    }

    /** A batch of a folder whose checkpoint is its highest UID. */
    protected static SyncBatch batch(String folder, List<SyncedMessage> messages, List<ContactActivity> activities,
                                     Set<String> ownAddresses) {
        long lastUid = messages.stream().mapToLong(SyncedMessage::uid).max().orElse(1);
        return new SyncBatch(folder, messages, activities, new FolderCheckpoint(folder, 7, lastUid,
                OptionalLong.empty()), ownAddresses);
    }

    /** Commits the messages with {@code contact} in {@code role} of each, no own addresses. */
    protected void commit(String account, String folder, List<SyncedMessage> messages, ContactRef contact,
                          ParticipantRole role) {
        commit(account, Set.of(), folder, messages, contact, role);
    }

    /** Commits the messages with {@code contact} in {@code role} of each. */
    protected void commit(String account, Set<String> ownAddresses, String folder, List<SyncedMessage> messages,
                          ContactRef contact, ParticipantRole role) {
        store.commit(account, batch(folder, messages, messages.stream().map(m -> activity(m, contact, role)).toList(),
                ownAddresses));
    }

    private List<String> readAll(TimelineQuery first) {
        List<String> read = new ArrayList<>();
        TimelineQuery query = first;
        while (true) {
            TimelinePage page = store.timeline(query);
            read.addAll(keys(page.entries()));
            if (page.next().isEmpty()) {
                return read;
            }
            query = query.after(page.next().get());
        }
    }

    private static List<String> keys(List<TimelineEntry> entries) {
        return entries.stream().map(e -> e.messageKey().value()).toList();
    }
}
