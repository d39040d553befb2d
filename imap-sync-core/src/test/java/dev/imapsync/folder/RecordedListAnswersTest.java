package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.folder.RecordedListAnswers.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test parser reads LIST lines the way servers write them. */
class RecordedListAnswersTest {

    @Test
    void readsQuotedNamesWithEscapes() {
        List<Entry> entries = RecordedListAnswers.entries("* LIST (\\HasNoChildren) \"/\" \"Project \\\"Blue\\\" \\\\ 2\"");

        assertThat(entries).containsExactly(
                new Entry("LIST", List.of("\\HasNoChildren"), "/", "Project \"Blue\" \\ 2"));
    }

    @Test
    void readsAtomsNilDelimitersEmptyAttributesAndXlist() {
        List<Entry> entries = RecordedListAnswers.entries(String.join("\r\n",
                "# a comment",
                "a1 LIST \"\" \"*\"",
                "* LIST () NIL INBOX",
                "* LIST (\\HasNoChildren \\Trash) \"/\" \"Deleted Items\"",
                "* XLIST (\\HasNoChildren \\AllMail) \"/\" \"[Gmail]/All Mail\"",
                "* LIST (\\HasNoChildren) \"/\" Calendar/Birthdays",
                "* LIST (\\HasNoChildren \\Junk) \"/\" \"Bulk\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "* OK [ALERT] not a LIST line",
                "a1 OK LIST completed"));

        assertThat(entries).containsExactly(
                new Entry("LIST", List.of(), null, "INBOX"),
                new Entry("LIST", List.of("\\HasNoChildren", "\\Trash"), "/", "Deleted Items"),
                new Entry("XLIST", List.of("\\HasNoChildren", "\\AllMail"), "/", "[Gmail]/All Mail"),
                new Entry("LIST", List.of("\\HasNoChildren"), "/", "Calendar/Birthdays"),
                new Entry("LIST", List.of("\\HasNoChildren", "\\Junk"), "/", "Bulk"));
    }

    @Test
    void refusesLiterals() {
        assertThatThrownBy(() -> RecordedListAnswers.entries("* LIST (\\HasNoChildren) \"/\" {7}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("literals are not supported by this test parser at index 28 of: * LIST (\\HasNoChildren) \"/\" {7}");
    }

    @Test
    void everyRecordingHasFoldersAndAnInbox() {
        for (String resource : List.of("gmail-en.txt", "gmail-de.txt", "gmail-xlist.txt", "outlook-office365.txt",
                "icloud.txt", "yahoo.txt", "yahoo-2015-no-special-use.txt", "courier-no-special-use.txt",
                "german-no-special-use.txt", "nil-delimiter.txt")) {
            List<MailFolder> folders = RecordedListAnswers.folders(resource);
            assertThat(folders).as(resource).isNotEmpty();
            assertThat(folders).as(resource).filteredOn(f -> f.hasRole(FolderRole.INBOX)).hasSize(1);
        }
    }
}
