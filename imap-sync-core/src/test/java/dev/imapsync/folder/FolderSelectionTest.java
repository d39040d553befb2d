package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FolderSelectionTest {
    private static final MailFolder INBOX = MailFolder.fromList("INBOX", "/", List.of("\\HasNoChildren"));
    private static final MailFolder DRAFTS = MailFolder.fromList("Entw&APw-rfe", "/", List.of("\\Drafts"));

    @Test
    void givesRawNamesForCommandsAndDisplayNamesForPeople() {
        FolderSelection selection = FolderSelection.of(List.of(INBOX, DRAFTS));

        assertThat(selection.names()).containsExactly("INBOX", "Entw&APw-rfe");
        assertThat(selection.displayNames()).containsExactly("INBOX", "Entwürfe");
        assertThat(selection.warnings()).isEmpty();
    }

    @Test
    void isNeverEmpty() {
        assertThatThrownBy(() -> FolderSelection.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A folder selection is empty: select at least one folder, e.g. INBOX");
    }

    @Test
    void holdsEachFolderOnce() {
        MailFolder inboxAgain = MailFolder.fromList("Inbox", "/", List.of());

        assertThatThrownBy(() -> FolderSelection.of(List.of(INBOX, inboxAgain)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Folder \"Inbox\" is selected twice: select each folder once");
    }

    @Test
    void holdsOnlyFoldersThatCanBeOpened() {
        MailFolder gmail = MailFolder.fromList("[Gmail]", "/", List.of("\\HasChildren", "\\Noselect"));

        assertThatThrownBy(() -> FolderSelection.of(List.of(INBOX, gmail)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Folder \"[Gmail]\" cannot be synced: the server marks it \\HasChildren \\Noselect,"
                        + " so it holds no messages; select the folders inside it instead");
    }

    @Test
    void cannotBeChangedAfterwards() {
        FolderSelection selection = new FolderSelection(List.of(INBOX), List.of("A warning."));

        assertThatThrownBy(() -> selection.folders().add(DRAFTS)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> selection.warnings().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
