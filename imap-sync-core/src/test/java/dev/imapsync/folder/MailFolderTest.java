package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.folder.MailFolder.RoleSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MailFolderTest {

    @Test
    void keepsTheRawNameForCommandsAndDecodesItForPeople() {
        MailFolder drafts = MailFolder.fromList("[Google Mail]/Entw&APw-rfe", "/", List.of("\\Drafts", "\\HasNoChildren"));

        assertThat(drafts.name()).isEqualTo("[Google Mail]/Entw&APw-rfe");
        assertThat(drafts.displayName()).isEqualTo("[Google Mail]/Entwürfe");
        assertThat(drafts.leafName()).isEqualTo("Entwürfe");
        assertThat(drafts.parent()).contains("[Google Mail]");
        assertThat(drafts.attributes()).containsExactly("\\Drafts", "\\HasNoChildren");
        assertThat(drafts.roles()).containsExactly(FolderRole.DRAFTS);
        assertThat(drafts.roleSource()).isEqualTo(RoleSource.SERVER);
        assertThat(drafts.isSelectable()).isTrue();
    }

    @Test
    void aRawNameAloneIsShownToPeopleAsItsFolderWouldBe() {
        // a SyncReport or a stored activity keeps only the raw name: it reads the same as the folder's
        assertThat(MailFolder.displayNameOf("Entw&APw-rfe")).isEqualTo("Entwürfe");
        assertThat(MailFolder.displayNameOf("Esc&ABs-[2J")).isEqualTo("Esc\uFFFD[2J");
        assertThat(MailFolder.displayNameOf("R&D")).isEqualTo("R&D");
        assertThat(MailFolder.displayNameOf("[Google Mail]/Entw&APw-rfe"))
                .isEqualTo(MailFolder.fromList("[Google Mail]/Entw&APw-rfe", "/", List.of()).displayName());
    }

    @Test
    void inboxIsInboxInAnyCase() {
        assertThat(MailFolder.fromList("Inbox", "/", List.of("\\HasNoChildren")).roles())
                .containsExactly(FolderRole.INBOX);
        assertThat(MailFolder.fromList("inbox", ".", List.of()).roleSource()).isEqualTo(RoleSource.SERVER);
        assertThat(MailFolder.fromList("INBOX.Sent", ".", List.of()).roles()).isEmpty();
    }

    @Test
    void aFolderWithoutSpecialUseHasNoRole() {
        MailFolder notes = MailFolder.fromList("Notes", "/", List.of("\\HasNoChildren"));

        assertThat(notes.roles()).isEmpty();
        assertThat(notes.roleSource()).isEqualTo(RoleSource.NONE);
        assertThat(notes.parent()).isEmpty();
        assertThat(notes.leafName()).isEqualTo("Notes");
    }

    @Test
    void theHierarchyFollowsTheServersDelimiter() {
        MailFolder courier = MailFolder.fromList("INBOX.Kunden.ACME", ".", List.of());
        assertThat(courier.leafName()).isEqualTo("ACME");
        assertThat(courier.parent()).contains("INBOX.Kunden");

        MailFolder flat = MailFolder.fromList("INBOX.Kunden", null, List.of());
        assertThat(flat.delimiter()).isEmpty();
        assertThat(flat.leafName()).isEqualTo("INBOX.Kunden");
        assertThat(flat.parent()).isEmpty();
    }

    @Test
    void noselectAndNonExistentFoldersCannotBeOpened() {
        assertThat(MailFolder.fromList("[Gmail]", "/", List.of("\\HasChildren", "\\Noselect")).isSelectable()).isFalse();
        assertThat(MailFolder.fromList("[Gmail]", "/", List.of("\\NoSelect")).isSelectable()).isFalse();
        assertThat(MailFolder.fromList("[Gmail]", "/", List.of("\\NonExistent")).isSelectable()).isFalse();
        assertThat(MailFolder.fromList("Work", "/", List.of("\\HasChildren")).isSelectable()).isTrue();
    }

    @Test
    void hasRoleAndHasAttributeIgnoreTheServersCase() {
        MailFolder sent = MailFolder.fromList("Sent", "/", List.of("\\SENT"));

        assertThat(sent.hasRole(FolderRole.SENT)).isTrue();
        assertThat(sent.hasRole(FolderRole.JUNK)).isFalse();
        assertThat(sent.hasAttribute("\\Sent")).isTrue();
    }

    @Test
    void itsListsCannotBeChangedAfterwards() {
        MailFolder sent = MailFolder.fromList("Sent", "/", List.of("\\Sent"));

        assertThatThrownBy(() -> sent.attributes().add("\\Junk")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> sent.roles().add(FolderRole.JUNK)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsAnEmptyName() {
        assertThatThrownBy(() -> MailFolder.fromList("", "/", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A folder name is empty: give the name exactly as the server's LIST answer has it, e.g. INBOX");
    }

    @Test
    void rejectsADelimiterLongerThanOneCharacter() {
        assertThatThrownBy(() -> MailFolder.fromList("A::B", "::", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The hierarchy delimiter of folder 'A::B' is '::', but an IMAP delimiter is one character:"
                        + " give the one from the LIST answer, or \"\" for NIL");
    }

    @Test
    void rejectsABlankAttribute() {
        assertThatThrownBy(() -> MailFolder.fromList("Sent", "/", List.of("\\Sent", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Folder 'Sent' has an empty attribute in [\\Sent,  ]: give the attributes as the LIST"
                        + " answer has them, e.g. \\HasNoChildren");
    }

    @Test
    void rolesAndTheirSourceMustAgree() {
        assertThatThrownBy(() -> new MailFolder("Sent", "/", List.of(), Set.of(FolderRole.SENT), RoleSource.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Folder 'Sent' has roles [SENT] from NONE: a folder without roles has the source NONE,"
                        + " and a folder with roles SERVER or NAME");
        assertThatThrownBy(() -> new MailFolder("Sent", "/", List.of(), EnumSet.noneOf(FolderRole.class), RoleSource.NAME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Folder 'Sent' has roles [] from NAME");
    }

    @Test
    void rejectsAMissingDelimiterInTheConstructorWithAHint() {
        assertThatThrownBy(() -> new MailFolder("Sent", null, List.of(), Set.of(), RoleSource.NONE))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("delimiter of folder 'Sent': use \"\" when the server gave NIL");
    }
}
