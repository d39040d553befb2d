package dev.imapsync.folder;

import static dev.imapsync.folder.RecordedListAnswers.folders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.MailProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderChoiceTest {

    @Test
    void recommendedIsDecidedFromTheFoldersListedNow() {
        List<MailFolder> gmail = folders("gmail-de.txt");

        FolderValidation validation = FolderChoice.recommended().resolve(gmail, MailProvider.GMAIL);

        assertThat(validation.isValid()).isTrue();
        assertThat(validation.folders()).isEqualTo(FolderSelector.recommend(gmail, MailProvider.GMAIL).folders());
    }

    @Test
    void namedFoldersAreValidatedAgainstTheListedOnes() {
        List<MailFolder> listed = folders("outlook-office365.txt");

        assertThat(FolderChoice.named(List.of("INBOX")).resolve(listed, MailProvider.GENERIC).selection().names())
                .containsExactly("INBOX");
        FolderValidation gone = FolderChoice.named(List.of("No Such Folder")).resolve(listed, MailProvider.GENERIC);
        assertThat(gone.isValid()).isFalse();
        assertThat(gone.errors()).anySatisfy(e -> assertThat(e).contains("No Such Folder"));
    }

    @Test
    void namedNeedsAtLeastOneNonBlankNameAndKeepsItsOwnCopy() {
        assertThatThrownBy(() -> FolderChoice.named(List.of())).hasMessageContaining("No folder names");
        assertThatThrownBy(() -> FolderChoice.named(List.of("INBOX", " "))).hasMessageContaining("A folder name is empty");
        List<String> names = new ArrayList<>(List.of("INBOX"));
        FolderChoice choice = FolderChoice.named(names);
        names.add("Sent");
        assertThat(choice).isEqualTo(FolderChoice.named(List.of("INBOX")));
    }
}
