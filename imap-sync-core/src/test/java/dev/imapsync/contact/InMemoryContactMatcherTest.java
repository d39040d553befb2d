package dev.imapsync.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InMemoryContactMatcherTest {
    private static final ContactRef ANN = ContactRef.of("c-ann");
    private static final ContactRef BOB = ContactRef.of("c-bob");
    private static final ContactRef CAROL = ContactRef.of("c-carol");

    @Test
    void matchesEveryAddressOfAContact() {
        InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                .add("c-ann", "ann@example.com", "ann.lee@work.example")
                .add(ANN, List.of("ann@home.example"))
                .build();

        assertThat(matcher.match("ann@example.com")).containsExactly(ANN);
        assertThat(matcher.match("ann.lee@work.example")).containsExactly(ANN);
        assertThat(matcher.match("ann@home.example")).containsExactly(ANN);
        assertThat(matcher.size()).isEqualTo(3);
        assertThat(matcher.contactCount()).isEqualTo(1);
    }

    @Test
    void matchesEveryContactOfASharedAddressInTheOrderAddedAndOnce() {
        InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                .add("c-bob", "sales@example.com")
                .add("c-ann", "ann@example.com", "sales@example.com")
                .add("c-bob", "SALES@example.com", "bob@example.com")
                .add("c-carol", "sales@example.com")
                .build();

        assertThat(matcher.match("sales@example.com")).containsExactly(BOB, ANN, CAROL);
        assertThat(matcher.size()).isEqualTo(3);
        assertThat(matcher.contactCount()).isEqualTo(3);
    }

    @Test
    void matchesNothingForUnknownAddressesAndText() {
        InMemoryContactMatcher matcher = InMemoryContactMatcher.builder().add("c-ann", "ann@example.com").build();

        assertThat(matcher.match("bob@example.com")).isEmpty();
        assertThat(matcher.match("ann@example.org")).isEmpty();
        assertThat(matcher.match("ann")).isEmpty();
        assertThat(matcher.match("")).isEmpty();
        assertThat(matcher.match("@")).isEmpty();
    }

    @Test
    void normalizesAddressesWhenAdded() {
        InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                .add("c-ann", "  Ann.Lee@Example.COM ")
                .add("c-bob", "bob@Bücher.Example.")
                .build();

        assertThat(matcher.match("ann.lee@example.com")).containsExactly(ANN);
        assertThat(matcher.match("bob@xn--bcher-kva.example")).containsExactly(BOB);
    }

    @Test
    void matchesAddressesThatAreNotNormalizedYet() {
        InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                .add("c-ann", "ann@example.com")
                .add("c-bob", "bob@xn--bcher-kva.example")
                .build();

        assertThat(matcher.match("ANN@Example.Com")).containsExactly(ANN);
        assertThat(matcher.match(" ann@example.com\t")).containsExactly(ANN);
        assertThat(matcher.match("ann@example.com.")).containsExactly(ANN);
        assertThat(matcher.match("Bob@BÜCHER.example")).containsExactly(BOB);
        // a decomposed ü (u + combining diaeresis) is the same address once in NFC
        assertThat(matcher.match("bob@bu\u0308cher.example")).containsExactly(BOB);
    }

    @Test
    void answersImmutableLists() {
        InMemoryContactMatcher matcher = InMemoryContactMatcher.builder().add("c-ann", "ann@example.com").build();

        assertThatThrownBy(() -> matcher.match("ann@example.com").add(BOB))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> matcher.match("nobody@example.com").add(BOB))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void isNotChangedByLaterAdditionsToItsBuilder() {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder().add("c-ann", "ann@example.com");
        InMemoryContactMatcher first = builder.build();

        InMemoryContactMatcher second = builder.add("c-bob", "ann@example.com").build();

        assertThat(first.match("ann@example.com")).containsExactly(ANN);
        assertThat(second.match("ann@example.com")).containsExactly(ANN, BOB);
    }

    @Test
    void matchesAManyThousandContactListCorrectly() {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        for (int i = 0; i < 50_000; i++) {
            builder.add("c" + i, "user" + i + "@example.com", "u" + i + "@corp" + (i % 97) + ".example");
        }
        InMemoryContactMatcher matcher = builder.build();

        assertThat(matcher.size()).isEqualTo(100_000);
        assertThat(matcher.contactCount()).isEqualTo(50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(matcher.match("user" + i + "@example.com")).containsExactly(ContactRef.of("c" + i));
            assertThat(matcher.match("u" + i + "@corp" + (i % 97) + ".example")).containsExactly(ContactRef.of("c" + i));
            assertThat(matcher.match("user" + i + "@example.org")).isEmpty();
        }
    }

    @Test
    void canBeSharedByThreads() throws Exception {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        for (int i = 0; i < 1_000; i++) {
            builder.add("c" + i, "user" + i + "@example.com");
        }
        InMemoryContactMatcher matcher = builder.build();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> found = threads.invokeAll(List.of(
                    () -> countMatches(matcher), () -> countMatches(matcher),
                    () -> countMatches(matcher), () -> countMatches(matcher)));
            for (Future<Integer> count : found) {
                assertThat(count.get()).isEqualTo(1_000 * 100);
            }
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static int countMatches(ContactMatcher matcher) {
        int matched = 0;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 1_000; i++) {
                matched += matcher.match((round % 2 == 0 ? "user" : "USER") + i + "@example.com").size();
            }
        }
        return matched;
    }

    @Nested
    class MatchAll {
        private final InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                .add("c-ann", "ann@example.com", "sales@example.com")
                .add("c-bob", "bob@example.com", "sales@example.com")
                .add("c-carol", "carol.c@gmail.com")
                .gmailCanonicalization(true)
                .build();

        @Test
        void answersWhatMatchAnswersForEachAddress() {
            Set<String> addresses = new LinkedHashSet<>(List.of("ann@example.com", "sales@example.com",
                    "nobody@example.com", "BOB@EXAMPLE.COM", "carol.c+news@googlemail.com", "not an address", ""));

            Map<String, List<ContactRef>> all = matcher.matchAll(addresses);

            for (String address : addresses) {
                List<ContactRef> one = matcher.match(address);
                if (one.isEmpty()) {
                    assertThat(all).doesNotContainKey(address);
                } else {
                    assertThat(all).containsEntry(address, one);
                }
            }
            assertThat(all).containsOnlyKeys("ann@example.com", "sales@example.com", "BOB@EXAMPLE.COM",
                    "carol.c+news@googlemail.com");
        }

        @Test
        void answersWhatMatchAnswersForABatchOfThousands() {
            InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder().gmailCanonicalization(true);
            for (int i = 0; i < 3_000; i++) {
                builder.add("c" + i, "user" + i + "@example.com", "user." + i + "@gmail.com");
                builder.add("c" + (i + 1), "user" + i + "@example.com");
            }
            InMemoryContactMatcher big = builder.build();
            Set<String> addresses = new LinkedHashSet<>();
            for (int i = 0; i < 4_000; i++) {
                addresses.add("user" + i + "@example.com");
                addresses.add(i % 3 == 0 ? "User" + i + "@Example.com" : "nobody" + i + "@example.com");
                addresses.add("user" + i + "+tag@googlemail.com");
            }

            Map<String, List<ContactRef>> all = big.matchAll(addresses);

            int matched = 0;
            for (String address : addresses) {
                List<ContactRef> one = big.match(address);
                assertThat(all.get(address)).as(address).isEqualTo(one.isEmpty() ? null : one);
                matched += one.isEmpty() ? 0 : 1;
            }
            assertThat(all).hasSize(matched);
            assertThat(matched).isEqualTo(3_000 + 1_000 + 3_000);
        }

        @Test
        void answersAnEmptyMapForNoAddresses() {
            assertThat(matcher.matchAll(Set.of())).isEmpty();
        }

        @Test
        void answersAMapTheCallerMayChange() {
            Map<String, List<ContactRef>> all = matcher.matchAll(Set.of("ann@example.com"));

            all.remove("ann@example.com");

            assertThat(all).isEmpty();
            assertThat(matcher.match("ann@example.com")).containsExactly(ANN);
        }
    }

    @Nested
    class GmailCanonicalization {
        @Test
        void isOffByDefault() {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                    .add("c-ann", "ann.lee@gmail.com")
                    .build();

            assertThat(matcher.gmailCanonicalization()).isFalse();
            assertThat(matcher.match("ann.lee@gmail.com")).containsExactly(ANN);
            assertThat(matcher.match("annlee@gmail.com")).isEmpty();
            assertThat(matcher.match("ann.lee+news@gmail.com")).isEmpty();
            assertThat(matcher.match("ann.lee@googlemail.com")).isEmpty();
        }

        @Test
        void ignoresDotsAndTagsAndTreatsGooglemailAsGmail() {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                    .gmailCanonicalization(true)
                    .add("c-ann", "Ann.Lee+crm@googlemail.com")
                    .build();

            assertThat(matcher.match("annlee@gmail.com")).containsExactly(ANN);
            assertThat(matcher.match("ann.lee@gmail.com")).containsExactly(ANN);
            assertThat(matcher.match("a.n.n.l.e.e+news@gmail.com")).containsExactly(ANN);
            assertThat(matcher.match("ann.lee@googlemail.com")).containsExactly(ANN);
            assertThat(matcher.match("ANN.LEE@GoogleMail.com")).containsExactly(ANN);
            assertThat(matcher.match("ann@gmail.com")).isEmpty();
            assertThat(matcher.size()).isEqualTo(1);
        }

        @Test
        void mergesTheContactsOfAddressesGmailDeliversToOneMailbox() {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                    .add("c-ann", "ann.lee@gmail.com")
                    .add("c-bob", "annlee@googlemail.com")
                    .add("c-ann", "ann.lee+work@gmail.com")
                    .gmailCanonicalization(true)
                    .build();

            assertThat(matcher.match("annlee@gmail.com")).containsExactly(ANN, BOB);
        }

        @Test
        void leavesOtherDomainsAlone() {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                    .gmailCanonicalization(true)
                    .add("c-ann", "ann.lee+crm@example.com")
                    .add("c-bob", "bob.lee@gmail.com.example")
                    .build();

            assertThat(matcher.match("ann.lee+crm@example.com")).containsExactly(ANN);
            assertThat(matcher.match("annlee@example.com")).isEmpty();
            assertThat(matcher.match("ann.lee@example.com")).isEmpty();
            assertThat(matcher.match("bob.lee@gmail.com.example")).containsExactly(BOB);
            assertThat(matcher.match("boblee@gmail.com")).isEmpty();
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsABlankContactId() {
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add(" ", "ann@example.com"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("A contact id is empty: give the host application's id of the contact");
        }

        @Test
        void rejectsTextThatIsNotAnAddress() {
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "ann.example.com"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'ann.example.com' of contact c-ann is not an email address (it has no @):"
                            + " give the bare address, like ann@example.com");
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "Ann Lee <ann@example.com>"))
                    .hasMessage("'Ann Lee <ann@example.com>' of contact c-ann is not an email address"
                            + " (it contains a space): give the bare address, like ann@example.com");
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "<ann@example.com>"))
                    .hasMessage("'<ann@example.com>' of contact c-ann is not an email address"
                            + " (it contains '<'): give the bare address, like ann@example.com");
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "@example.com"))
                    .hasMessage("'@example.com' of contact c-ann is not an email address"
                            + " (nothing comes before the @): give the bare address, like ann@example.com");
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "ann@"))
                    .hasMessage("'ann@' of contact c-ann is not an email address"
                            + " (no domain follows the @): give the bare address, like ann@example.com");
        }

        @Test
        void rejectsAnEmptyAddress() {
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "ann@example.com", " "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("An address of contact c-ann is empty: give an address like ann@example.com,"
                            + " or leave it out");
        }

        @Test
        void rejectsANullAddress() {
            assertThatThrownBy(() -> InMemoryContactMatcher.builder().add("c-ann", "ann@example.com", null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("An address of contact c-ann is null");
        }

        @Test
        void addsNothingOfACallThatFails() {
            InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();

            assertThatThrownBy(() -> builder.add("c-ann", "ann@example.com", "oops"))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(builder.build().size()).isZero();
        }
    }

    @Nested
    class Csv {
        @Test
        void readsOneContactPerLineWithItsAddresses() throws IOException {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.fromCsv(new StringReader("""
                    # exported from the CRM
                    c-ann,ann@example.com,Ann.Lee@Work.Example

                      c-bob , bob@example.com ,
                    c-carol,carol@example.com,,sales@example.com
                    c-ann,sales@example.com
                    """));

            assertThat(matcher.match("ann@example.com")).containsExactly(ANN);
            assertThat(matcher.match("ann.lee@work.example")).containsExactly(ANN);
            assertThat(matcher.match("bob@example.com")).containsExactly(BOB);
            assertThat(matcher.match("sales@example.com")).containsExactly(CAROL, ANN);
            assertThat(matcher.contactCount()).isEqualTo(3);
            assertThat(matcher.size()).isEqualTo(5);
        }

        @Test
        void skipsAByteOrderMarkAndReadsWindowsLineEnds() throws IOException {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.fromCsv(
                    new StringReader("\uFEFFc-ann,ann@example.com\r\nc-bob,bob@example.com\r\n"));

            assertThat(matcher.match("ann@example.com")).containsExactly(ANN);
            assertThat(matcher.match("bob@example.com")).containsExactly(BOB);
        }

        @Test
        void appliesGmailCanonicalizationWhenTheBuilderAsks() throws IOException {
            InMemoryContactMatcher matcher = InMemoryContactMatcher.builder()
                    .gmailCanonicalization(true)
                    .addCsv(new StringReader("c-ann,ann.lee@gmail.com\n"))
                    .build();

            assertThat(matcher.match("annlee+x@googlemail.com")).containsExactly(ANN);
        }

        @Test
        void reportsALineWithoutAnAddress() {
            assertThatThrownBy(() -> InMemoryContactMatcher.fromCsv(new StringReader("c-ann,ann@example.com\nc-bob\n")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Line 2: contact c-bob has no email address;"
                            + " write contact_id,email[,email...], e.g. c-17,ann@example.com");
            assertThatThrownBy(() -> InMemoryContactMatcher.fromCsv(new StringReader("c-bob, ,\n")))
                    .hasMessage("Line 1: contact c-bob has no email address;"
                            + " write contact_id,email[,email...], e.g. c-17,ann@example.com");
        }

        @Test
        void reportsALineWithoutAContactId() {
            assertThatThrownBy(() -> InMemoryContactMatcher.fromCsv(new StringReader("# contacts\n\n ,ann@example.com\n")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Line 3: the contact id is empty;"
                            + " write contact_id,email[,email...], e.g. c-17,ann@example.com");
        }

        @Test
        void reportsAFieldThatIsNotAnAddress() {
            assertThatThrownBy(() -> InMemoryContactMatcher.fromCsv(new StringReader("id,email\n")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Line 1: 'email' of contact id is not an email address (it has no @):"
                            + " give the bare address, like ann@example.com");
            assertThatThrownBy(() -> InMemoryContactMatcher.fromCsv(
                    new StringReader("c-ann,ann@example.com\n\"c-bob\",\"bob@example.com\"\n")))
                    .hasMessage("Line 2: '\"bob@example.com\"' of contact \"c-bob\" is not an email address"
                            + " (it contains '\"'): give the bare address, like ann@example.com");
        }

        @Test
        void addsNothingOfAListWithAMistake() {
            InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();

            assertThatThrownBy(() -> builder.addCsv(new StringReader("c-ann,ann@example.com\nc-bob,bob\n")))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(builder.build().size()).isZero();
        }
    }
}
