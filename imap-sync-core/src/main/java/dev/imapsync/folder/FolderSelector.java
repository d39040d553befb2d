package dev.imapsync.folder;

import dev.imapsync.account.MailProvider;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses the folders to sync for a contact history: {@link #recommend} proposes them from the
 * account's folder list, and {@link #validate} checks folders a person chose by name.
 *
 * <p>Gmail is treated as Gmail when the provider says so or when the folder list has Gmail's
 * layout ({@link #looksLikeGmail}), whatever host served it.
 */
public final class FolderSelector {
    private static final int MAX_SUGGESTIONS = 3;
    private static final int MAX_LISTED = 5;

    private FolderSelector() {
    }

    /**
     * The folders of one LIST answer with their roles completed: the roles the server announced
     * (RFC 6154 SPECIAL-USE, XLIST), and where it announced none, roles guessed from well-known
     * names in many languages ({@code Gesendete Objekte}, {@code INBOX.Sent}). Call it once on the
     * whole list, since whether a server announces roles is a property of the list.
     */
    public static List<MailFolder> assignRoles(List<MailFolder> listed) {
        return FolderRoles.assign(listed);
    }

    /**
     * Whether a folder list is Gmail's, whatever the host: a {@code [Gmail]} or
     * {@code [Google Mail]} parent holds the All Mail folder.
     */
    public static boolean looksLikeGmail(List<MailFolder> folders) {
        return GmailLayout.looksLikeGmail(folders);
    }

    /**
     * The folders to sync by default: INBOX and the Sent folder on most servers; on Gmail the
     * Important and Sent folders, found by their roles whatever the account's language
     * ({@code [Google Mail]/Wichtig} as well as {@code [Gmail]/Important}). Junk, Trash and
     * Drafts are never recommended. When a folder is missing (no Sent folder, a Gmail account
     * without Important), the selection says so in its warnings.
     *
     * @param folders  the account's folders, with roles ({@link #assignRoles})
     * @param provider the account's provider; {@link MailProvider#GENERIC} when unknown
     * @throws IllegalArgumentException when the list has neither INBOX nor a Sent folder
     */
    public static FolderSelection recommend(List<MailFolder> folders, MailProvider provider) {
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(provider, "provider");
        List<MailFolder> inbox = selectableWithRole(folders, FolderRole.INBOX).stream().limit(1).toList();
        List<MailFolder> sent = selectableWithRole(folders, FolderRole.SENT);
        Set<MailFolder> chosen = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();

        List<MailFolder> important = selectableWithRole(folders, FolderRole.IMPORTANT);
        boolean viaImportant = false;
        if (isGmail(folders, provider)) {
            if (important.isEmpty()) {
                warnings.add("This Gmail account shows no Important folder over IMAP (importance markers are off,"
                        + " or the label is hidden from IMAP), so INBOX and Sent are recommended instead."
                        + " To use Important, turn on importance markers and tick \"Show in IMAP\" for Important"
                        + " in Gmail's settings (Settings > Labels).");
            } else {
                chosen.addAll(important);
                viaImportant = true;
            }
        }
        if (!viaImportant) {
            if (inbox.isEmpty()) {
                warnings.add("The folder list has no INBOX, so incoming mail will not be recorded: list all of the"
                        + " account's folders (LIST \"\" \"*\") and recommend again.");
            }
            chosen.addAll(inbox);
        }
        if (sent.isEmpty()) {
            warnings.add("No Sent folder was found, so outgoing mail will not be recorded. To record it, add the"
                    + " folder that holds sent mail to the selection by its name from the folder list.");
        }
        chosen.addAll(sent);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("No folder to recommend: the list of " + folders.size()
                    + " folders has neither INBOX nor a Sent folder; list all of the account's folders"
                    + " (LIST \"\" \"*\") and recommend again");
        }
        return new FolderSelection(List.copyOf(chosen), warnings);
    }

    /**
     * Checks folders a person chose, by raw name or by display name (INBOX in any case), and
     * explains what is wrong or worth knowing: a folder that does not exist (with the closest
     * names), one that cannot be opened ({@code \Noselect}), an empty choice; Junk, Trash and
     * Drafts; on Gmail, INBOX beside Important and All Mail beside other folders. Duplicates are
     * dropped.
     *
     * @param requested the folder names as the person gave them, in the order to sync
     * @param folders   the account's folders, with roles ({@link #assignRoles})
     * @param provider  the account's provider; {@link MailProvider#GENERIC} when unknown
     */
    public static FolderValidation validate(Collection<String> requested, List<MailFolder> folders,
                                            MailProvider provider) {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(provider, "provider");
        boolean gmail = isGmail(folders, provider);
        Set<MailFolder> chosen = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (requested.isEmpty()) {
            errors.add("No folder was selected: give at least one folder, e.g. \"INBOX\".");
        }
        for (String name : requested) {
            if (name == null || name.isBlank()) {
                errors.add("An empty folder name was given: leave it out, or give the folder's name as the folder"
                        + " list shows it.");
                continue;
            }
            Optional<MailFolder> found = find(name, folders);
            if (found.isEmpty()) {
                errors.add(notFound(name, folders));
                continue;
            }
            MailFolder folder = found.get();
            if (!folder.isSelectable()) {
                errors.add(notSelectable(folder, folders));
                continue;
            }
            if (!chosen.add(folder)) {
                continue;
            }
            roleWarning(folder).ifPresent(warnings::add);
        }
        if (gmail) {
            Optional<MailFolder> inbox = chosen.stream().filter(f -> f.hasRole(FolderRole.INBOX)).findFirst();
            Optional<MailFolder> important = chosen.stream().filter(f -> f.hasRole(FolderRole.IMPORTANT)).findFirst();
            if (inbox.isPresent() && important.isPresent()) {
                warnings.add(quote(inbox.get()) + " and " + quote(important.get())
                        + " are both selected: on Gmail the same messages appear in both, and the engine counts"
                        + " each message once, so INBOX adds only the messages Gmail did not mark important."
                        + " Keep both to record those too, or leave INBOX out to read fewer messages.");
            }
        }
        chosen.stream().filter(f -> f.hasRole(FolderRole.ALL)).findFirst()
                .ifPresent(all -> warnings.add(allMailWarning(all, chosen, gmail)));
        return new FolderValidation(List.copyOf(chosen), errors, warnings);
    }

    private static boolean isGmail(List<MailFolder> folders, MailProvider provider) {
        return provider == MailProvider.GMAIL || GmailLayout.looksLikeGmail(folders);
    }

    private static List<MailFolder> selectableWithRole(List<MailFolder> folders, FolderRole role) {
        return folders.stream().filter(f -> f.hasRole(role) && f.isSelectable()).toList();
    }

    /** The folder a person means: the raw name, INBOX in any case, or the display name. */
    private static Optional<MailFolder> find(String requested, List<MailFolder> folders) {
        for (MailFolder folder : folders) {
            if (folder.name().equals(requested)) {
                return Optional.of(folder);
            }
        }
        if (MailFolder.isInboxName(requested.strip())) {
            for (MailFolder folder : folders) {
                if (MailFolder.isInboxName(folder.name())) {
                    return Optional.of(folder);
                }
            }
        }
        // people type names in whatever Unicode form their keyboard makes (macOS gives decomposed ü)
        String wanted = Normalizer.normalize(requested, Normalizer.Form.NFC);
        for (MailFolder folder : folders) {
            if (Normalizer.normalize(folder.displayName(), Normalizer.Form.NFC).equals(wanted)) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }

    private static String notFound(String requested, List<MailFolder> folders) {
        String start = "Folder \"" + requested + "\" does not exist on this server.";
        List<MailFolder> suggestions = suggestions(requested, folders);
        if (!suggestions.isEmpty()) {
            return start + " Did you mean " + orList(suggestions) + "? Give the name as the folder list shows it.";
        }
        List<MailFolder> selectable = folders.stream().filter(MailFolder::isSelectable).toList();
        if (selectable.isEmpty()) {
            return start + " The folder list is empty: list all of the account's folders (LIST \"\" \"*\") first.";
        }
        String listed = selectable.stream().limit(MAX_LISTED).map(FolderSelector::quote)
                .collect(Collectors.joining(", "));
        return start + " Pick one from the folder list: " + listed
                + (selectable.size() > MAX_LISTED ? " (" + selectable.size() + " folders in all)." : ".");
    }

    private static String notSelectable(MailFolder folder, List<MailFolder> folders) {
        String why = folder.hasAttribute("\\NonExistent")
                ? "the server lists it as \\NonExistent, only as the parent of other folders, so it holds no messages."
                : "the server marks it \\Noselect, so it only holds other folders and no messages.";
        List<MailFolder> inside = folders.stream()
                .filter(f -> f.isSelectable() && f.parent().filter(folder.name()::equals).isPresent())
                .toList();
        // suggest the folders worth syncing first, not Junk, Trash or Drafts
        List<MailFolder> worth = inside.stream().filter(f -> roleWarning(f).isEmpty()).toList();
        List<MailFolder> children = (worth.isEmpty() ? inside : worth).stream().limit(MAX_SUGGESTIONS).toList();
        String what = children.isEmpty() ? " Choose another folder."
                : " Choose folders inside it instead, e.g. " + orList(children) + ".";
        return "Folder " + quote(folder) + " cannot be synced: " + why + what;
    }

    private static Optional<String> roleWarning(MailFolder folder) {
        if (folder.hasRole(FolderRole.JUNK)) {
            return Optional.of(quote(folder) + " is the Junk folder: it holds mail taken for spam, whose senders would"
                    + " enter contact histories. Leave it out unless you want spam recorded.");
        }
        if (folder.hasRole(FolderRole.TRASH)) {
            return Optional.of(quote(folder) + " is the Trash folder: it holds mail the user deleted, which would be"
                    + " recorded in contact histories all the same. Leave it out unless you want deleted mail"
                    + " recorded.");
        }
        if (folder.hasRole(FolderRole.DRAFTS)) {
            return Optional.of(quote(folder) + " is the Drafts folder: it holds unsent drafts, which would be recorded"
                    + " as if they had been sent. Leave it out unless you want drafts recorded.");
        }
        return Optional.empty();
    }

    private static String allMailWarning(MailFolder all, Set<MailFolder> chosen, boolean gmail) {
        String holds = gmail
                ? " holds every message of the account, archived mail included (but not Spam or Trash):"
                : " holds every message of the account, archived mail included:";
        List<MailFolder> redundant = chosen.stream()
                .filter(f -> !f.equals(all) && !f.hasRole(FolderRole.JUNK) && !f.hasRole(FolderRole.TRASH))
                .toList();
        String others = gmail ? "other Gmail folders" : "other folders";
        String beside = redundant.isEmpty()
                ? " Selecting " + others + " beside it adds nothing, as their messages are in it too."
                : " The " + (redundant.size() == 1 ? "folder" : "folders") + " selected beside it ("
                + redundant.stream().map(FolderSelector::quote).collect(Collectors.joining(", "))
                + ") add nothing, as their messages are in it too: leave them out.";
        return quote(all) + holds + " syncing it is complete, but it reads the most messages." + beside;
    }

    /**
     * Up to three folders whose names are close to what was asked, or that play the role a
     * well-known name asks for ("Sent" finds "[Google Mail]/Gesendet").
     */
    private static List<MailFolder> suggestions(String requested, List<MailFolder> folders) {
        String wanted = FolderRoles.normalize(requested);
        Optional<FolderRole> role = FolderRoles.roleOfName(requested);
        int threshold = Math.max(2, wanted.length() / 3);
        record Candidate(MailFolder folder, int score, int position) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            MailFolder folder = folders.get(i);
            if (!folder.isSelectable()) {
                continue;
            }
            int score = Math.min(distance(wanted, FolderRoles.normalize(folder.displayName())),
                    distance(wanted, FolderRoles.normalize(folder.leafName())));
            if (role.isPresent() && folder.hasRole(role.get())) {
                score = Math.min(score, 1);
            }
            if (score <= threshold) {
                candidates.add(new Candidate(folder, score, i));
            }
        }
        return candidates.stream()
                .sorted(Comparator.comparingInt(Candidate::score).thenComparingInt(Candidate::position))
                .limit(MAX_SUGGESTIONS).map(Candidate::folder).toList();
    }

    /** The Levenshtein distance between two strings, by UTF-16 unit. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String orList(List<MailFolder> folders) {
        List<String> quoted = folders.stream().map(FolderSelector::quote).toList();
        if (quoted.size() == 1) {
            return quoted.get(0);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    private static String quote(MailFolder folder) {
        return "\"" + folder.displayName() + "\"";
    }
}
