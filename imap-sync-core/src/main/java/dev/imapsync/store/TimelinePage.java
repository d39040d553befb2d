package dev.imapsync.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a contact's timeline, newest first.
 *
 * @param entries at most the query's page size
 * @param next    the cursor of the next page ({@link TimelineQuery#after(String)}); empty on the last page.
 *                Opaque: pass it back as it is.
 */
public record TimelinePage(List<TimelineEntry> entries, Optional<String> next) {
    /** Validates and copies. */
    public TimelinePage {
        entries = List.copyOf(entries);
        Objects.requireNonNull(next, "next");
    }
}
