package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.Attachment;
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
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncStore;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PrivacyStore} promises, as JUnit 5 tests: history written through the
 * store's {@link SyncStore} side, blocked, erased and aged through its privacy side, and read
 * back through its {@link SyncStore#history history} and {@link TimelineStore timeline} sides.
 * imap-sync runs them against {@code InMemorySyncStore} and {@code JdbcSyncStore} (H2,
 * PostgreSQL, MariaDB); a host application with a store of its own runs them by a subclass that
 * says how to make an empty one.
 *
 * <pre>{@code
 * class CrmPrivacyStoreTest extends PrivacyStoreContract<CrmSyncStore> {
 *     @Override
 *     protected CrmSyncStore newStore() {
 *         return new CrmSyncStore(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>What the rules mean where the javadoc leaves room, so that every store does the same:
 * <ul>
 *   <li>Block: a message goes, in every account the entry applies to, when its sender or the
 *       address of one of its history entries ({@link ContactActivity#address()}) is blocked; with
 *       all its history entries. Counts: entries and messages.</li>
 *   <li>Unblock: a revisit is recorded for every account the entry applied to that has synced
 *       (has a checkpoint), also one with nothing recorded. Resetting an account
 *       ({@link SyncStore#reset}) forgets its revisits, whether its history is purged or kept: its
 *       next sync is a first sync, which reads the whole window.</li>
 *   <li>Erase: the history entries whose address is the erased one go; the messages it sent keep
 *       the other contacts' entries but lose their sender (address and name, also in those
 *       entries' {@code from}) and their preview; previews whose text or attachment names contain
 *       the address go; a message that lost an entry or was sent by the person and has no entry
 *       left goes (counted in messages, not in previews). Previews counted are those of messages
 *       that stay.</li>
 *   <li>Retention: ages from the message's date; a date exactly at the limit is kept.</li>
 * </ul>
 *
 * <p>Dates are whole seconds and message keys sort the same under any collation.
 *
 * @param <S> the store under test: its sync, timeline and privacy sides
 */
public abstract class PrivacyStoreContract<S extends SyncStore & TimelineStore & PrivacyStore> {
    protected static final String ACCOUNT = "acct-1";
    protected static final String OTHER_ACCOUNT = "acct-2";
    protected static final String INBOX = "INBOX";
    protected static final ContactRef ANN = ContactRef.of("c-ann");
    protected static final ContactRef BOB = ContactRef.of("c-bob");
    /** A client, contact {@link #ANN}. */
    protected static final EmailAddress ANN_ADDRESS = EmailAddress.of("Ann Client", "ann@client.example");
    /** Another client, contact {@link #BOB}. */
    protected static final EmailAddress BOB_ADDRESS = EmailAddress.of("Bob Buyer", "bob@buyer.example");
    /** The owner of {@link #ACCOUNT}. */
    protected static final EmailAddress SAM = EmailAddress.of("Sam Seller", "sam@acme.example");
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

    // rules

    @Test
    void aNewStoreBlocksNothingAndKnowsNobodyErased() {
        PrivacyRules rules = store.rules(ACCOUNT);

        assertThat(rules.blocked()).isEmpty();
        assertThat(rules.erasedHashes()).isEmpty();
        assertThat(store.blockEntries()).isEmpty();
        assertThat(store.revisits(ACCOUNT)).isEmpty();
    }

    @Test
    void anAccountsRulesHoldTheCompanyWideEntriesAndItsOwnOnly() {
        BlockEntry everywhere = BlockEntry.domain("spam.example");
        BlockEntry mine = BlockEntry.address("ann@client.example").forAccount(ACCOUNT);
        BlockEntry theirs = BlockEntry.address("bob@buyer.example").forAccount(OTHER_ACCOUNT);
        store.block(everywhere);
        store.block(mine);
        store.block(theirs);

        assertThat(store.rules(ACCOUNT).blocked()).containsExactlyInAnyOrder(everywhere, mine);
        assertThat(store.rules(OTHER_ACCOUNT).blocked()).containsExactlyInAnyOrder(everywhere, theirs);
        assertThat(store.rules("acct-new").blocked()).containsExactly(everywhere);
        assertThat(store.rules(ACCOUNT).isBlocked("x@mail.spam.example")).isTrue();
    }

    @Test
    void rulesNameTheOwnAddressesOfEveryAccountThatCommitted() {
        commit(ACCOUNT, Set.of("sam@acme.example", "sales@acme.example"), List.of(from(1, BOB_ADDRESS)),
                List.of());
        commit(OTHER_ACCOUNT, Set.of("alex@acme.example"), List.of(from(2, BOB_ADDRESS)), List.of());

        Set<String> company = Set.of("sam@acme.example", "sales@acme.example", "alex@acme.example");
        assertThat(store.rules(ACCOUNT).companyAddresses()).containsAll(company);
        assertThat(store.rules(OTHER_ACCOUNT).companyAddresses()).containsAll(company);
    }

    @Test
    void listsBlockEntriesCompanyWideFirstThenByAccountKindAndValue() {
        BlockEntry b = BlockEntry.address("b@x.example");
        BlockEntry a = BlockEntry.address("a@x.example");
        BlockEntry domain = BlockEntry.domain("x.example");
        BlockEntry second = BlockEntry.address("a@x.example").forAccount(OTHER_ACCOUNT);
        BlockEntry first = BlockEntry.domain("y.example").forAccount(ACCOUNT);
        for (BlockEntry e : List.of(second, b, domain, first, a)) {
            store.block(e);
        }

        assertThat(store.blockEntries()).containsExactly(a, b, domain, first, second);
    }

    // block

    @Test
    void blockingAnAddressPurgesTheMessagesItSentOrWasAContactInWithAllTheirEntries() {
        SyncedMessage fromAnn = from(1, ANN_ADDRESS);
        SyncedMessage toAnnAndBob = from(2, SAM);
        SyncedMessage fromBob = from(3, BOB_ADDRESS);
        commit(ACCOUNT, Set.of("sam@acme.example"), List.of(fromAnn, toAnnAndBob, fromBob), List.of(
                activity(fromAnn, ANN, ParticipantRole.FROM, ANN_ADDRESS),
                activity(toAnnAndBob, ANN, ParticipantRole.TO, ANN_ADDRESS),
                activity(toAnnAndBob, BOB, ParticipantRole.CC, BOB_ADDRESS),
                activity(fromBob, BOB, ParticipantRole.FROM, BOB_ADDRESS)));

        BlockResult result = store.block(BlockEntry.address("Ann@Client.Example"));

        assertThat(result.added()).isTrue();
        assertThat(result.entry()).isEqualTo(BlockEntry.address("ann@client.example"));
        assertThat(result.purged()).containsExactly(Map.entry(ACCOUNT, new RemovalCounts(3, 2, 0)));
        assertThat(store.history(ANN.id(), 10)).isEmpty();
        assertThat(store.history(BOB.id(), 10)).extracting(ContactActivity::messageKey).containsExactly(fromBob.key());
        assertThat(timelineKeys(BOB)).containsExactly(fromBob.key());
        assertThat(store.blockEntries()).containsExactly(result.entry());
    }

    @Test
    void blockingADomainPurgesItsSubdomainsToo() {
        EmailAddress sub = EmailAddress.of("Ann", "ann@eu.client.example");
        SyncedMessage fromSub = from(1, sub);
        SyncedMessage fromBob = from(2, BOB_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(fromSub, fromBob), List.of(
                activity(fromSub, ANN, ParticipantRole.FROM, sub),
                activity(fromBob, BOB, ParticipantRole.FROM, BOB_ADDRESS)));

        BlockResult result = store.block(BlockEntry.domain("client.example"));

        assertThat(result.total()).isEqualTo(new RemovalCounts(1, 1, 0));
        assertThat(store.history(ANN.id(), 10)).isEmpty();
        assertThat(store.history(BOB.id(), 10)).hasSize(1);
    }

    @Test
    void anAccountsEntryPurgesThatAccountOnly() {
        SyncedMessage fromAnn = from(1, ANN_ADDRESS);
        for (String account : List.of(ACCOUNT, OTHER_ACCOUNT)) {
            commit(account, Set.of(), List.of(fromAnn), List.of(activity(fromAnn, ANN, ParticipantRole.FROM,
                    ANN_ADDRESS)));
        }

        BlockResult result = store.block(BlockEntry.address("ann@client.example").forAccount(ACCOUNT));

        assertThat(result.purged()).containsOnlyKeys(ACCOUNT);
        assertThat(result.total()).isEqualTo(new RemovalCounts(1, 1, 0));
        assertThat(store.history(ANN.id(), 10)).hasSize(1);
        assertThat(timeline(ANN)).singleElement().satisfies(entry -> assertThat(entry.locations())
                .extracting(TimelineEntry.Location::accountId).containsExactly(OTHER_ACCOUNT));
    }

    @Test
    void blockingAgainIsNoErrorAndPurgesWhatWasRecordedSince() {
        SyncedMessage first = from(1, ANN_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(first), List.of(activity(first, ANN, ParticipantRole.FROM, ANN_ADDRESS)));
        BlockEntry entry = BlockEntry.address("ann@client.example");
        assertThat(store.block(entry).total()).isEqualTo(new RemovalCounts(1, 1, 0));
        // a sync that read its rules before the entry was added commits afterwards
        SyncedMessage late = from(2, ANN_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(late), List.of(activity(late, ANN, ParticipantRole.FROM, ANN_ADDRESS)));

        BlockResult again = store.block(entry);

        assertThat(again.added()).isFalse();
        assertThat(again.total()).isEqualTo(new RemovalCounts(1, 1, 0));
        assertThat(store.history(ANN.id(), 10)).isEmpty();
        assertThat(store.blockEntries()).containsExactly(entry);
    }

    @Test
    void blockingSomethingNobodyWroteRemovesNothing() {
        SyncedMessage fromBob = from(1, BOB_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(fromBob), List.of(activity(fromBob, BOB, ParticipantRole.FROM,
                BOB_ADDRESS)));

        BlockResult result = store.block(BlockEntry.domain("nobody.example"));

        assertThat(result.added()).isTrue();
        assertThat(result.purged()).isEmpty();
        assertThat(result.total()).isEqualTo(RemovalCounts.NONE);
        assertThat(store.history(BOB.id(), 10)).hasSize(1);
    }

    // unblock and revisits

    @Test
    void unblockingRecordsARevisitForEveryAccountTheEntryAppliedToThatHasSynced() {
        SyncedMessage fromBob = from(1, BOB_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(fromBob), List.of());
        // everything this account read was blocked: it has a checkpoint but nothing recorded
        commit(OTHER_ACCOUNT, Set.of(), List.of(), List.of());
        BlockEntry domain = BlockEntry.domain("client.example");
        store.block(domain);

        assertThat(store.unblock(domain)).isTrue();

        assertThat(store.blockEntries()).isEmpty();
        assertThat(store.rules(ACCOUNT).blocked()).isEmpty();
        assertThat(store.revisits(ACCOUNT)).containsExactly(domain);
        assertThat(store.revisits(OTHER_ACCOUNT)).containsExactly(domain);
        assertThat(store.revisits("acct-never-synced")).isEmpty();
    }

    @Test
    void unblockingAnAccountsEntryRecordsARevisitForThatAccountOnly() {
        commit(ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        commit(OTHER_ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        BlockEntry mine = BlockEntry.address("ann@client.example").forAccount(ACCOUNT);
        store.block(mine);

        assertThat(store.unblock(mine)).isTrue();

        assertThat(store.revisits(ACCOUNT)).containsExactly(mine);
        assertThat(store.revisits(OTHER_ACCOUNT)).isEmpty();
    }

    @Test
    void unblockingAnEntryThatIsNotThereAnswersFalseAndRecordsNothing() {
        commit(ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        store.block(BlockEntry.address("ann@client.example").forAccount(ACCOUNT));

        assertThat(store.unblock(BlockEntry.address("ann@client.example"))).isFalse();

        assertThat(store.revisits(ACCOUNT)).isEmpty();
        assertThat(store.blockEntries()).hasSize(1);
    }

    @Test
    void revisitsAreListedOldestFirstAndGoWhenTheAccountRevisitedThem() {
        commit(ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        commit(OTHER_ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        BlockEntry first = BlockEntry.domain("z.example");
        BlockEntry second = BlockEntry.address("a@a.example");
        BlockEntry third = BlockEntry.domain("m.example");
        for (BlockEntry e : List.of(first, second, third)) {
            store.block(e);
        }
        for (BlockEntry e : List.of(first, second, third)) {
            store.unblock(e);
        }
        assertThat(store.revisits(ACCOUNT)).containsExactly(first, second, third);

        store.revisited(ACCOUNT, List.of(first, third));

        assertThat(store.revisits(ACCOUNT)).containsExactly(second);
        assertThat(store.revisits(OTHER_ACCOUNT)).containsExactly(first, second, third);
        store.revisited(ACCOUNT, List.of(second));
        store.revisited(ACCOUNT, List.of(second));
        assertThat(store.revisits(ACCOUNT)).isEmpty();
    }

    @Test
    void anEntryUnblockedAndBlockedAgainIsNoLongerRevisited() {
        commit(ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        BlockEntry entry = BlockEntry.domain("client.example");
        store.block(entry);
        store.unblock(entry);

        store.block(entry);

        assertThat(store.revisits(ACCOUNT)).isEmpty();
    }

    @Test
    void resettingAnAccountForgetsItsRevisitsWithOrWithoutItsHistoryAndOnlyItsOwn() {
        commit(ACCOUNT, Set.of(), List.of(from(1, BOB_ADDRESS)), List.of());
        commit(OTHER_ACCOUNT, Set.of(), List.of(from(2, BOB_ADDRESS)), List.of());
        BlockEntry domain = BlockEntry.domain("client.example");
        store.block(domain);
        store.unblock(domain);

        store.reset(ACCOUNT, false);

        // its next sync is a first sync, which reads the whole window: nothing is left to revisit
        assertThat(store.revisits(ACCOUNT)).isEmpty();
        assertThat(store.revisits(OTHER_ACCOUNT)).containsExactly(domain);

        store.reset(OTHER_ACCOUNT, true);

        assertThat(store.revisits(OTHER_ACCOUNT)).isEmpty();
    }

    // erase

    @Test
    void erasingRemovesTheEntriesOfTheAddressInEveryAccountAndAnswersWhatWentPerAccount() {
        SyncedMessage toAnn = from(1, SAM);
        SyncedMessage toAnnAgain = from(2, SAM);
        SyncedMessage alexToAnn = from(3, ALEX);
        commit(ACCOUNT, Set.of("sam@acme.example"), List.of(toAnn, toAnnAgain), List.of(
                activity(toAnn, ANN, ParticipantRole.TO, ANN_ADDRESS),
                activity(toAnnAgain, ANN, ParticipantRole.TO, ANN_ADDRESS),
                activity(toAnnAgain, BOB, ParticipantRole.CC, BOB_ADDRESS)));
        commit(OTHER_ACCOUNT, Set.of("alex@acme.example"), List.of(alexToAnn), List.of(
                activity(alexToAnn, ANN, ParticipantRole.TO, ANN_ADDRESS)));

        ErasureResult result = store.erase("  Ann@Client.EXAMPLE ");

        assertThat(result.address()).isEqualTo("ann@client.example");
        // toAnn and alexToAnn are left without any entry: they go; toAnnAgain stays for Bob
        assertThat(result.accounts()).containsExactly(
                Map.entry(ACCOUNT, new RemovalCounts(2, 1, 0)),
                Map.entry(OTHER_ACCOUNT, new RemovalCounts(1, 1, 0)));
        assertThat(result.total()).isEqualTo(new RemovalCounts(3, 2, 0));
        assertThat(store.history(ANN.id(), 10)).isEmpty();
        assertThat(timeline(ANN)).isEmpty();
        assertThat(store.history(BOB.id(), 10)).extracting(ContactActivity::messageKey)
                .containsExactly(toAnnAgain.key());
        assertThat(timelineKeys(BOB)).containsExactly(toAnnAgain.key());
    }

    @Test
    void theMessagesTheErasedPersonSentKeepTheOtherContactsEntriesButLoseTheirSenderAndPreview() {
        SyncedMessage annToBob = withPreview(from(1, ANN_ADDRESS), "Let's meet on Monday.");
        commit(ACCOUNT, Set.of(), List.of(annToBob), List.of(
                activity(annToBob, ANN, ParticipantRole.FROM, ANN_ADDRESS),
                activity(annToBob, BOB, ParticipantRole.TO, BOB_ADDRESS)));

        ErasureResult result = store.erase("ann@client.example");

        assertThat(result.accounts()).containsExactly(Map.entry(ACCOUNT, new RemovalCounts(1, 0, 1)));
        assertThat(store.history(ANN.id(), 10)).isEmpty();
        assertThat(store.history(BOB.id(), 10)).singleElement().satisfies(entry -> {
            assertThat(entry.messageKey()).isEqualTo(annToBob.key());
            assertThat(entry.role()).isEqualTo(ParticipantRole.TO);
            assertThat(entry.from()).isEmpty();
            assertThat(entry.address()).isEqualTo("bob@buyer.example");
        });
        assertThat(timeline(BOB)).singleElement().satisfies(entry -> {
            assertThat(entry.sender().address()).isEmpty();
            assertThat(entry.sender().displayName()).isEmpty();
            assertThat(entry.preview()).isEmpty();
            assertThat(entry.subject()).isEqualTo(annToBob.subject());
        });
    }

    @Test
    void aMessageTheErasedPersonSentWithNoOtherEntryGoesEntirely() {
        SyncedMessage fromAnn = withPreview(from(1, ANN_ADDRESS), "Hello");
        SyncedMessage unmatched = from(2, ANN_ADDRESS); // no contact was matched in it
        commit(ACCOUNT, Set.of(), List.of(fromAnn, unmatched), List.of(
                activity(fromAnn, ANN, ParticipantRole.FROM, ANN_ADDRESS)));

        ErasureResult result = store.erase("ann@client.example");

        assertThat(result.accounts()).containsExactly(Map.entry(ACCOUNT, new RemovalCounts(1, 2, 0)));
        assertThat(store.history(ANN.id(), 10)).isEmpty();
    }

    @Test
    void previewsThatNameTheErasedAddressAreDropped() {
        SyncedMessage bobWrites = withPreview(from(1, BOB_ADDRESS), "Please write to ANN@client.example, she knows.");
        SyncedMessage bobAttaches = withPreview(from(2, BOB_ADDRESS), "See the attached card.",
                new Attachment("2", "ann@client.example.vcf", "text/vcard", 300, false, Optional.empty()));
        SyncedMessage bobElse = withPreview(from(3, BOB_ADDRESS), "Nothing about her.");
        commit(ACCOUNT, Set.of(), List.of(bobWrites, bobAttaches, bobElse), List.of(
                activity(bobWrites, BOB, ParticipantRole.FROM, BOB_ADDRESS),
                activity(bobAttaches, BOB, ParticipantRole.FROM, BOB_ADDRESS),
                activity(bobElse, BOB, ParticipantRole.FROM, BOB_ADDRESS)));

        ErasureResult result = store.erase("ann@client.example");

        assertThat(result.accounts()).containsExactly(Map.entry(ACCOUNT, new RemovalCounts(0, 0, 2)));
        assertThat(timeline(BOB)).extracting(e -> e.preview().map(MessagePreview::text).orElse("(none)"))
                .containsExactly("Nothing about her.", "(none)", "(none)");
        assertThat(timeline(BOB)).extracting(e -> e.sender().address()).containsOnly("bob@buyer.example");
    }

    @Test
    void erasingKeepsOnlyTheAddressHashForLaterSyncsOfEveryAccount() {
        store.erase("Ann@Client.example");

        String hash = PrivacyRules.addressHash("ann@client.example");
        assertThat(store.rules(ACCOUNT).erasedHashes()).containsExactly(hash);
        assertThat(store.rules("acct-new").isErased("ann@client.example")).isTrue();
        assertThat(store.rules(ACCOUNT).isErased("bob@buyer.example")).isFalse();
    }

    @Test
    void erasingAgainRemovesNothingMoreAndIsNoError() {
        SyncedMessage fromAnn = from(1, ANN_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(fromAnn), List.of(activity(fromAnn, ANN, ParticipantRole.FROM, ANN_ADDRESS)));
        assertThat(store.erase("ann@client.example").total()).isEqualTo(new RemovalCounts(1, 1, 0));

        ErasureResult again = store.erase("ann@client.example");

        assertThat(again.accounts()).isEmpty();
        assertThat(again.total()).isEqualTo(RemovalCounts.NONE);
        assertThat(store.rules(ACCOUNT).erasedHashes()).hasSize(1);
    }

    @Test
    void erasingSomethingThatIsNotAnAddressIsRefused() {
        assertThatThrownBy(() -> store.erase("client.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client.example");
        assertThat(store.rules(ACCOUNT).erasedHashes()).isEmpty();
    }

    // retention

    @Test
    void retentionDropsOldPreviewsAndKeepsTheirEntries() {
        Instant now = T0.plus(Duration.ofDays(100));
        SyncedMessage old = withPreview(message(1, ANN_ADDRESS, now.minus(Duration.ofDays(40))), "old words");
        SyncedMessage recent = withPreview(message(2, ANN_ADDRESS, now.minus(Duration.ofDays(10))), "new words");
        SyncedMessage atTheLimit = withPreview(message(3, ANN_ADDRESS, now.minus(Duration.ofDays(30))), "limit");
        commit(ACCOUNT, Set.of(), List.of(old, recent, atTheLimit), List.of(
                activity(old, ANN, ParticipantRole.FROM, ANN_ADDRESS),
                activity(recent, ANN, ParticipantRole.FROM, ANN_ADDRESS),
                activity(atTheLimit, ANN, ParticipantRole.FROM, ANN_ADDRESS)));

        Retention.Result result = store.applyRetention(new Retention(Duration.ofDays(30), Optional.empty()), now);

        assertThat(result).isEqualTo(new Retention.Result(1, 0, 0));
        assertThat(store.history(ANN.id(), 10)).hasSize(3);
        assertThat(timeline(ANN)).extracting(e -> e.preview().map(MessagePreview::text).orElse("(none)"))
                .containsExactly("new words", "limit", "(none)");
        assertThat(store.applyRetention(new Retention(Duration.ofDays(30), Optional.empty()), now))
                .isEqualTo(new Retention.Result(0, 0, 0));
    }

    @Test
    void retentionOfEntriesDeletesOldMessagesWithTheirEntries() {
        Instant now = T0.plus(Duration.ofDays(500));
        SyncedMessage ancient = withPreview(message(1, ANN_ADDRESS, now.minus(Duration.ofDays(400))), "ancient");
        SyncedMessage old = withPreview(message(2, ANN_ADDRESS, now.minus(Duration.ofDays(40))), "old");
        SyncedMessage recent = message(3, ANN_ADDRESS, now.minus(Duration.ofDays(1)));
        commit(ACCOUNT, Set.of(), List.of(ancient, old, recent), List.of(
                activity(ancient, ANN, ParticipantRole.FROM, ANN_ADDRESS),
                activity(ancient, BOB, ParticipantRole.TO, BOB_ADDRESS),
                activity(old, ANN, ParticipantRole.FROM, ANN_ADDRESS),
                activity(recent, ANN, ParticipantRole.FROM, ANN_ADDRESS)));
        commit(OTHER_ACCOUNT, Set.of(), List.of(ancient), List.of(activity(ancient, ANN, ParticipantRole.FROM,
                ANN_ADDRESS)));
        Retention retention = new Retention(Duration.ofDays(30), Optional.of(Duration.ofDays(365)));

        Retention.Result result = store.applyRetention(retention, now);

        assertThat(result).isEqualTo(new Retention.Result(1, 3, 2));
        assertThat(store.history(ANN.id(), 10)).extracting(ContactActivity::messageKey)
                .containsExactly(recent.key(), old.key());
        assertThat(store.history(BOB.id(), 10)).isEmpty();
        assertThat(timeline(ANN)).extracting(e -> e.preview().isPresent()).containsExactly(false, false);
        assertThat(store.applyRetention(retention, now)).isEqualTo(new Retention.Result(0, 0, 0));
    }

    // what a sync records for the policies

    @Test
    void keepsTheMatchedAddressOfAnEntryAndTheBulkFlagOfAMessage() {
        SyncedMessage newsletter = bulk(from(1, ANN_ADDRESS));
        SyncedMessage personal = from(2, ANN_ADDRESS);
        ContactActivity fromNewsletter = activity(newsletter, ANN, ParticipantRole.FROM, ANN_ADDRESS);
        ContactActivity fromPersonal = activity(personal, ANN, ParticipantRole.FROM, ANN_ADDRESS);
        commit(ACCOUNT, Set.of(), List.of(newsletter, personal), List.of(fromNewsletter, fromPersonal));

        assertThat(store.history(ANN.id(), 10)).containsExactly(fromPersonal, fromNewsletter);
        assertThat(timeline(ANN)).extracting(TimelineEntry::messageKey, TimelineEntry::bulk)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(personal.key(), false),
                        org.assertj.core.groups.Tuple.tuple(newsletter.key(), true));
    }

    // fixtures

    /** The message key of test message {@code n}. */
    protected static MessageKey key(int n) {
        return new MessageKey(String.format("mid:p%04d@example.com", n));
    }

    /** Test message {@code n} from {@code sender}, dated {@code n} minutes after {@link #T0}, UID n. */
    protected static SyncedMessage from(int n, EmailAddress sender) {
        return message(n, sender, T0.plusSeconds(60L * n));
    }

    /** Test message {@code n} from {@code sender} at {@code date}, UID n, with a subject naming its number. */
    protected static SyncedMessage message(int n, EmailAddress sender, Instant date) {
        Direction direction = sender.normalized().endsWith("@acme.example") ? Direction.OUTBOUND : Direction.INBOUND;
        return new SyncedMessage(key(n), INBOX, n, date, sender, "Subject " + n, 1_000 + n, direction,
                Optional.empty());
    }

    /** The message with a preview of this text and these attachments. */
    protected static SyncedMessage withPreview(SyncedMessage m, String text, Attachment... attachments) {
        return m.withPreview(new MessagePreview(text, false, List.of(attachments), false, false, Optional.empty()));
    }

    /** The message, marked as bulk mail. */
    protected static SyncedMessage bulk(SyncedMessage m) {
        return new SyncedMessage(m.key(), m.folder(), m.uid(), m.date(), m.sender(), m.subject(), m.size(),
                m.direction(), m.threadId(), m.preview(), true);
    }

    /** The activity of {@code contact}, matched by {@code address}, in {@code role} of message {@code m}. */
    protected static ContactActivity activity(SyncedMessage m, ContactRef contact, ParticipantRole role,
                                              EmailAddress address) {
        return new ContactActivity(m.key(), contact, role, m.direction(), m.date(), m.subject(), m.from(),
                m.folder(), m.threadId(), address.normalized());
    }

    /** Commits the messages and activities to the account's INBOX in one batch, the checkpoint at the highest UID. */
    protected void commit(String account, Set<String> ownAddresses, List<SyncedMessage> messages,
                          List<ContactActivity> activities) {
        long lastUid = messages.stream().mapToLong(SyncedMessage::uid).max().orElse(1);
        store.commit(account, new SyncBatch(INBOX, messages, activities,
                new FolderCheckpoint(INBOX, 7, lastUid, OptionalLong.empty()), ownAddresses));
    }

    /** The contact's whole timeline, newest first. */
    protected List<TimelineEntry> timeline(ContactRef contact) {
        List<TimelineEntry> all = new ArrayList<>();
        TimelineQuery query = TimelineQuery.forContact(contact.id()).pageSize(TimelineQuery.MAX_PAGE_SIZE);
        all.addAll(store.timeline(query).entries());
        return all;
    }

    private List<MessageKey> timelineKeys(ContactRef contact) {
        return timeline(contact).stream().map(TimelineEntry::messageKey).toList();
    }
}
