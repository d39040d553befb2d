package dev.imapsync.contact;

import java.util.Arrays;

/**
 * An immutable hash table from address keys to their contacts, laid out for look-ups in the
 * sync's hot path, where most addresses belong to no contact and the table is far larger than
 * the CPU caches:
 * <ul>
 *   <li>open addressing with linear probing at a load of at most one half;</li>
 *   <li>one byte per slot, a tag from the key's hash, in an array of its own (4 MB for two
 *       million addresses): a miss is nearly always decided there, in cache and within the
 *       TLB's reach, without touching any key;</li>
 *   <li>a hit reads one slot reference and then the entry, which was allocated right after its
 *       own copy of the key, so it costs two trips to memory, not three or four;</li>
 *   <li>the entry is itself the immutable answer, so a look-up allocates nothing.</li>
 * </ul>
 * {@link #getAll} looks up many keys in stages so that their memory accesses overlap; one key
 * at a time waits for each access in turn.
 */
final class AddressIndex {
    private static final byte EMPTY = 0;
    /** Keys per stage of {@link #getAll}: enough accesses in flight to keep memory busy. */
    private static final int GROUP = 32;
    private static final int MAX_CAPACITY = 1 << 30;

    private final byte[] tags;
    private final MatchedContacts[] entries;
    private final int mask;
    private final int shift;
    private final int size;

    private AddressIndex(byte[] tags, MatchedContacts[] entries, int size) {
        this.tags = tags;
        this.entries = entries;
        this.mask = tags.length - 1;
        this.shift = Integer.numberOfLeadingZeros(mask);
        this.size = size;
    }

    /** The entry of {@code key}, or null. */
    MatchedContacts get(String key) {
        int hash = mix(key.hashCode());
        byte tag = tag(hash);
        int i = hash >>> shift;
        while (true) {
            byte candidate = tags[i];
            if (candidate == EMPTY) {
                return null;
            }
            if (candidate == tag) {
                MatchedContacts entry = entries[i];
                if (key.equals(entry.address)) {
                    return entry;
                }
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Looks up every key: {@code found[k]} becomes the entry of {@code keys[k]}, or null. The
     * same answers as {@link #get}, several times faster on a large table: each loop below
     * makes one kind of memory access for a whole group of keys, and those accesses, being
     * independent, wait for memory together.
     */
    void getAll(String[] keys, MatchedContacts[] found) {
        int[] hashes = new int[GROUP];
        int[] slots = new int[GROUP];
        byte[] firstTags = new byte[GROUP];
        MatchedContacts[] candidates = new MatchedContacts[GROUP];
        int[] lengths = new int[GROUP];
        for (int base = 0; base < keys.length; base += GROUP) {
            int n = Math.min(GROUP, keys.length - base);
            for (int j = 0; j < n; j++) {
                hashes[j] = mix(keys[base + j].hashCode());
                slots[j] = hashes[j] >>> shift;
            }
            for (int j = 0; j < n; j++) {
                firstTags[j] = tags[slots[j]];
            }
            for (int j = 0; j < n; j++) {
                // the first slot whose tag matches, or -1: the run of slots is now in cache
                byte tag = tag(hashes[j]);
                byte candidate = firstTags[j];
                int i = slots[j];
                while (candidate != EMPTY && candidate != tag) {
                    i = (i + 1) & mask;
                    candidate = tags[i];
                }
                slots[j] = candidate == EMPTY ? -1 : i;
            }
            for (int j = 0; j < n; j++) {
                candidates[j] = slots[j] < 0 ? null : entries[slots[j]];
            }
            for (int j = 0; j < n; j++) {
                // reads the entry and its key: the comparison below then finds them in cache
                lengths[j] = candidates[j] == null ? -1 : candidates[j].address.length();
            }
            for (int j = 0; j < n; j++) {
                String key = keys[base + j];
                MatchedContacts candidate = candidates[j];
                if (candidate == null) {
                    found[base + j] = null;
                } else if (lengths[j] == key.length() && key.equals(candidate.address)) {
                    found[base + j] = candidate;
                } else {
                    // another key with the same tag: rare, so probe the slow way
                    found[base + j] = get(key);
                }
            }
        }
    }

    /** The number of distinct keys. */
    int size() {
        return size;
    }

    /** Murmur3's finalizer: String.hashCode of similar addresses differs mostly in its low bits. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    /** The tag from the hash's low bits (the slot comes from its high bits); never {@link #EMPTY}. */
    private static byte tag(int hash) {
        byte tag = (byte) hash;
        return tag == EMPTY ? 1 : tag;
    }

    /** Collects (key, contact) pairs; each key keeps its contacts in the order added, once each. */
    static final class Builder {
        private final byte[] tags;
        private final String[] keys;
        /** Per slot one {@code ContactRef}, or a {@code ContactRef[]} of several. */
        private final Object[] contacts;
        private final int mask;
        private final int shift;
        private int size;

        /** A builder for at most {@code maxKeys} distinct keys. */
        Builder(int maxKeys) {
            if (maxKeys > MAX_CAPACITY / 2) {
                throw new IllegalArgumentException("Too many addresses for one matcher: " + maxKeys
                        + " (at most " + MAX_CAPACITY / 2 + "); match them from a database instead");
            }
            int capacity = Math.max(2, Integer.highestOneBit(Math.max(1, maxKeys) * 2 - 1) << 1);
            tags = new byte[capacity];
            keys = new String[capacity];
            contacts = new Object[capacity];
            mask = capacity - 1;
            shift = Integer.numberOfLeadingZeros(mask);
        }

        void add(String key, ContactRef contact) {
            int hash = mix(key.hashCode());
            byte tag = tag(hash);
            int i = hash >>> shift;
            while (tags[i] != EMPTY) {
                if (tags[i] == tag && key.equals(keys[i])) {
                    contacts[i] = with(contacts[i], contact);
                    return;
                }
                i = (i + 1) & mask;
            }
            tags[i] = tag;
            keys[i] = key;
            contacts[i] = contact;
            size++;
        }

        private static Object with(Object contacts, ContactRef contact) {
            if (contacts instanceof ContactRef single) {
                return single.equals(contact) ? single : new ContactRef[] {single, contact};
            }
            ContactRef[] several = (ContactRef[]) contacts;
            for (ContactRef known : several) {
                if (known.equals(contact)) {
                    return several;
                }
            }
            ContactRef[] more = Arrays.copyOf(several, several.length + 1);
            more[several.length] = contact;
            return more;
        }

        /** The index; this builder must not be used afterwards. */
        AddressIndex build() {
            MatchedContacts[] entries = new MatchedContacts[tags.length];
            for (int i = 0; i < entries.length; i++) {
                if (keys[i] != null) {
                    // a fresh copy of the key, allocated right before its entry: one trip to memory reads both
                    String key = new String(keys[i].toCharArray());
                    entries[i] = new MatchedContacts(key, contacts[i]);
                }
            }
            return new AddressIndex(tags, entries, size);
        }
    }
}
