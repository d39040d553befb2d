package dev.imapsync.folder;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a folder is for, as servers announce it with the special-use attributes of RFC 6154
 * and RFC 8457 ({@code \Sent}, {@code \Important}, ...) or, for {@link #INBOX}, by the name
 * RFC 3501 reserves.
 */
public enum FolderRole {
    /** Where new mail arrives: the folder named {@code INBOX} in any case. */
    INBOX("inbox", "\\Inbox"),
    /** Copies of sent messages ({@code \Sent}). */
    SENT("sent", "\\Sent"),
    /** Messages being written ({@code \Drafts}). */
    DRAFTS("drafts", "\\Drafts"),
    /** Messages the user deleted ({@code \Trash}). */
    TRASH("trash", "\\Trash"),
    /** Messages taken for spam ({@code \Junk}). */
    JUNK("junk", "\\Junk"),
    /** Archived messages ({@code \Archive}). */
    ARCHIVE("archive", "\\Archive"),
    /** Every message of the mailbox, e.g. Gmail's All Mail ({@code \All}). */
    ALL("all", "\\All"),
    /** Flagged (starred) messages ({@code \Flagged}). */
    FLAGGED("flagged", "\\Flagged"),
    /** Messages the server deems important, e.g. Gmail's Important ({@code \Important}). */
    IMPORTANT("important", "\\Important");

    private final String jsonName;
    private final String attribute;

    FolderRole(String jsonName, String attribute) {
        this.jsonName = jsonName;
        this.attribute = attribute;
    }

    /**
     * The stable lower-case name used in JSON and on the command line: the special-use name
     * without the backslash ({@code sent}, {@code all}, ...), and {@code inbox} for INBOX.
     */
    public String jsonName() {
        return jsonName;
    }

    /** The standard attribute for this role, e.g. {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    /**
     * The role a LIST attribute announces, case-insensitively: the RFC 6154 and RFC 8457
     * attributes ({@code \Sent}, {@code \Junk}, {@code \All}, {@code \Important}, ...) and the
     * older Gmail/XLIST ones ({@code \Spam}, {@code \AllMail}, {@code \Starred},
     * {@code \Inbox}). Other attributes ({@code \HasNoChildren}, {@code \Noselect}, ...) have
     * no role.
     */
    public static Optional<FolderRole> fromAttribute(String attribute) {
        Objects.requireNonNull(attribute, "attribute");
        String a = attribute.trim().toLowerCase(Locale.ROOT);
        switch (a) {
            case "\\inbox":
                return Optional.of(INBOX);
            case "\\sent":
                return Optional.of(SENT);
            case "\\drafts":
                return Optional.of(DRAFTS);
            case "\\trash":
                return Optional.of(TRASH);
            case "\\junk":
            case "\\spam":
                return Optional.of(JUNK);
            case "\\archive":
                return Optional.of(ARCHIVE);
            case "\\all":
            case "\\allmail":
                return Optional.of(ALL);
            case "\\flagged":
            case "\\starred":
                return Optional.of(FLAGGED);
            case "\\important":
                return Optional.of(IMPORTANT);
            default:
                return Optional.empty();
        }
    }
}
