package dev.imapsync.store;

import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.TimelineEntry.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One contact's timeline in {@link InMemorySyncStore}: one entry per message, whichever
 * accounts hold it, kept newest first (by date, then message key, descending) so a page is a
 * walk from its cursor. Not thread-safe: the store holds its lock around every call.
 */
final class ContactTimeline {

    /** Newest first, equal dates by message key descending: the order of {@link TimelineStore}. */
    static final Comparator<TimelineCursor> NEWEST_FIRST =
            Comparator.comparing(TimelineCursor::date).thenComparing(c -> c.key().value()).reversed();

    private final String contactId;
    private final Map<MessageKey, Message> byKey = new HashMap<>();
    private final NavigableMap<TimelineCursor, Message> newestFirst = new TreeMap<>(NEWEST_FIRST);

    ContactTimeline(String contactId) {
        this.contactId = contactId;
    }

    /**
     * Records that the contact is in {@code role} of a message as {@code accountId} holds it
     * ({@code message} is that account's recorded copy: its folder and UID are the location).
     */
    void record(String accountId, SyncedMessage message, ParticipantRole role, long uidValidity) {
        Message entry = byKey.get(message.key());
        if (entry == null) {
            entry = new Message(message);
            byKey.put(message.key(), entry);
            newestFirst.put(entry.position, entry);
        }
        entry.roles.add(role);
        entry.locations.putIfAbsent(accountId, new Location(accountId, message.folder(), message.uid(), uidValidity));
        if (entry.threadKey.isEmpty()) {
            entry.threadKey = message.threadId();
        }
        if (entry.preview.isEmpty()) {
            entry.preview = message.preview();
        }
    }

    /**
     * Records that {@code accountId} holds a message of this timeline, even where the contact
     * was not matched in its copy (a Bcc only the sender's copy shows): it can be opened there too.
     * Does nothing for a message that is not on the timeline.
     */
    void held(String accountId, SyncedMessage message, long uidValidity) {
        Message entry = byKey.get(message.key());
        if (entry != null) {
            entry.locations.putIfAbsent(accountId, new Location(accountId, message.folder(), message.uid(),
                    uidValidity));
        }
    }

    /**
     * The page after the cursor (or the newest) of the entries the filter keeps.
     *
     * @param threads the thread a recorded thread key belongs to now
     */
    TimelinePage page(TimelineQuery query, Set<String> ownAddresses, UnaryOperator<String> threads) {
        Map<TimelineCursor, Message> after = query.after()
                .map(cursor -> (Map<TimelineCursor, Message>) newestFirst.tailMap(TimelineCursor.decode(cursor), false))
                .orElse(newestFirst);
        Predicate<TimelineEntry> kept = filter(query);
        List<TimelineEntry> entries = new ArrayList<>(query.pageSize());
        for (Message message : after.values()) {
            if (query.since().isPresent() && message.position.date().isBefore(query.since().get())) {
                break;
            }
            TimelineEntry entry = message.toEntry(ownAddresses, threads);
            if (!kept.test(entry)) {
                continue;
            }
            if (entries.size() == query.pageSize()) {
                // one more entry exists: the page ends at its last entry
                return new TimelinePage(entries, Optional.of(TimelineCursor.of(entries.get(entries.size() - 1))
                        .encode()));
            }
            entries.add(entry);
        }
        return new TimelinePage(entries, Optional.empty());
    }

    /** How many messages, and the newest of each direction. */
    ContactSummary summary(Set<String> ownAddresses) {
        Optional<Instant> lastInbound = Optional.empty();
        Optional<Instant> lastOutbound = Optional.empty();
        for (Message message : newestFirst.values()) {
            if (lastInbound.isPresent() && lastOutbound.isPresent()) {
                break;
            }
            if (message.direction(ownAddresses) == Direction.OUTBOUND) {
                lastOutbound = lastOutbound.or(() -> Optional.of(message.position.date()));
            } else {
                lastInbound = lastInbound.or(() -> Optional.of(message.position.date()));
            }
        }
        return new ContactSummary(contactId, byKey.size(), lastInbound, lastOutbound);
    }

    /** The number of messages on the timeline. */
    int size() {
        return byKey.size();
    }

    private static Predicate<TimelineEntry> filter(TimelineQuery query) {
        return entry -> (query.accounts().isEmpty()
                || entry.locations().stream().anyMatch(l -> query.accounts().contains(l.accountId())))
                && query.direction().map(d -> d == entry.direction()).orElse(true)
                && query.until().map(until -> entry.date().isBefore(until)).orElse(true);
    }

    /** One message on the timeline: what the first copy recorded said, and where every account holds it. */
    private static final class Message {
        final TimelineCursor position;
        final String subject;
        final EmailAddress sender;
        final Set<ParticipantRole> roles = EnumSet.noneOf(ParticipantRole.class);
        final Map<String, Location> locations = new TreeMap<>();
        Optional<String> threadKey;
        Optional<MessagePreview> preview;
        final boolean bulk;

        Message(SyncedMessage first) {
            bulk = first.bulk();
            position = new TimelineCursor(first.date(), first.key());
            subject = first.subject();
            sender = first.sender();
            threadKey = first.threadId();
            preview = first.preview();
        }

        /** The company's view: sent by one of the connected accounts' own addresses, or not. */
        Direction direction(Set<String> ownAddresses) {
            return ownAddresses.contains(sender.normalized()) ? Direction.OUTBOUND : Direction.INBOUND;
        }

        TimelineEntry toEntry(Set<String> ownAddresses, UnaryOperator<String> threads) {
            return new TimelineEntry(position.key(), position.date(), subject, sender, roles, direction(ownAddresses),
                    List.copyOf(locations.values()), threadKey.map(threads), preview, bulk);
        }
    }
}
