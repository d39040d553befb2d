package dev.imapsync.contact;

import dev.imapsync.testing.contract.ContactMatcherContract;
import java.util.List;
import java.util.Map;

/** The {@link ContactMatcher} contract for {@link InMemoryContactMatcher}. */
class InMemoryContactMatcherContractTest extends ContactMatcherContract {
    @Override
    protected ContactMatcher matcherOf(Map<ContactRef, List<String>> contacts) {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        contacts.forEach(builder::add);
        return builder.build();
    }
}
