package dev.imapsync.folder;

import static dev.imapsync.folder.RecordedListAnswers.folders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.MailProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules of FolderSelector that hold on any server. */
class FolderSelectorTest {

    @Test
    void aServerWithoutSentFolderGetsInboxAloneAndAWarning() {
        List<MailFolder> noSent = folders("yahoo-2015-no-special-use.txt").stream()
                .filter(f -> !f.name().equals("Sent")).toList();

        FolderSelection selection = FolderSelector.recommend(noSent, MailProvider.GENERIC);

        assertThat(selection.names()).containsExactly("Inbox");
        assertThat(selection.warnings()).containsExactly("No Sent folder was found, so outgoing mail will not be"
                + " recorded. To record it, add the folder that holds sent mail to the selection by its name from the"
                + " folder list.");
    }

    @Test
    void neverRecommendsJunkTrashOrDrafts() {
        for (String resource : List.of("gmail-en.txt", "gmail-de.txt", "gmail-xlist.txt", "outlook-office365.txt",
                "icloud.txt", "yahoo.txt", "yahoo-2015-no-special-use.txt", "courier-no-special-use.txt",
                "german-no-special-use.txt", "nil-delimiter.txt")) {
            for (MailProvider provider : MailProvider.values()) {
                assertThat(FolderSelector.recommend(folders(resource), provider).folders()).as(resource)
                        .noneMatch(f -> f.hasRole(FolderRole.JUNK) || f.hasRole(FolderRole.TRASH)
                                || f.hasRole(FolderRole.DRAFTS));
            }
        }
    }

    @Test
    void anEmptyFolderListHasNothingToRecommend() {
        assertThatThrownBy(() -> FolderSelector.recommend(List.of(), MailProvider.GENERIC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No folder to recommend: the list of 0 folders has neither INBOX nor a Sent folder;"
                        + " list all of the account's folders (LIST \"\" \"*\") and recommend again");
    }

    @Test
    void anEmptyChoiceIsAnError() {
        FolderValidation validation = FolderSelector.validate(List.of(), folders("icloud.txt"), MailProvider.ICLOUD);

        assertThat(validation.isValid()).isFalse();
        assertThat(validation.errors()).containsExactly("No folder was selected: give at least one folder, e.g. \"INBOX\".");
        assertThatThrownBy(validation::selection)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The folder choice cannot be synced: No folder was selected: give at least one folder,"
                        + " e.g. \"INBOX\".");
    }

    @Test
    void aBlankNameIsAnError() {
        FolderValidation validation = FolderSelector.validate(List.of("INBOX", " "), folders("icloud.txt"),
                MailProvider.ICLOUD);

        assertThat(validation.errors()).containsExactly("An empty folder name was given: leave it out, or give the"
                + " folder's name as the folder list shows it.");
        assertThat(validation.folders()).extracting(MailFolder::name).containsExactly("INBOX");
    }

    @Test
    void duplicatesAreDroppedWhateverNameTheyWereGivenBy() {
        FolderValidation validation = FolderSelector.validate(
                List.of("INBOX", "inbox", "Gr&APwA3w-e", "Grüße", "INBOX"), folders("gmail-de.txt"), MailProvider.GMAIL);

        assertThat(validation.isValid()).isTrue();
        assertThat(validation.selection().names()).containsExactly("INBOX", "Gr&APwA3w-e");
        assertThat(validation.warnings()).isEmpty();
    }

    @Test
    void namesTypedInAnotherUnicodeFormStillMatch() {
        String decomposed = java.text.Normalizer.normalize("Grüße", java.text.Normalizer.Form.NFD);

        FolderValidation validation = FolderSelector.validate(List.of(decomposed), folders("gmail-de.txt"),
                MailProvider.GMAIL);

        assertThat(validation.selection().names()).containsExactly("Gr&APwA3w-e");
    }

    @Test
    void aNameWithNothingCloseListsTheFoldersThereAre() {
        FolderValidation validation = FolderSelector.validate(List.of("Quarterly reports"), folders("icloud.txt"),
                MailProvider.ICLOUD);

        assertThat(validation.errors()).containsExactly("Folder \"Quarterly reports\" does not exist on this server."
                + " Pick one from the folder list: \"INBOX\", \"Sent Messages\", \"Drafts\", \"Deleted Messages\","
                + " \"Junk\" (8 folders in all).");
    }

    @Test
    void aNonExistentParentCannotBeSynced() {
        // Gmail answers LIST-EXTENDED with this for a parent that only exists through its children (MailKit #28)
        List<MailFolder> folders = FolderRoles.assign(List.of(
                MailFolder.fromList("INBOX", "/", List.of("\\HasNoChildren")),
                MailFolder.fromList("[Gmail]", "/", List.of("\\HasChildren", "\\NonExistent", "\\Subscribed")),
                MailFolder.fromList("[Gmail]/Spam", "/", List.of("\\HasNoChildren", "\\Junk"))));

        FolderValidation validation = FolderSelector.validate(List.of("[Gmail]"), folders, MailProvider.GMAIL);

        assertThat(validation.errors()).containsExactly("Folder \"[Gmail]\" cannot be synced: the server lists it as"
                + " \\NonExistent, only as the parent of other folders, so it holds no messages. Choose folders inside"
                + " it instead, e.g. \"[Gmail]/Spam\".");
    }

    @Test
    void levenshteinDistance() {
        assertThat(FolderSelector.distance("sent", "sent")).isZero();
        assertThat(FolderSelector.distance("sent", "send")).isEqualTo(1);
        assertThat(FolderSelector.distance("", "abc")).isEqualTo(3);
        assertThat(FolderSelector.distance("kitten", "sitting")).isEqualTo(3);
    }
}
