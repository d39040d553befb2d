package dev.imapsync.folder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One folder (IMAP mailbox) of an account, as the server's LIST answer described it, with the
 * roles it plays.
 *
 * <p>Build folders with {@link #fromList} and then pass the whole list through
 * {@link FolderSelector#assignRoles}, which adds roles guessed from well-known names when the server
 * marks none of its folders.
 *
 * @param name       the server's raw name exactly as LIST gave it (modified UTF-7 and all):
 *                   the name to use in commands; never empty
 * @param delimiter  the hierarchy delimiter, one character, or empty when the server gave NIL
 * @param attributes the LIST attributes as the server gave them, e.g. {@code \HasNoChildren},
 *                   {@code \Sent}
 * @param roles      what the folder is for; empty when nothing is known
 * @param roleSource where the roles come from; {@link RoleSource#NONE} exactly when there are
 *                   no roles
 */
public record MailFolder(String name, String delimiter, List<String> attributes, Set<FolderRole> roles,
                         RoleSource roleSource) {

    /** Validates the parts and keeps immutable copies; roles iterate in {@link FolderRole} order. */
    public MailFolder {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delimiter, () -> "delimiter of folder '" + name
                + "': use \"\" when the server gave NIL");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(roleSource, "roleSource");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("A folder name is empty: give the name exactly as the server's"
                    + " LIST answer has it, e.g. INBOX");
        }
        if (delimiter.length() > 1) {
            throw new IllegalArgumentException("The hierarchy delimiter of folder '" + name + "' is '" + delimiter
                    + "', but an IMAP delimiter is one character: give the one from the LIST answer, or \"\" for NIL");
        }
        List<String> attributeCopy = new ArrayList<>(attributes.size());
        for (String attribute : attributes) {
            if (attribute == null || attribute.isBlank()) {
                throw new IllegalArgumentException("Folder '" + name + "' has an empty attribute in " + attributes
                        + ": give the attributes as the LIST answer has them, e.g. \\HasNoChildren");
            }
            attributeCopy.add(attribute);
        }
        attributes = Collections.unmodifiableList(attributeCopy);
        EnumSet<FolderRole> roleCopy = EnumSet.noneOf(FolderRole.class);
        for (FolderRole role : roles) {
            roleCopy.add(Objects.requireNonNull(role, "role"));
        }
        roles = Collections.unmodifiableSet(roleCopy);
        if (roles.isEmpty() != (roleSource == RoleSource.NONE)) {
            throw new IllegalArgumentException("Folder '" + name + "' has roles " + roles + " from " + roleSource
                    + ": a folder without roles has the source NONE, and a folder with roles SERVER or NAME");
        }
    }

    /**
     * A raw (RFC 3501 modified UTF-7) folder name decoded for people and for Jakarta Mail's
     * folder look-up: {@code Entw&APw-rfe} is {@code Entwürfe}. A malformed name comes back as it
     * was.
     */
    public static String decodeName(String rawName) {
        return ModifiedUtf7.decode(rawName);
    }

    /**
     * A folder from one line of a LIST (or XLIST) answer, with the roles the server gave it:
     * {@link FolderRole#INBOX} for the name {@code INBOX} in any case, and the roles of its
     * special-use attributes. Roles guessed from names need the whole list: see
     * {@link FolderSelector#assignRoles}.
     *
     * @param rawName    the name exactly as LIST gave it, unquoted but still in modified UTF-7
     * @param delimiter  the hierarchy delimiter; null or empty when the server gave NIL
     * @param attributes the attributes, e.g. {@code \HasNoChildren}, {@code \Sent}
     */
    public static MailFolder fromList(String rawName, String delimiter, Collection<String> attributes) {
        Objects.requireNonNull(rawName, "rawName");
        Objects.requireNonNull(attributes, "attributes");
        EnumSet<FolderRole> roles = EnumSet.noneOf(FolderRole.class);
        if (isInboxName(rawName)) {
            roles.add(FolderRole.INBOX);
        }
        for (String attribute : attributes) {
            if (attribute != null) {
                FolderRole.fromAttribute(attribute).ifPresent(roles::add);
            }
        }
        return new MailFolder(rawName, delimiter == null ? "" : delimiter, List.copyOf(attributes), roles,
                roles.isEmpty() ? RoleSource.NONE : RoleSource.SERVER);
    }

    /**
     * The full name for people, modified UTF-7 decoded: {@code [Google Mail]/Entwürfe}. Safe to
     * print on one line: control characters a server put in the name (CR, LF, NUL, ESC, C1) are
     * shown as U+FFFD, and raw UTF-8 bytes of a server that sends them without
     * {@code UTF8=ACCEPT} are read as UTF-8. Use {@link #name()} in commands, never this.
     */
    public String displayName() {
        return displayNameOf(name);
    }

    /**
     * A raw folder name (as LIST gave it, as a {@code SyncReport} or a stored activity keeps it)
     * for people: decoded like {@link #decodeName} and safe to print on one line like
     * {@link #displayName()}, so {@code Entw&APw-rfe} shows as {@code Entwürfe} wherever a
     * person reads it.
     */
    public static String displayNameOf(String rawName) {
        return forPeople(ModifiedUtf7.decode(Objects.requireNonNull(rawName, "rawName")));
    }

    /**
     * The last part of the name for people, decoded: {@code Entwürfe} for
     * {@code [Google Mail]/Entw&APw-rfe}; printable as {@link #displayName()} is.
     */
    public String leafName() {
        String n = withoutTrailingDelimiter();
        int at = delimiter.isEmpty() ? -1 : n.lastIndexOf(delimiter);
        return forPeople(ModifiedUtf7.decode(at < 0 ? n : n.substring(at + 1)));
    }

    /**
     * A decoded name made fit for a log line or a terminal. The mail library reads a mailbox name's
     * 8-bit bytes one char each, so raw UTF-8 arrives as Latin-1 pairs like {@code Ã©}: read those as
     * the UTF-8 they are.
     */
    private static String forPeople(String decoded) {
        String text = decoded;
        boolean eightBit = false;
        boolean wide = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            eightBit |= c >= 0x80 && c <= 0xFF;
            wide |= c > 0xFF;
        }
        if (eightBit && !wide) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                // not UTF-8: Latin-1 it is
            }
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** The raw name of the parent folder ({@code [Gmail]} for {@code [Gmail]/Sent Mail}), or empty at the top. */
    public Optional<String> parent() {
        String n = withoutTrailingDelimiter();
        int at = delimiter.isEmpty() ? -1 : n.lastIndexOf(delimiter);
        return at <= 0 ? Optional.empty() : Optional.of(n.substring(0, at));
    }

    /**
     * Whether the folder can be opened to read messages: false when the server marks it
     * {@code \Noselect} or {@code \NonExistent} (a folder that only holds other folders).
     */
    public boolean isSelectable() {
        return !hasAttribute("\\Noselect") && !hasAttribute("\\NonExistent");
    }

    /** Whether the folder plays this role. */
    public boolean hasRole(FolderRole role) {
        return roles.contains(Objects.requireNonNull(role, "role"));
    }

    /** Whether the server gave this attribute, compared case-insensitively as RFC 3501 says. */
    public boolean hasAttribute(String attribute) {
        Objects.requireNonNull(attribute, "attribute");
        for (String a : attributes) {
            if (a.equalsIgnoreCase(attribute)) {
                return true;
            }
        }
        return false;
    }

    /** The same folder with other roles. */
    MailFolder withRoles(Set<FolderRole> newRoles, RoleSource source) {
        return new MailFolder(name, delimiter, attributes, newRoles, source);
    }

    /** Whether a raw name is INBOX, which RFC 3501 makes case-insensitive. */
    static boolean isInboxName(String rawName) {
        return "INBOX".equalsIgnoreCase(rawName);
    }

    private String withoutTrailingDelimiter() {
        if (!delimiter.isEmpty() && name.length() > 1 && name.endsWith(delimiter)) {
            return name.substring(0, name.length() - delimiter.length());
        }
        return name;
    }

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
}
