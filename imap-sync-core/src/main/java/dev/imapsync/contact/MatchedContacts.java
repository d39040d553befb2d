package dev.imapsync.contact;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The contacts of one address, in the order added, each once: at the same time the entry of
 * {@link AddressIndex} that holds the address and the immutable list a look-up answers, so that
 * answering costs no allocation and no further memory access. (Every mutator of {@link
 * AbstractList} throws {@link UnsupportedOperationException}.)
 */
final class MatchedContacts extends AbstractList<ContactRef> implements RandomAccess {
    /** The address these are the contacts of; its own copy, allocated right before this. */
    final String address;
    /** One {@code ContactRef}, or a {@code ContactRef[]} of several: most addresses have one contact. */
    private final Object contacts;

    MatchedContacts(String address, Object contacts) {
        this.address = address;
        this.contacts = contacts;
    }

    @Override
    public ContactRef get(int index) {
        if (contacts instanceof ContactRef single) {
            Objects.checkIndex(index, 1);
            return single;
        }
        return ((ContactRef[]) contacts)[index];
    }

    @Override
    public int size() {
        return contacts instanceof ContactRef ? 1 : ((ContactRef[]) contacts).length;
    }
}
