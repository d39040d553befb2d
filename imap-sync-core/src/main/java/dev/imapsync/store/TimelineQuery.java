package dev.imapsync.store;

import dev.imapsync.contact.Direction;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which page of a contact's timeline to read: the contact, a page size (1 to
 * {@value #MAX_PAGE_SIZE}), the cursor of the page before ({@link TimelinePage#next()}) and
 * optional filters. Build one with {@link #forContact(String)}.
 *
 * @param contactId the contact
 * @param pageSize  how many entries at most
 * @param after     the previous page's cursor; empty for the newest page
 * @param accounts  only messages held by one of these accounts; empty for all
 * @param direction only messages of this direction (the company's view)
 * @param since     only messages dated at or after this instant
 * @param until     only messages dated before this instant
 */
public record TimelineQuery(String contactId, int pageSize, Optional<String> after, Set<String> accounts,
                            Optional<Direction> direction, Optional<Instant> since, Optional<Instant> until) {
    /** The largest page a query may ask for. */
    public static final int MAX_PAGE_SIZE = 500;
    /** The page size of {@link #forContact(String)}. */
    public static final int DEFAULT_PAGE_SIZE = 50;

    /** Validates the parts. */
    public TimelineQuery {
        Objects.requireNonNull(contactId, "contactId");
        if (contactId.isBlank()) {
            throw new IllegalArgumentException("The contact id is blank: give the id your ContactMatcher answers");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("A page holds 1 to " + MAX_PAGE_SIZE + " entries, not " + pageSize
                    + ": read further pages with the cursor");
        }
        Objects.requireNonNull(after, "after");
        accounts = Set.copyOf(accounts);
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("The date range is empty: since " + since.get()
                    + " is not before until " + until.get());
        }
    }

    /** The newest {@value #DEFAULT_PAGE_SIZE} entries of a contact, all accounts, both directions. */
    public static TimelineQuery forContact(String contactId) {
        return new TimelineQuery(contactId, DEFAULT_PAGE_SIZE, Optional.empty(), Set.of(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** This query with another page size. */
    public TimelineQuery pageSize(int size) {
        return new TimelineQuery(contactId, size, after, accounts, direction, since, until);
    }

    /** The page after the one whose {@link TimelinePage#next()} this is. */
    public TimelineQuery after(String cursor) {
        return new TimelineQuery(contactId, pageSize, Optional.of(Objects.requireNonNull(cursor, "cursor")),
                accounts, direction, since, until);
    }

    /** Only messages held by one of these accounts. */
    public TimelineQuery accounts(Set<String> accountIds) {
        return new TimelineQuery(contactId, pageSize, after, accountIds, direction, since, until);
    }

    /** Only messages of this direction. */
    public TimelineQuery direction(Direction only) {
        return new TimelineQuery(contactId, pageSize, after, accounts,
                Optional.of(Objects.requireNonNull(only, "direction")), since, until);
    }

    /** Only messages dated in {@code [from, to)}. */
    public TimelineQuery between(Instant from, Instant to) {
        return new TimelineQuery(contactId, pageSize, after, accounts, direction,
                Optional.of(Objects.requireNonNull(from, "from")), Optional.of(Objects.requireNonNull(to, "to")));
    }
}
