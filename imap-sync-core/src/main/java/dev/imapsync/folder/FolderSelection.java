package dev.imapsync.folder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The folders to sync, in the order to sync them, with the warnings a person should read
 * before relying on the choice. Made by {@link FolderSelector#recommend} or by
 * {@link FolderValidation#selection()}.
 *
 * @param folders  at least one folder, each selectable, none twice
 * @param warnings sentences for a person, each saying what it means and what to do; may be empty
 */
public record FolderSelection(List<MailFolder> folders, List<String> warnings) {

    /** Validates the selection and keeps immutable copies. */
    public FolderSelection {
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(warnings, "warnings");
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("A folder selection is empty: select at least one folder, e.g. INBOX");
        }
        Set<String> seen = new HashSet<>();
        for (MailFolder folder : folders) {
            Objects.requireNonNull(folder, "folder");
            if (!seen.add(MailFolder.isInboxName(folder.name()) ? "INBOX" : folder.name())) {
                throw new IllegalArgumentException("Folder \"" + folder.displayName()
                        + "\" is selected twice: select each folder once");
            }
            if (!folder.isSelectable()) {
                throw new IllegalArgumentException("Folder \"" + folder.displayName()
                        + "\" cannot be synced: the server marks it " + String.join(" ", folder.attributes())
                        + ", so it holds no messages; select the folders inside it instead");
            }
        }
        List<String> warningCopy = new ArrayList<>(warnings.size());
        for (String warning : warnings) {
            if (warning == null || warning.isBlank()) {
                throw new IllegalArgumentException(
                        "A folder selection warning is empty: give each warning as a sentence");
            }
            warningCopy.add(warning);
        }
        folders = List.copyOf(folders);
        warnings = List.copyOf(warningCopy);
    }

    /** A selection of these folders, without warnings. */
    public static FolderSelection of(List<MailFolder> folders) {
        return new FolderSelection(folders, List.of());
    }

    /** The raw names of the folders, in order: the names to use in commands. */
    public List<String> names() {
        return folders.stream().map(MailFolder::name).toList();
    }

    /** The display names of the folders, in order: the names to show people. */
    public List<String> displayNames() {
        return folders.stream().map(MailFolder::displayName).toList();
    }
}
