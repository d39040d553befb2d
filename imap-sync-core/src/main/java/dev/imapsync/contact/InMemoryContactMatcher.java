package dev.imapsync.contact;

import dev.imapsync.message.EmailAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ContactMatcher} over a contact list held in memory: for tests, demos, the CLI's
 * {@code --contacts} file, and host applications that can afford to load their contacts'
 * addresses (about 150 bytes per address; a million contacts with two addresses each take about
 * 300 MB). A look-up allocates nothing; on a table larger than the CPU caches a miss is decided
 * in cache and a hit costs two memory accesses. {@link #matchAll}, which the sync calls once per
 * batch, overlaps the look-ups of a batch and is several times faster per address than {@link
 * #match}.
 *
 * <pre>{@code
 * ContactMatcher matcher = InMemoryContactMatcher.builder()
 *         .add("c-17", "ann@example.com", "ann.lee@work.example")
 *         .add("c-42", "support@example.com")
 *         .build();
 * }</pre>
 *
 * <p>Addresses are normalized with {@link EmailAddress#normalize} when added. A contact may
 * have many addresses and an address may belong to several contacts: {@link #match} answers all
 * of them, in the order they were added, each once. With {@linkplain
 * Builder#gmailCanonicalization(boolean) Gmail canonicalization} addresses that Gmail delivers
 * to the same mailbox match each other.
 *
 * <p>Immutable and thread-safe.
 */
public final class InMemoryContactMatcher implements ContactMatcher {
    private final AddressIndex index;
    private final boolean gmailCanonicalization;
    private final int contactCount;

    private InMemoryContactMatcher(AddressIndex index, boolean gmailCanonicalization, int contactCount) {
        this.index = index;
        this.gmailCanonicalization = gmailCanonicalization;
        this.contactCount = contactCount;
    }

    /** A builder with Gmail canonicalization off. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A matcher for a CSV contact list, with Gmail canonicalization off; see {@link
     * Builder#addCsv(Reader)} for the format. The reader is read to its end but not closed.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     * @throws IOException              if the reader fails
     */
    public static InMemoryContactMatcher fromCsv(Reader csv) throws IOException {
        return builder().addCsv(csv).build();
    }

    /**
     * The contacts this address belongs to, in the order they were added; an empty list when
     * none. The answer is immutable and shared: the fast path allocates nothing. The address
     * should be normalized (as {@link dev.imapsync.message.EmailAddress#normalized()} is), but
     * any form of it matches: an address that misses as given is normalized and tried again.
     */
    @Override
    public List<ContactRef> match(String address) {
        Objects.requireNonNull(address, "address");
        List<ContactRef> found = index.get(address);
        if (found != null) {
            return found;
        }
        return MatchKeys.isKey(address, gmailCanonicalization) ? List.of() : matchNormalized(address);
    }

    /**
     * The contacts of each given address that belongs to any, keyed by the address as given;
     * the same answers as {@link #match}, several times faster per address for a batch. The map
     * is new and the caller's to keep.
     */
    @Override
    public Map<String, List<ContactRef>> matchAll(Set<String> addresses) {
        String[] given = addresses.toArray(new String[0]);
        MatchedContacts[] found = new MatchedContacts[given.length];
        index.getAll(given, found);
        int count = 0;
        for (int i = 0; i < given.length; i++) {
            if (found[i] == null && !MatchKeys.isKey(given[i], gmailCanonicalization)) {
                found[i] = index.get(MatchKeys.of(given[i], gmailCanonicalization));
            }
            if (found[i] != null) {
                count++;
            }
        }
        // sized once for what matched: most addresses of a batch belong to no contact
        Map<String, List<ContactRef>> answer = new HashMap<>((int) (count / 0.75f) + 1);
        for (int i = 0; i < given.length; i++) {
            if (found[i] != null) {
                answer.put(given[i], found[i]);
            }
        }
        return answer;
    }

    private List<ContactRef> matchNormalized(String address) {
        List<ContactRef> found = index.get(MatchKeys.of(address, gmailCanonicalization));
        return found == null ? List.of() : found;
    }

    /** The number of distinct addresses (after normalization and canonicalization) that match a contact. */
    public int size() {
        return index.size();
    }

    /** The number of distinct contacts with at least one address. */
    public int contactCount() {
        return contactCount;
    }

    /** Whether Gmail addresses are matched the way Gmail delivers them. */
    public boolean gmailCanonicalization() {
        return gmailCanonicalization;
    }

    @Override
    public String toString() {
        return "InMemoryContactMatcher{contacts=" + contactCount + ", addresses=" + index.size()
                + ", gmailCanonicalization=" + gmailCanonicalization + "}";
    }

    /**
     * Collects contacts and their addresses. Each address is checked and normalized as it is
     * added, so a mistake is reported with the contact it belongs to. Not thread-safe; {@link
     * #build} may be called more than once, and later additions do not change matchers already
     * built.
     */
    public static final class Builder {
        private static final String CSV_FORMAT = "write contact_id,email[,email...], e.g. c-17,ann@example.com";

        private final List<ContactRef> contacts = new ArrayList<>();
        private final List<String> addresses = new ArrayList<>();
        private boolean gmailCanonicalization;

        private Builder() {
        }

        /**
         * Gmail delivers {@code j.doe+news@googlemail.com} to {@code jdoe@gmail.com}: when on, for
         * gmail.com and googlemail.com addresses dots in the local part and {@code +tag}
         * suffixes are ignored and googlemail.com equals gmail.com, for the addresses added as
         * well as those matched. Off by default, because other providers treat dots and tags
         * differently and two contacts may own addresses that differ only in a dot.
         */
        public Builder gmailCanonicalization(boolean on) {
            this.gmailCanonicalization = on;
            return this;
        }

        /**
         * Adds a contact's addresses; adding the same contact again adds more addresses.
         *
         * @param contactId the host application's contact id, not blank
         * @param addresses email addresses in any case and IDN form, e.g. {@code Ann@Bücher.example}
         * @throws IllegalArgumentException if the id is blank or an address is not an email address
         */
        public Builder add(String contactId, String... addresses) {
            Objects.requireNonNull(contactId, "contactId");
            Objects.requireNonNull(addresses, "addresses");
            return add(ContactRef.of(contactId), Arrays.asList(addresses));
        }

        /**
         * Adds a contact's addresses; adding the same contact again adds more addresses.
         *
         * @throws IllegalArgumentException if an address is not an email address
         */
        public Builder add(ContactRef contact, Collection<String> addresses) {
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(addresses, "addresses");
            // check every address before adding any, so a failed call adds nothing
            List<String> normalized = new ArrayList<>(addresses.size());
            for (String address : addresses) {
                normalized.add(checkedNormalized(contact, address));
            }
            for (String address : normalized) {
                this.contacts.add(contact);
                this.addresses.add(address);
            }
            return this;
        }

        /**
         * Adds the contacts of a CSV contact list: one contact per line, {@code
         * contact_id,email[,email...]}; fields are trimmed, empty email fields ignored, blank
         * lines and lines starting with {@code #} skipped. Fields are not quoted. A contact may
         * appear on several lines. The reader is read to its end but not closed.
         *
         * @throws IllegalArgumentException naming the line and what is wrong with it; then
         *                                  nothing of the list was added
         * @throws IOException              if the reader fails
         */
        public Builder addCsv(Reader csv) throws IOException {
            Objects.requireNonNull(csv, "csv");
            List<ContactRef> readContacts = new ArrayList<>();
            List<String> readAddresses = new ArrayList<>();
            BufferedReader lines = csv instanceof BufferedReader b ? b : new BufferedReader(csv);
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String text = line.trim();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] fields = text.split(",", -1);
                String id = fields[0].trim();
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("Line " + number + ": the contact id is empty; " + CSV_FORMAT);
                }
                ContactRef contact = ContactRef.of(id);
                int found = 0;
                for (int i = 1; i < fields.length; i++) {
                    String address = fields[i].trim();
                    if (address.isEmpty()) {
                        continue;
                    }
                    try {
                        readAddresses.add(checkedNormalized(contact, address));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("Line " + number + ": " + e.getMessage(), e);
                    }
                    readContacts.add(contact);
                    found++;
                }
                if (found == 0) {
                    throw new IllegalArgumentException("Line " + number + ": contact " + id
                            + " has no email address; " + CSV_FORMAT);
                }
            }
            this.contacts.addAll(readContacts);
            this.addresses.addAll(readAddresses);
            return this;
        }

        /** An immutable matcher of the contacts added so far. */
        public InMemoryContactMatcher build() {
            AddressIndex.Builder index = new AddressIndex.Builder(addresses.size());
            Set<ContactRef> distinct = new HashSet<>();
            for (int i = 0; i < addresses.size(); i++) {
                String address = addresses.get(i);
                index.add(gmailCanonicalization ? MatchKeys.gmailCanonical(address) : address, contacts.get(i));
                distinct.add(contacts.get(i));
            }
            return new InMemoryContactMatcher(index.build(), gmailCanonicalization, distinct.size());
        }

        private static String checkedNormalized(ContactRef contact, String address) {
            if (address == null) {
                throw new NullPointerException("An address of contact " + contact.id() + " is null");
            }
            String trimmed = address.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("An address of contact " + contact.id()
                        + " is empty: give an address like ann@example.com, or leave it out");
            }
            String problem = MatchKeys.problem(trimmed);
            if (problem != null) {
                throw new IllegalArgumentException("'" + trimmed + "' of contact " + contact.id()
                        + " is not an email address (" + problem + "): give the bare address, like ann@example.com");
            }
            return EmailAddress.normalize(trimmed);
        }
    }
}
