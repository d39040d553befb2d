package dev.imapsync.folder;

import dev.imapsync.account.MailProvider;
import java.util.List;
import java.util.Objects;

/**
 * Which folders of an account to sync, as stored with the account: the recommended ones
 * (decided again at each sync from the folders the server lists, so a renamed or localized
 * folder is still found by its role), or folders named by the user.
 */
public sealed interface FolderChoice permits FolderChoice.Recommended, FolderChoice.Named {

    /** The folders {@link FolderSelector#recommend} picks (Inbox and Sent; Important and Sent Mail on Gmail). */
    static FolderChoice recommended() {
        return Recommended.INSTANCE;
    }

    /**
     * Folders named by the user (raw or display names, as {@link FolderSelector#validate} takes them).
     *
     * @throws IllegalArgumentException if the list is empty or has a blank name
     */
    static FolderChoice named(List<String> names) {
        return new Named(names);
    }

    /**
     * Turns the choice into a selection among the folders the server lists now.
     *
     * @return the validation, whose {@link FolderValidation#errors()} name folders that are gone
     */
    FolderValidation resolve(List<MailFolder> listed, MailProvider provider);

    /** The recommended folders. */
    final class Recommended implements FolderChoice {
        private static final Recommended INSTANCE = new Recommended();

        private Recommended() {
        }

        @Override
        public FolderValidation resolve(List<MailFolder> listed, MailProvider provider) {
            try {
                FolderSelection selection = FolderSelector.recommend(listed, provider);
                return new FolderValidation(selection.folders(), List.of(), selection.warnings());
            } catch (IllegalArgumentException e) {
                return new FolderValidation(List.of(), List.of(e.getMessage()), List.of());
            }
        }

        @Override
        public String toString() {
            return "recommended";
        }
    }

    /**
     * Folders named by the user.
     *
     * @param names the folder names, in the user's order
     */
    record Named(List<String> names) implements FolderChoice {
        /** Validates the names. */
        public Named {
            Objects.requireNonNull(names, "names");
            if (names.isEmpty()) {
                throw new IllegalArgumentException("No folder names: give at least one, or use FolderChoice.recommended()");
            }
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("A folder name is empty: give each folder's name as the server lists it");
                }
            }
            names = List.copyOf(names);
        }

        @Override
        public FolderValidation resolve(List<MailFolder> listed, MailProvider provider) {
            return FolderSelector.validate(names, listed, provider);
        }
    }
}
