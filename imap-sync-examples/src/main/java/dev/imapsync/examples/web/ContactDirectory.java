package dev.imapsync.examples.web;

import java.util.List;
import java.util.Optional;

/**
 * The host application's own contacts, as its contact list shows them: imap-sync knows contacts
 * only by the ids the {@link dev.imapsync.contact.ContactMatcher} gives, the CRM knows their names.
 */
public interface ContactDirectory {

    /** The contacts to list, in the CRM's order (at most 1,000). */
    List<Card> contacts();

    /** One contact by its id (the id the matcher gives), or empty when the CRM has no such contact. */
    default Optional<Card> find(String id) {
        return contacts().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * A contact as a list shows it.
     *
     * @param id      the id the matcher gives imap-sync
     * @param name    the name to show
     * @param company the company, or empty
     * @param email   the primary address, or empty
     */
    record Card(String id, String name, String company, String email) {
    }
}
