package dev.imapsync.contact;

import dev.imapsync.message.EmailAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SPI host applications implement: which of their contacts an email address belongs to.
 *
 * <p>imap-sync calls {@link #matchAll} once per batch of messages with every distinct
 * normalized address of the batch (see {@link dev.imapsync.message.EmailAddress#normalize}), so an
 * implementation backed by a database should override it with one query per call. Addresses
 * that match nothing may be left out of the answer.
 *
 * <p>Thread-safety: a matcher may be called from several sync threads at once (one per account
 * being synced) and must be safe for that; it must not keep references to the sets it is given.
 * It should be fast and must not call back into imap-sync.
 */
@FunctionalInterface
public interface ContactMatcher {

    /** The contacts this normalized address belongs to; empty when none. */
    List<ContactRef> match(String normalizedAddress);

    /**
     * The contacts of each address that belongs to any; addresses without contacts may be
     * absent from the map. The default calls {@link #match} once per address.
     */
    default Map<String, List<ContactRef>> matchAll(Set<String> normalizedAddresses) {
        Map<String, List<ContactRef>> found = new HashMap<>();
        for (String address : normalizedAddresses) {
            List<ContactRef> contacts = match(address);
            if (!contacts.isEmpty()) {
                found.put(address, contacts);
            }
        }
        return found;
    }
}
