package dev.imapsync.message;

import java.util.Objects;

/**
 * One mailbox of an address header: the display name (RFC 2047 decoded, may be empty), the
 * address as written, and the normalized form used for matching contacts (case-folded, the
 * domain in one canonical IDN form). Build one with {@link #of(String, String)}, which
 * normalizes.
 *
 * @param displayName the decoded display name, or empty
 * @param address     the address as written (without angle brackets)
 * @param normalized  the form contacts are matched on
 */
public record EmailAddress(String displayName, String address, String normalized) {
    /** Validates that all parts are present. */
    public EmailAddress {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(normalized, "normalized");
    }

    /**
     * The form contacts are matched on: trimmed, without angle brackets, the local part
     * case-folded and the domain in one canonical form (lower case, IDN as Unicode), so
     * {@code <Sam@ACME.example>} and {@code sam@acme.example} are one. A {@link
     * dev.imapsync.contact.ContactMatcher} receives addresses in this form.
     */
    public static String normalize(String address) {
        return AddressNormalizer.normalize(address);
    }

    /** An address with its normalized form computed by {@link #normalize(String)}. */
    public static EmailAddress of(String displayName, String address) {
        return new EmailAddress(displayName == null ? "" : displayName, address, AddressNormalizer.normalize(address));
    }

    /** {@code "Name" <address>} or just the address. */
    @Override
    public String toString() {
        return displayName.isEmpty() ? address : "\"" + displayName + "\" <" + address + ">";
    }
}
