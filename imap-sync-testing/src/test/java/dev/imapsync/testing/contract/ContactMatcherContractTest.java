package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The contract catches the mistakes a host's matcher is likely to make: each broken matcher
 * here fails the check written for its mistake, and a correct one passes it.
 */
class ContactMatcherContractTest {

    /** A matcher over a map of addresses as {@code key} turns them, one entry per stored address. */
    private static ContactMatcher mapMatcher(Map<ContactRef, List<String>> contacts, Function<String, String> key,
                                             boolean distinct) {
        Map<String, List<ContactRef>> index = new HashMap<>();
        contacts.forEach((contact, addresses) -> addresses.forEach(address -> {
            List<ContactRef> found = index.computeIfAbsent(key.apply(address), k -> new ArrayList<>());
            if (!distinct || !found.contains(contact)) {
                found.add(contact);
            }
        }));
        return address -> List.copyOf(index.getOrDefault(address, List.of()));
    }

    private static ContactMatcherContract contractOf(Function<Map<ContactRef, List<String>>, ContactMatcher> make) {
        ContactMatcherContract contract = new ContactMatcherContract() {
            @Override
            protected ContactMatcher matcherOf(Map<ContactRef, List<String>> contacts) {
                return make.apply(contacts);
            }
        };
        contract.loadContacts();
        return contract;
    }

    @Test
    void failsAMatcherThatComparesAddressesAsStored() {
        ContactMatcherContract caseSensitive = contractOf(c -> mapMatcher(c, a -> a, true));

        assertThatThrownBy(caseSensitive::matchesTheNormalizedFormOfAnAddressStoredInAnotherCase)
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(caseSensitive::answersEveryContactOfASharedAddress).isInstanceOf(AssertionError.class);
    }

    @Test
    void passesAMatcherThatNamesAContactOncePerStoredAddress() {
        // ContactMatcher allows a contact named twice: the sync records it once per role anyway
        ContactMatcherContract repeating = contractOf(c -> mapMatcher(c, a -> a.toLowerCase(Locale.ROOT), false));

        repeating.answersTheContactWhoseAddressIsStoredTwice();
        repeating.matchAllAnswersWhatMatchAnswersForEachAddress();
    }

    @Test
    void failsAMatcherWhoseBatchAnswerDisagreesWithItsSingleAnswer() {
        ContactMatcherContract forgetful = contractOf(c -> {
            ContactMatcher single = mapMatcher(c, a -> a.toLowerCase(Locale.ROOT), true);
            return new ContactMatcher() {
                @Override
                public List<ContactRef> match(String normalizedAddress) {
                    return single.match(normalizedAddress);
                }

                @Override
                public Map<String, List<ContactRef>> matchAll(Set<String> normalizedAddresses) {
                    return Map.of(); // forgets to look the batch up
                }
            };
        });

        assertThatThrownBy(forgetful::matchAllAnswersWhatMatchAnswersForEachAddress).isInstanceOf(AssertionError.class);
        assertThatThrownBy(forgetful::matchAllAnswersABatchOfThousandsOfAddresses).isInstanceOf(AssertionError.class);
    }

    @Test
    void passesAMatcherThatNormalizesAndAnswersEachContactOnce() {
        ContactMatcherContract correct = contractOf(c -> mapMatcher(c, a -> a.toLowerCase(Locale.ROOT), true));

        assertThatCode(() -> {
            correct.matchesEachAddressOfAContact();
            correct.matchesTheNormalizedFormOfAnAddressStoredInAnotherCase();
            correct.answersEveryContactOfASharedAddress();
            correct.answersTheContactWhoseAddressIsStoredTwice();
            correct.answersNothingForAnUnknownAddress();
            correct.matchAllOfNoAddressesAnswersNothing();
            correct.matchAllAnswersWhatMatchAnswersForEachAddress();
            correct.matchAllAnswersABatchOfThousandsOfAddresses();
            correct.keepsNoReferenceToTheSetItIsGiven();
            correct.answersTheSameFromSeveralThreadsAtOnce();
        }).doesNotThrowAnyException();
    }
}
