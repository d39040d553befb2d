package dev.imapsync.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a list of contacts shows without reading timelines: how many messages a contact has
 * (one per message, across accounts) and when mail last came in and went out ("last contacted").
 *
 * @param contactId    the contact
 * @param messages     entries in the contact's timeline
 * @param lastInbound  the date of the newest INBOUND entry
 * @param lastOutbound the date of the newest OUTBOUND entry
 */
public record ContactSummary(String contactId, long messages, Optional<Instant> lastInbound,
                             Optional<Instant> lastOutbound) {
    /** Validates the parts. */
    public ContactSummary {
        Objects.requireNonNull(contactId, "contactId");
        if (messages < 0) {
            throw new IllegalArgumentException("Contact " + contactId + " has a negative message count: " + messages);
        }
        Objects.requireNonNull(lastInbound, "lastInbound");
        Objects.requireNonNull(lastOutbound, "lastOutbound");
    }

    /** The summary of a contact without any message. */
    public static ContactSummary none(String contactId) {
        return new ContactSummary(contactId, 0, Optional.empty(), Optional.empty());
    }
}
