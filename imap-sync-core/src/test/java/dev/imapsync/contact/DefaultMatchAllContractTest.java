package dev.imapsync.contact;

import dev.imapsync.testing.contract.ContactMatcherContract;
import java.util.List;
import java.util.Map;

/**
 * The {@link ContactMatcher} contract for a matcher that implements only {@code match}: the
 * interface's default {@code matchAll} keeps it too.
 */
class DefaultMatchAllContractTest extends ContactMatcherContract {
    @Override
    protected ContactMatcher matcherOf(Map<ContactRef, List<String>> contacts) {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        contacts.forEach(builder::add);
        ContactMatcher inMemory = builder.build();
        return inMemory::match;
    }
}
