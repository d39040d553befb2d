package dev.imapsync.folder;

/** Where the roles of a {@link MailFolder} come from, so a person can judge how sure they are. */
public enum RoleSource {
    /** The folder has no role. */
    NONE,
    /**
     * The server said so: a special-use attribute of RFC 6154 / RFC 8457 (or Gmail's older
     * XLIST attributes), or the name {@code INBOX} that RFC 3501 reserves.
     */
    SERVER,
    /**
     * Guessed from a well-known folder name ({@code Sent Items}, {@code Gesendet}, ...),
     * because the server marks none of its folders with a special-use attribute.
     */
    NAME
}
