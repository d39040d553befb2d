package dev.imapsync.folder;

import static dev.imapsync.folder.RecordedListAnswers.folder;
import static dev.imapsync.folder.RecordedListAnswers.folders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.folder.MailFolder.RoleSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Roles guessed from well-known names, only for servers that announce no special-use folder. */
class FolderRolesTest {

    @Test
    void courierFoldersUnderInboxAreGuessedByTheirLastPart() {
        List<MailFolder> courier = folders("courier-no-special-use.txt");

        assertThat(folder(courier, "INBOX.Sent").roles()).containsExactly(FolderRole.SENT);
        assertThat(folder(courier, "INBOX.Sent").roleSource()).isEqualTo(RoleSource.NAME);
        assertThat(folder(courier, "INBOX.Trash").roles()).containsExactly(FolderRole.TRASH);
        assertThat(folder(courier, "INBOX.Drafts").roles()).containsExactly(FolderRole.DRAFTS);
        assertThat(folder(courier, "INBOX.spam").roles()).containsExactly(FolderRole.JUNK);
        assertThat(folder(courier, "INBOX").roles()).containsExactly(FolderRole.INBOX);
        assertThat(folder(courier, "INBOX").roleSource()).isEqualTo(RoleSource.SERVER);
        assertThat(folder(courier, "INBOX.Templates").roleSource()).isEqualTo(RoleSource.NONE);
    }

    @Test
    void aUserFolderDeeperDownIsNeverGuessed() {
        assertThat(folder(folders("courier-no-special-use.txt"), "INBOX.Kunden.Sent").roles()).isEmpty();
        assertThat(folder(folders("german-no-special-use.txt"), "Kunden/Archiv").roles()).isEmpty();
    }

    @Test
    void germanNamesAreGuessedOnTheDecodedName() {
        List<MailFolder> german = folders("german-no-special-use.txt");

        assertThat(folder(german, "Gesendet").roles()).containsExactly(FolderRole.SENT);
        assertThat(folder(german, "Entw&APw-rfe").roles()).containsExactly(FolderRole.DRAFTS);
        assertThat(folder(german, "Papierkorb").roles()).containsExactly(FolderRole.TRASH);
        assertThat(folder(german, "Spamverdacht").roles()).containsExactly(FolderRole.JUNK);
        assertThat(folder(german, "Archiv").roles()).containsExactly(FolderRole.ARCHIVE);
        assertThat(folder(german, "Archiv/2024").roles()).isEmpty();
        assertThat(folder(german, "INBOX/Anfragen").roles()).isEmpty();
        assertThat(german).filteredOn(f -> f.roleSource() == RoleSource.NAME).hasSize(5);
    }

    @Test
    void yahooBeforeSpecialUseIsGuessedFromItsOwnNames() {
        List<MailFolder> yahoo = folders("yahoo-2015-no-special-use.txt");

        assertThat(folder(yahoo, "Bulk Mail").roles()).containsExactly(FolderRole.JUNK);
        assertThat(folder(yahoo, "Draft").roles()).containsExactly(FolderRole.DRAFTS);
        assertThat(folder(yahoo, "Sent").roles()).containsExactly(FolderRole.SENT);
        assertThat(folder(yahoo, "Trash").roles()).containsExactly(FolderRole.TRASH);
        assertThat(folder(yahoo, "Inbox").roles()).containsExactly(FolderRole.INBOX);
        assertThat(folder(yahoo, "Notes").roles()).isEmpty();
    }

    @Test
    void aServerWithoutHierarchyIsGuessedOnTheWholeName() {
        List<MailFolder> flat = folders("nil-delimiter.txt");

        assertThat(flat).allSatisfy(f -> assertThat(f.delimiter()).isEmpty());
        assertThat(folder(flat, "Sent Items").roles()).containsExactly(FolderRole.SENT);
        assertThat(folder(flat, "Deleted Items").roles()).containsExactly(FolderRole.TRASH);
        assertThat(folder(flat, "Orders 2024").roles()).isEmpty();
    }

    @Test
    void namesNeverOverrideOrAddToWhatTheServerSaid() {
        List<MailFolder> list = new ArrayList<>(folders("icloud.txt"));
        list.add(MailFolder.fromList("Sent", "/", List.of("\\HasNoChildren")));
        list.add(MailFolder.fromList("Trash", "/", List.of("\\HasNoChildren")));

        List<MailFolder> assigned = FolderRoles.assign(list);

        assertThat(folder(assigned, "Sent").roles()).isEmpty();
        assertThat(folder(assigned, "Trash").roles()).isEmpty();
        assertThat(folder(assigned, "Sent Messages").roles()).containsExactly(FolderRole.SENT);
        assertThat(assigned).noneMatch(f -> f.roleSource() == RoleSource.NAME);
    }

    @Test
    void anInboxMarkAloneDoesNotStopTheGuess() {
        List<MailFolder> assigned = FolderRoles.assign(List.of(
                MailFolder.fromList("Inbox", "/", List.of("\\Inbox")),
                MailFolder.fromList("Sent", "/", List.of())));

        assertThat(folder(assigned, "Sent").roles()).containsExactly(FolderRole.SENT);
    }

    @Test
    void assigningTwiceChangesNothing() {
        List<MailFolder> once = folders("courier-no-special-use.txt");

        assertThat(FolderRoles.assign(once)).isEqualTo(once);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Sent | SENT
            Sent Items | SENT
            Sent Messages | SENT
            Sent Mail | SENT
            Gesendet | SENT
            Gesendete Elemente | SENT
            Gesendete Objekte | SENT
            Envoyés | SENT
            Éléments envoyés | SENT
            Messages envoyés | SENT
            Enviados | SENT
            Elementos enviados | SENT
            Posta inviata | SENT
            Inviata | SENT
            Verzonden | SENT
            Verzonden items | SENT
            Skickat | SENT
            Skickade objekt | SENT
            Sendt | SENT
            Sendte elementer | SENT
            Lähetetyt | SENT
            Wysłane | SENT
            Elementy wysłane | SENT
            Odeslané | SENT
            Elküldött | SENT
            Отправленные | SENT
            Enviadas | SENT
            送信済み | SENT
            已发送 | SENT
            보낸편지함 | SENT
            Drafts | DRAFTS
            Draft | DRAFTS
            Entwürfe | DRAFTS
            Brouillons | DRAFTS
            Borradores | DRAFTS
            Bozze | DRAFTS
            Concepten | DRAFTS
            Utkast | DRAFTS
            Kladder | DRAFTS
            Szkice | DRAFTS
            Черновики | DRAFTS
            Trash | TRASH
            Deleted Items | TRASH
            Deleted Messages | TRASH
            Bin | TRASH
            Papierkorb | TRASH
            Gelöschte Elemente | TRASH
            Corbeille | TRASH
            Éléments supprimés | TRASH
            Papelera | TRASH
            Elementos eliminados | TRASH
            Cestino | TRASH
            Prullenbak | TRASH
            Verwijderde items | TRASH
            Papperskorgen | TRASH
            Kosz | TRASH
            Корзина | TRASH
            Удаленные | TRASH
            Junk | JUNK
            Spam | JUNK
            Junk E-mail | JUNK
            Junk Email | JUNK
            Bulk Mail | JUNK
            Spamverdacht | JUNK
            Junk-E-Mail | JUNK
            Courrier indésirable | JUNK
            Indésirables | JUNK
            Correo no deseado | JUNK
            Posta indesiderata | JUNK
            Ongewenste e-mail | JUNK
            Skräppost | JUNK
            Wiadomości-śmieci | JUNK
            Спам | JUNK
            Archive | ARCHIVE
            Archives | ARCHIVE
            Archiv | ARCHIVE
            Archivio | ARCHIVE
            Archivo | ARCHIVE
            Archief | ARCHIVE
            Arkiv | ARCHIVE
            Архив | ARCHIVE
            """)
    void wellKnownNamesInManyLanguages(String name, FolderRole role) {
        MailFolder encoded = MailFolder.fromList(ModifiedUtf7.encode(name), "/", List.of("\\HasNoChildren"));
        MailFolder upperCase = MailFolder.fromList("INBOX." + ModifiedUtf7.encode(name.toUpperCase(java.util.Locale.ROOT)), ".", List.of());

        assertThat(FolderRoles.assign(List.of(encoded)).get(0).roles()).containsExactly(role);
        assertThat(FolderRoles.assign(List.of(upperCase)).get(0).roles()).containsExactly(role);
    }

    @Test
    void anOutboxIsNotASentFolder() {
        assertThat(FolderRoles.assign(List.of(MailFolder.fromList("Outbox", "/", List.of()),
                MailFolder.fromList("Postausgang", "/", List.of())))).allMatch(f -> f.roles().isEmpty());
    }
}
