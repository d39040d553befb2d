package dev.imapsync.folder;

import static dev.imapsync.folder.RecordedListAnswers.folder;
import static dev.imapsync.folder.RecordedListAnswers.folders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.MailProvider;
import dev.imapsync.folder.MailFolder.RoleSource;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Folder roles, recommendations and validation on LIST answers recorded from real providers. */
class RecordedProvidersTest {

    @Nested
    class GmailInEnglish {
        final List<MailFolder> gmail = folders("gmail-en.txt");

        @Test
        void systemFoldersHaveTheRolesGmailAnnounces() {
            assertThat(folder(gmail, "INBOX").roles()).containsExactly(FolderRole.INBOX);
            assertThat(folder(gmail, "[Gmail]/Important").roles()).containsExactly(FolderRole.IMPORTANT);
            assertThat(folder(gmail, "[Gmail]/Sent Mail").roles()).containsExactly(FolderRole.SENT);
            assertThat(folder(gmail, "[Gmail]/All Mail").roles()).containsExactly(FolderRole.ALL);
            assertThat(folder(gmail, "[Gmail]/Spam").roles()).containsExactly(FolderRole.JUNK);
            assertThat(folder(gmail, "[Gmail]/Trash").roles()).containsExactly(FolderRole.TRASH);
            assertThat(folder(gmail, "[Gmail]/Drafts").roles()).containsExactly(FolderRole.DRAFTS);
            assertThat(folder(gmail, "[Gmail]/Starred").roles()).containsExactly(FolderRole.FLAGGED);
            assertThat(folder(gmail, "[Gmail]").isSelectable()).isFalse();
            assertThat(folder(gmail, "Project \"Blue\"").roles()).isEmpty();
            assertThat(folder(gmail, "Clients/ACME").parent()).contains("Clients");
            assertThat(gmail).noneMatch(f -> f.roleSource() == RoleSource.NAME);
        }

        @Test
        void looksLikeGmail() {
            assertThat(GmailLayout.looksLikeGmail(gmail)).isTrue();
        }

        @Test
        void recommendsImportantAndSent() {
            FolderSelection selection = FolderSelector.recommend(gmail, MailProvider.GMAIL);

            assertThat(selection.names()).containsExactly("[Gmail]/Important", "[Gmail]/Sent Mail");
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void isTreatedAsGmailByItsLayoutWhenTheProviderIsUnknown() {
            assertThat(FolderSelector.recommend(gmail, MailProvider.GENERIC).names())
                    .containsExactly("[Gmail]/Important", "[Gmail]/Sent Mail");
        }

        @Test
        void withoutImportantRecommendsInboxAndSentAndSaysWhy() {
            List<MailFolder> importanceOff = gmail.stream().filter(f -> !f.hasRole(FolderRole.IMPORTANT)).toList();

            FolderSelection selection = FolderSelector.recommend(importanceOff, MailProvider.GMAIL);

            assertThat(selection.names()).containsExactly("INBOX", "[Gmail]/Sent Mail");
            assertThat(selection.warnings()).containsExactly("This Gmail account shows no Important folder over IMAP"
                    + " (importance markers are off, or the label is hidden from IMAP), so INBOX and Sent are"
                    + " recommended instead. To use Important, turn on importance markers and tick \"Show in IMAP\""
                    + " for Important in Gmail's settings (Settings > Labels).");
        }

        @Test
        void inboxBesideImportantIsWorthAWarning() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "[Gmail]/Important"), gmail,
                    MailProvider.GMAIL);

            assertThat(validation.isValid()).isTrue();
            assertThat(validation.warnings()).containsExactly("\"INBOX\" and \"[Gmail]/Important\" are both selected:"
                    + " on Gmail the same messages appear in both, and the engine counts each message once, so INBOX"
                    + " adds only the messages Gmail did not mark important. Keep both to record those too, or leave"
                    + " INBOX out to read fewer messages.");
        }

        @Test
        void allMailAloneIsAllowedWithItsTradeOff() {
            FolderValidation validation = FolderSelector.validate(List.of("[Gmail]/All Mail"), gmail, MailProvider.GMAIL);

            assertThat(validation.isValid()).isTrue();
            assertThat(validation.selection().names()).containsExactly("[Gmail]/All Mail");
            assertThat(validation.warnings()).containsExactly("\"[Gmail]/All Mail\" holds every message of the"
                    + " account, archived mail included (but not Spam or Trash): syncing it is complete, but it reads"
                    + " the most messages. Selecting other Gmail folders beside it adds nothing, as their messages are"
                    + " in it too.");
        }

        @Test
        void allMailNamesTheFoldersThatAddNothingBesideIt() {
            FolderValidation validation = FolderSelector.validate(
                    List.of("[Gmail]/All Mail", "INBOX", "[Gmail]/Sent Mail", "[Gmail]/Spam"), gmail, MailProvider.GMAIL);

            assertThat(validation.isValid()).isTrue();
            assertThat(validation.warnings()).containsExactly(
                    "\"[Gmail]/Spam\" is the Junk folder: it holds mail taken for spam, whose senders would enter"
                            + " contact histories. Leave it out unless you want spam recorded.",
                    "\"[Gmail]/All Mail\" holds every message of the account, archived mail included (but not Spam or"
                            + " Trash): syncing it is complete, but it reads the most messages. The folders selected"
                            + " beside it (\"INBOX\", \"[Gmail]/Sent Mail\") add nothing, as their messages are in it"
                            + " too: leave them out.");
        }

        @Test
        void theGmailParentCannotBeSynced() {
            FolderValidation validation = FolderSelector.validate(List.of("[Gmail]"), gmail, MailProvider.GMAIL);

            assertThat(validation.isValid()).isFalse();
            assertThat(validation.errors()).containsExactly("Folder \"[Gmail]\" cannot be synced: the server marks it"
                    + " \\Noselect, so it only holds other folders and no messages. Choose folders inside it instead,"
                    + " e.g. \"[Gmail]/All Mail\", \"[Gmail]/Important\" or \"[Gmail]/Sent Mail\".");
        }

        @Test
        void aMissingFolderGetsTheClosestNames() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "Sent Mail"), gmail,
                    MailProvider.GMAIL);

            assertThat(validation.errors()).containsExactly("Folder \"Sent Mail\" does not exist on this server."
                    + " Did you mean \"[Gmail]/Sent Mail\"? Give the name as the folder list shows it.");
        }
    }

    @Nested
    class GmailInGerman {
        final List<MailFolder> gmail = folders("gmail-de.txt");

        @Test
        void systemFoldersHaveTheirRolesWhateverTheirNames() {
            assertThat(folder(gmail, "[Google Mail]/Wichtig").roles()).containsExactly(FolderRole.IMPORTANT);
            assertThat(folder(gmail, "[Google Mail]/Gesendet").roles()).containsExactly(FolderRole.SENT);
            assertThat(folder(gmail, "[Google Mail]/Alle Nachrichten").roles()).containsExactly(FolderRole.ALL);
            assertThat(folder(gmail, "[Google Mail]/Papierkorb").roles()).containsExactly(FolderRole.TRASH);
            assertThat(folder(gmail, "[Google Mail]/Spam").roles()).containsExactly(FolderRole.JUNK);
            assertThat(folder(gmail, "[Google Mail]/Markiert").roles()).containsExactly(FolderRole.FLAGGED);
            MailFolder drafts = folder(gmail, "[Google Mail]/Entw&APw-rfe");
            assertThat(drafts.roles()).containsExactly(FolderRole.DRAFTS);
            assertThat(drafts.displayName()).isEqualTo("[Google Mail]/Entwürfe");
            assertThat(drafts.leafName()).isEqualTo("Entwürfe");
            assertThat(folder(gmail, "Kunden &2D3egA-").displayName()).isEqualTo("Kunden 🚀");
        }

        @Test
        void looksLikeGmail() {
            assertThat(GmailLayout.looksLikeGmail(gmail)).isTrue();
        }

        @Test
        void recommendsWichtigAndGesendetEvenWhenTheProviderIsUnknown() {
            FolderSelection selection = FolderSelector.recommend(gmail, MailProvider.GENERIC);

            assertThat(selection.names()).containsExactly("[Google Mail]/Wichtig", "[Google Mail]/Gesendet");
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void acceptsDisplayNamesAndReturnsTheRawNames() {
            FolderValidation validation = FolderSelector.validate(
                    List.of("inbox", "[Google Mail]/Entwürfe", "Kunden 🚀"), gmail, MailProvider.GMAIL);

            assertThat(validation.isValid()).isTrue();
            assertThat(validation.selection().names())
                    .containsExactly("INBOX", "[Google Mail]/Entw&APw-rfe", "Kunden &2D3egA-");
            assertThat(validation.warnings()).containsExactly("\"[Google Mail]/Entwürfe\" is the Drafts folder: it"
                    + " holds unsent drafts, which would be recorded as if they had been sent. Leave it out unless you"
                    + " want drafts recorded.");
        }

        @Test
        void anEnglishNameLeadsToTheGermanFolder() {
            FolderValidation validation = FolderSelector.validate(List.of("Sent"), gmail, MailProvider.GMAIL);

            assertThat(validation.errors()).containsExactly("Folder \"Sent\" does not exist on this server."
                    + " Did you mean \"[Google Mail]/Gesendet\"? Give the name as the folder list shows it.");
        }

        @Test
        void inboxBesideWichtigIsWorthAWarning() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "[Google Mail]/Wichtig"), gmail,
                    MailProvider.GENERIC);

            assertThat(validation.warnings()).singleElement().asString()
                    .startsWith("\"INBOX\" and \"[Google Mail]/Wichtig\" are both selected: on Gmail the same messages"
                            + " appear in both, and the engine counts each message once");
        }
    }

    @Nested
    class GmailAnsweringXlist {
        final List<MailFolder> gmail = folders("gmail-xlist.txt");

        @Test
        void theOlderXlistNamesGiveTheSameRoles() {
            assertThat(folder(gmail, "Inbox").roles()).containsExactly(FolderRole.INBOX);
            assertThat(folder(gmail, "[Gmail]/All Mail").roles()).containsExactly(FolderRole.ALL);
            assertThat(folder(gmail, "[Gmail]/Spam").roles()).containsExactly(FolderRole.JUNK);
            assertThat(folder(gmail, "[Gmail]/Starred").roles()).containsExactly(FolderRole.FLAGGED);
            assertThat(GmailLayout.looksLikeGmail(gmail)).isTrue();
            assertThat(FolderSelector.recommend(gmail, MailProvider.GENERIC).names())
                    .containsExactly("[Gmail]/Important", "[Gmail]/Sent Mail");
        }
    }

    @Nested
    class OutlookAndMicrosoft365 {
        final List<MailFolder> outlook = folders("outlook-office365.txt");

        @Test
        void specialFoldersHaveTheRolesExchangeAnnounces() {
            assertThat(folder(outlook, "INBOX").roles()).containsExactly(FolderRole.INBOX);
            assertThat(folder(outlook, "Sent Items").roles()).containsExactly(FolderRole.SENT);
            assertThat(folder(outlook, "Deleted Items").roles()).containsExactly(FolderRole.TRASH);
            assertThat(folder(outlook, "Junk Email").roles()).containsExactly(FolderRole.JUNK);
            assertThat(folder(outlook, "Drafts").roles()).containsExactly(FolderRole.DRAFTS);
            assertThat(folder(outlook, "Archive").roles()).containsExactly(FolderRole.ARCHIVE);
            assertThat(folder(outlook, "Conversation History").roles()).isEmpty();
            assertThat(folder(outlook, "Outbox").roles()).isEmpty();
            assertThat(folder(outlook, "Calendar/Birthdays").leafName()).isEqualTo("Birthdays");
        }

        @Test
        void doesNotLookLikeGmail() {
            assertThat(GmailLayout.looksLikeGmail(outlook)).isFalse();
        }

        @Test
        void recommendsInboxAndSentItems() {
            FolderSelection selection = FolderSelector.recommend(outlook, MailProvider.OUTLOOK);

            assertThat(selection.names()).containsExactly("INBOX", "Sent Items");
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void explainsJunkAndAMissingFolder() {
            FolderValidation validation = FolderSelector.validate(List.of("Inbox", "Junk Email", "Sent"), outlook,
                    MailProvider.OUTLOOK);

            assertThat(validation.isValid()).isFalse();
            assertThat(validation.folders()).extracting(MailFolder::name).containsExactly("INBOX", "Junk Email");
            assertThat(validation.errors()).containsExactly("Folder \"Sent\" does not exist on this server."
                    + " Did you mean \"Sent Items\"? Give the name as the folder list shows it.");
            assertThat(validation.warnings()).containsExactly("\"Junk Email\" is the Junk folder: it holds mail taken"
                    + " for spam, whose senders would enter contact histories. Leave it out unless you want spam"
                    + " recorded.");
        }

        @Test
        void outboxIsAllowedWithoutComment() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "Outbox"), outlook,
                    MailProvider.OUTLOOK);

            assertThat(validation.isValid()).isTrue();
            assertThat(validation.warnings()).isEmpty();
        }
    }

    @Nested
    class ICloud {
        final List<MailFolder> icloud = folders("icloud.txt");

        @Test
        void specialFoldersHaveTheRolesICloudAnnounces() {
            assertThat(folder(icloud, "Sent Messages").roles()).containsExactly(FolderRole.SENT);
            assertThat(folder(icloud, "Deleted Messages").roles()).containsExactly(FolderRole.TRASH);
            assertThat(folder(icloud, "Junk").roles()).containsExactly(FolderRole.JUNK);
            assertThat(folder(icloud, "Drafts").roles()).containsExactly(FolderRole.DRAFTS);
            assertThat(folder(icloud, "Archive").roles()).containsExactly(FolderRole.ARCHIVE);
            assertThat(folder(icloud, "Notes").roles()).isEmpty();
            assertThat(GmailLayout.looksLikeGmail(icloud)).isFalse();
        }

        @Test
        void recommendsInboxAndSentMessages() {
            FolderSelection selection = FolderSelector.recommend(icloud, MailProvider.ICLOUD);

            assertThat(selection.names()).containsExactly("INBOX", "Sent Messages");
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void explainsTrashAndSuggestsTheRightCase() {
            FolderValidation validation = FolderSelector.validate(List.of("Deleted Messages", "Sent messages"), icloud,
                    MailProvider.ICLOUD);

            assertThat(validation.errors()).containsExactly("Folder \"Sent messages\" does not exist on this server."
                    + " Did you mean \"Sent Messages\"? Give the name as the folder list shows it.");
            assertThat(validation.warnings()).containsExactly("\"Deleted Messages\" is the Trash folder: it holds mail"
                    + " the user deleted, which would be recorded in contact histories all the same. Leave it out"
                    + " unless you want deleted mail recorded.");
        }
    }

    @Nested
    class Yahoo {
        final List<MailFolder> yahoo = folders("yahoo.txt");

        @Test
        void itsInboxIsCalledInboxAndItsSpamBulk() {
            assertThat(folder(yahoo, "Inbox").roles()).containsExactly(FolderRole.INBOX);
            assertThat(folder(yahoo, "Bulk").roles()).containsExactly(FolderRole.JUNK);
            assertThat(folder(yahoo, "Draft").roles()).containsExactly(FolderRole.DRAFTS);
            assertThat(folder(yahoo, "Sent").roles()).containsExactly(FolderRole.SENT);
            assertThat(folder(yahoo, "Trash").roles()).containsExactly(FolderRole.TRASH);
            assertThat(folder(yahoo, "Archive").roles()).containsExactly(FolderRole.ARCHIVE);
            assertThat(GmailLayout.looksLikeGmail(yahoo)).isFalse();
        }

        @Test
        void recommendsInboxAndSent() {
            FolderSelection selection = FolderSelector.recommend(yahoo, MailProvider.YAHOO);

            assertThat(selection.names()).containsExactly("Inbox", "Sent");
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void inboxInCapitalsFindsYahoosInbox() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "Bulk"), yahoo, MailProvider.YAHOO);

            assertThat(validation.selection().names()).containsExactly("Inbox", "Bulk");
            assertThat(validation.warnings()).containsExactly("\"Bulk\" is the Junk folder: it holds mail taken for"
                    + " spam, whose senders would enter contact histories. Leave it out unless you want spam recorded.");
        }
    }

    @Nested
    class YahooBeforeSpecialUse {
        final List<MailFolder> yahoo = folders("yahoo-2015-no-special-use.txt");

        @Test
        void recommendsInboxAndTheGuessedSentFolder() {
            FolderSelection selection = FolderSelector.recommend(yahoo, MailProvider.YAHOO);

            assertThat(selection.names()).containsExactly("Inbox", "Sent");
            assertThat(folder(yahoo, "Sent").roleSource()).isEqualTo(RoleSource.NAME);
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void warnsAboutGuessedJunkToo() {
            FolderValidation validation = FolderSelector.validate(List.of("Bulk Mail"), yahoo, MailProvider.YAHOO);

            assertThat(validation.warnings()).singleElement().asString()
                    .startsWith("\"Bulk Mail\" is the Junk folder");
        }
    }

    @Nested
    class CourierWithoutSpecialUse {
        final List<MailFolder> courier = folders("courier-no-special-use.txt");

        @Test
        void recommendsInboxAndInboxSent() {
            FolderSelection selection = FolderSelector.recommend(courier, MailProvider.GENERIC);

            assertThat(selection.names()).containsExactly("INBOX", "INBOX.Sent");
            assertThat(selection.warnings()).isEmpty();
            assertThat(GmailLayout.looksLikeGmail(courier)).isFalse();
        }

        @Test
        void aShortNameFindsTheFoldersUnderInbox() {
            FolderValidation validation = FolderSelector.validate(List.of("Sent"), courier, MailProvider.GENERIC);

            assertThat(validation.errors()).containsExactly("Folder \"Sent\" does not exist on this server."
                    + " Did you mean \"INBOX.Sent\" or \"INBOX.Kunden.Sent\"? Give the name as the folder list shows it.");
        }

        @Test
        void guessedTrashIsWorthAWarning() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "INBOX.Trash"), courier,
                    MailProvider.GENERIC);

            assertThat(validation.isValid()).isTrue();
            assertThat(validation.warnings()).singleElement().asString().startsWith("\"INBOX.Trash\" is the Trash folder");
        }
    }

    @Nested
    class GermanServerWithoutSpecialUse {
        final List<MailFolder> german = folders("german-no-special-use.txt");

        @Test
        void recommendsInboxAndGesendet() {
            FolderSelection selection = FolderSelector.recommend(german, MailProvider.GENERIC);

            assertThat(selection.names()).containsExactly("INBOX", "Gesendet");
            assertThat(selection.warnings()).isEmpty();
        }

        @Test
        void explainsDraftsAndTrashByTheirGermanNames() {
            FolderValidation validation = FolderSelector.validate(List.of("INBOX", "Entwürfe", "Papierkorb"), german,
                    MailProvider.GMX);

            assertThat(validation.selection().names()).containsExactly("INBOX", "Entw&APw-rfe", "Papierkorb");
            assertThat(validation.warnings()).containsExactly(
                    "\"Entwürfe\" is the Drafts folder: it holds unsent drafts, which would be recorded as if they had"
                            + " been sent. Leave it out unless you want drafts recorded.",
                    "\"Papierkorb\" is the Trash folder: it holds mail the user deleted, which would be recorded in"
                            + " contact histories all the same. Leave it out unless you want deleted mail recorded.");
        }

        @Test
        void isNotGmailEvenWhenTheProviderSaysNothing() {
            assertThat(GmailLayout.looksLikeGmail(german)).isFalse();
        }
    }

    @Nested
    class FlatServerWithNilDelimiter {
        final List<MailFolder> flat = folders("nil-delimiter.txt");

        @Test
        void recommendsInboxAndTheGuessedSentFolder() {
            assertThat(FolderSelector.recommend(flat, MailProvider.GENERIC).names())
                    .containsExactly("INBOX", "Sent Items");
        }
    }
}
