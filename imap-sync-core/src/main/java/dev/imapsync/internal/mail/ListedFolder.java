package dev.imapsync.internal.mail;

import java.util.List;

/**
 * One LIST answer as the server sent it.
 *
 * @param rawName    the mailbox name exactly as listed (modified UTF-7 unless the server uses UTF-8)
 * @param delimiter  the hierarchy delimiter, empty for NIL
 * @param attributes the name attributes, e.g. {@code \HasNoChildren}, {@code \Sent}
 */
public record ListedFolder(String rawName, String delimiter, List<String> attributes) {
    /** Copies the attributes. */
    public ListedFolder {
        attributes = List.copyOf(attributes);
    }
}
