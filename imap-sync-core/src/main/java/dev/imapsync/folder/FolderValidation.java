package dev.imapsync.folder;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking folders a person chose ({@link FolderSelector#validate}): the
 * folders found, the errors that make the choice unusable and the warnings worth reading.
 * Errors and warnings are sentences that say what is wrong and what to do.
 *
 * @param folders  the chosen folders that exist and can be synced, in the order given, without duplicates
 * @param errors   what must be fixed before syncing; empty when the choice is valid
 * @param warnings what the person should know about a choice that works
 */
public record FolderValidation(List<MailFolder> folders, List<String> errors, List<String> warnings) {

    /** Keeps immutable copies; a valid outcome has at least one folder. */
    public FolderValidation {
        folders = List.copyOf(Objects.requireNonNull(folders, "folders"));
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
        if (errors.isEmpty() && folders.isEmpty()) {
            throw new IllegalArgumentException("A folder validation without errors needs at least one folder:"
                    + " report the empty choice as an error");
        }
    }

    /** Whether the choice can be synced as it is: there are no errors. */
    public boolean isValid() {
        return errors.isEmpty();
    }

    /**
     * The selection to sync, with the warnings.
     *
     * @throws IllegalStateException when the choice has errors; its message lists them
     */
    public FolderSelection selection() {
        if (!isValid()) {
            throw new IllegalStateException("The folder choice cannot be synced: " + String.join(" ", errors));
        }
        return new FolderSelection(folders, warnings);
    }
}
