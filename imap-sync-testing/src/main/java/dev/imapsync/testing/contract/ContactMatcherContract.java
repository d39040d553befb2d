package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.message.EmailAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContactMatcher} promises, as JUnit 5 tests: a host application runs them
 * against its own matcher by a subclass that loads a few given contacts into it.
 *
 * <pre>{@code
 * class MyContactMatcherTest extends ContactMatcherContract {
 *     @Override
 *     protected ContactMatcher matcherOf(Map<ContactRef, List<String>> contacts) {
 *         MyCrm crm = MyCrm.inMemory();                      // your own test database
 *         contacts.forEach((contact, addresses) -> crm.addContact(contact.id(), addresses));
 *         return new MyContactMatcher(crm.dataSource());
 *     }
 * }
 * }</pre>
 *
 * <p>What is checked: the matcher is asked for normalized addresses ({@link
 * EmailAddress#normalize}), while a CRM stores addresses as people typed them, so an address
 * stored in another case matches; a contact with several addresses matches on each; an address
 * shared by several contacts answers all of them (naming one twice is allowed); an unknown address answers
 * nothing (an empty list from {@code match}, no entry or an empty one from {@code matchAll});
 * {@code matchAll} answers what {@code match} answers, for a batch of a few thousand addresses
 * too, without keeping the set it was given; and threads may call both at once. Only which
 * contacts are answered is checked, not their order.
 */
public abstract class ContactMatcherContract {
    /** Two addresses, the second stored in mixed case. */
    protected static final ContactRef ANN = ContactRef.of("c-ann");
    /** One address, stored twice (in two cases), as two address columns of one row may hold it. */
    protected static final ContactRef BOB = ContactRef.of("c-bob");
    /** Shares support@example.com with {@link #SUPPORT_DESK}. */
    protected static final ContactRef SUPPORT_TEAM = ContactRef.of("c-support-team");
    /** Shares support@example.com with {@link #SUPPORT_TEAM}. */
    protected static final ContactRef SUPPORT_DESK = ContactRef.of("c-support-desk");

    /** The contacts every test's matcher is loaded with, each with its addresses as stored. */
    protected static final Map<ContactRef, List<String>> CONTACTS = contacts();

    /** What each normalized address must match. */
    private static final Map<String, Set<ContactRef>> EXPECTED = Map.of(
            "ann@example.com", Set.of(ANN),
            "ann.lee@work.example", Set.of(ANN),
            "bob@example.com", Set.of(BOB),
            "support@example.com", Set.of(SUPPORT_TEAM, SUPPORT_DESK));
    private static final List<String> UNKNOWN = List.of("nobody@example.com", "ann@example.org",
            "support@work.example", "bob.smith@example.com");

    /** The matcher under test, made by {@link #matcherOf} with {@link #CONTACTS} before each test. */
    protected ContactMatcher matcher;

    /**
     * A matcher that knows exactly {@code contacts}: each contact with its addresses, as the host
     * application would store them (in any case, possibly one address twice). Called once before
     * each test; release what it holds in an {@code @AfterEach} method of the subclass.
     */
    protected abstract ContactMatcher matcherOf(Map<ContactRef, List<String>> contacts);

    @BeforeEach
    final void loadContacts() {
        matcher = matcherOf(CONTACTS);
        assertThat(matcher).as("the matcher of the given contacts").isNotNull();
    }

    private static Map<ContactRef, List<String>> contacts() {
        Map<ContactRef, List<String>> contacts = new LinkedHashMap<>();
        contacts.put(ANN, List.of("ann@example.com", "Ann.Lee@Work.Example"));
        contacts.put(BOB, List.of("bob@example.com", "BOB@example.com"));
        contacts.put(SUPPORT_TEAM, List.of("support@example.com"));
        contacts.put(SUPPORT_DESK, List.of("Support@Example.com"));
        return Collections.unmodifiableMap(contacts);
    }

    @Test
    void matchesEachAddressOfAContact() {
        assertThat(matcher.match("ann@example.com")).containsOnly(ANN);
        assertThat(matcher.match("ann.lee@work.example")).containsOnly(ANN);
    }

    @Test
    void matchesTheNormalizedFormOfAnAddressStoredInAnotherCase() {
        String normalized = EmailAddress.normalize("Ann.Lee@Work.Example");

        assertThat(normalized).isEqualTo("ann.lee@work.example");
        assertThat(matcher.match(normalized)).containsOnly(ANN);
    }

    @Test
    void answersEveryContactOfASharedAddress() {
        assertThat(matcher.match("support@example.com")).containsOnly(SUPPORT_TEAM, SUPPORT_DESK);
    }

    @Test
    void answersTheContactWhoseAddressIsStoredTwice() {
        assertThat(matcher.match("bob@example.com")).containsOnly(BOB);
        assertThat(matcher.matchAll(Set.of("bob@example.com")).get("bob@example.com")).containsOnly(BOB);
    }

    @Test
    void answersNothingForAnUnknownAddress() {
        for (String address : UNKNOWN) {
            assertThat(matcher.match(address)).as("match(%s)", address).isNotNull().isEmpty();
        }
        Map<String, List<ContactRef>> found = matcher.matchAll(new HashSet<>(UNKNOWN));
        assertThat(found).as("matchAll of unknown addresses").isNotNull();
        for (String address : UNKNOWN) {
            assertThat(found.getOrDefault(address, List.of())).as("matchAll(...).get(%s)", address).isEmpty();
        }
    }

    @Test
    void matchAllOfNoAddressesAnswersNothing() {
        assertThat(matcher.matchAll(Set.of())).isNotNull().isEmpty();
    }

    @Test
    void matchAllAnswersWhatMatchAnswersForEachAddress() {
        Set<String> addresses = new LinkedHashSet<>(EXPECTED.keySet());
        addresses.addAll(UNKNOWN);

        Map<String, List<ContactRef>> found = matcher.matchAll(addresses);

        assertThat(addresses).containsAll(found.keySet());
        for (String address : addresses) {
            List<ContactRef> batch = found.getOrDefault(address, List.of());
            assertThat(batch).as("matchAll(...).get(%s)", address).doesNotContainNull();
            // a contact may be named twice (ContactMatcher's javadoc): which contacts, not how often
            assertThat(new HashSet<>(batch)).as("matchAll(...).get(%s)", address)
                    .isEqualTo(new HashSet<>(matcher.match(address)))
                    .isEqualTo(EXPECTED.getOrDefault(address, Set.of()));
        }
    }

    @Test
    void matchAllAnswersABatchOfThousandsOfAddresses() {
        // a sync asks once per batch for every distinct address in it: a few thousand is usual,
        // more than some databases take in one IN list
        Set<String> addresses = new HashSet<>(EXPECTED.keySet());
        for (int i = 0; i < 3_000; i++) {
            addresses.add("stranger-" + i + "@example.net");
        }

        Map<String, List<ContactRef>> found = matcher.matchAll(addresses);

        assertThat(answered(found)).isEqualTo(EXPECTED);
    }

    @Test
    void keepsNoReferenceToTheSetItIsGiven() {
        Set<String> addresses = new HashSet<>(EXPECTED.keySet());
        Map<String, List<ContactRef>> found = matcher.matchAll(addresses);
        Map<String, Set<ContactRef>> before = answered(found);

        addresses.clear();
        addresses.add("nobody@example.com");

        assertThat(answered(found)).isEqualTo(before).isEqualTo(EXPECTED);
        assertThat(answered(matcher.matchAll(new HashSet<>(EXPECTED.keySet())))).isEqualTo(EXPECTED);
    }

    @Test
    void answersTheSameFromSeveralThreadsAtOnce() throws Exception {
        int threads = 8;
        int rounds = 50;
        List<String> addresses = new ArrayList<>(EXPECTED.keySet());
        addresses.addAll(UNKNOWN);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            tasks.add(() -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    String address = addresses.get((offset + r) % addresses.size());
                    assertThat(matcher.match(address)).as("match(%s) on thread %d", address, offset)
                            .containsExactlyInAnyOrderElementsOf(EXPECTED.getOrDefault(address, Set.of()));
                    Set<String> batch = new HashSet<>(addresses.subList(0, 1 + (offset + r) % addresses.size()));
                    Map<String, Set<ContactRef>> expected = new HashMap<>(EXPECTED);
                    expected.keySet().retainAll(batch);
                    assertThat(answered(matcher.matchAll(batch))).as("matchAll(%s) on thread %d", batch, offset)
                            .isEqualTo(expected);
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("the matcher's calls ended").isTrue();
        }
    }

    /** The non-empty answers of {@code matchAll}, each as a set (a contact may be named twice). */
    private static Map<String, Set<ContactRef>> answered(Map<String, List<ContactRef>> found) {
        Map<String, Set<ContactRef>> answered = new HashMap<>();
        found.forEach((address, contacts) -> {
            assertThat(contacts).as("the contacts of %s", address).isNotNull().doesNotContainNull();
            if (!contacts.isEmpty()) {
                answered.put(address, new HashSet<>(contacts));
            }
        });
        return answered;
    }
}
