package dev.imapsync.contact;

import java.util.Objects;

/**
 * A contact of the host application, by its own identifier.
 *
 * @param id the host application's contact id, never blank
 */
public record ContactRef(String id) {
    /** Validates the id. */
    public ContactRef {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("A contact id is empty: give the host application's id of the contact");
        }
    }

    /** A reference to the contact with this id. */
    public static ContactRef of(String id) {
        return new ContactRef(id);
    }
}
