package dev.imapsync.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The page's entries grouped by thread: the threads in the order of their newest entry
     * (newest thread first), each with its entries on this page, newest first. An entry without a
     * thread key is a thread of its own. A thread whose older messages are on later pages shows
     * them there: page through the timeline, or ask for a larger page, to see a thread whole.
     */
    public List<EmailThread> threads() {
        Map<String, List<TimelineEntry>> byThread = new LinkedHashMap<>();
        for (TimelineEntry entry : entries) {
            String key = entry.threadKey().orElse("msg:" + entry.messageKey().value());
            byThread.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
        }
        List<EmailThread> threads = new ArrayList<>(byThread.size());
        byThread.forEach((key, list) -> threads.add(new EmailThread(key, list)));
        return List.copyOf(threads);
    }

    /**
     * One thread of a page.
     *
     * @param key     the entries' thread key ({@link TimelineEntry#threadKey()}), or {@code msg:} and
     *                the message key for an entry without one
     * @param entries its entries on the page, newest first; never empty
     */
    public record EmailThread(String key, List<TimelineEntry> entries) {
        /** Validates and copies. */
        public EmailThread {
            Objects.requireNonNull(key, "key");
            entries = List.copyOf(entries);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("Thread " + key + " has no entry");
            }
        }

        /** The newest entry, which places the thread on the page. */
        public TimelineEntry newest() {
            return entries.get(0);
        }
    }
}
