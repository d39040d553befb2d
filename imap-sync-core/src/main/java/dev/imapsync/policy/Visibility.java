package dev.imapsync.policy;

/**
 * How much of an account's mail the store keeps. It holds in what is stored, not only in what is
 * shown: a {@link #METADATA} account's subjects never reach the database.
 */
public enum Visibility {
    /** Date, direction, participants and thread only: no subject, no preview, no attachment list, not opened on demand. */
    METADATA,
    /** Metadata and the subject: no preview, no attachment list, not opened on demand. */
    SUBJECT,
    /** Everything: subject, preview, attachment list, and the whole email opened on demand. */
    FULL;

    /** Whether subjects are kept. */
    public boolean keepsSubject() {
        return this != METADATA;
    }

    /** Whether previews and attachment lists are fetched and kept, and the email may be opened. */
    public boolean keepsContent() {
        return this == FULL;
    }
}
