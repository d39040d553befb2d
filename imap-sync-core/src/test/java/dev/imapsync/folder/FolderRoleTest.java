package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FolderRoleTest {

    @Test
    void jsonNamesAreTheSpecialUseNamesWithoutBackslash() {
        assertThat(Arrays.stream(FolderRole.values()).map(FolderRole::jsonName))
                .containsExactly("inbox", "sent", "drafts", "trash", "junk", "archive", "all", "flagged", "important");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "\\Sent, SENT", "\\sent, SENT", "\\SENT, SENT",
            "\\Drafts, DRAFTS", "\\Trash, TRASH", "\\Junk, JUNK", "\\Archive, ARCHIVE",
            "\\All, ALL", "\\Flagged, FLAGGED", "\\Important, IMPORTANT",
            // Gmail's older XLIST names
            "\\Spam, JUNK", "\\AllMail, ALL", "\\Starred, FLAGGED", "\\Inbox, INBOX",
    })
    void specialUseAttributesAnnounceRoles(String attribute, FolderRole role) {
        assertThat(FolderRole.fromAttribute(attribute)).contains(role);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\HasNoChildren", "\\HasChildren", "\\Noselect", "\\Marked", "\\Unmarked",
            "\\NonExistent", "\\Subscribed", "Sent", ""})
    void otherAttributesAnnounceNoRole(String attribute) {
        assertThat(FolderRole.fromAttribute(attribute)).isEmpty();
    }

    @Test
    void eachRoleKnowsItsStandardAttribute() {
        for (FolderRole role : FolderRole.values()) {
            assertThat(FolderRole.fromAttribute(role.attribute())).contains(role);
        }
    }
}
