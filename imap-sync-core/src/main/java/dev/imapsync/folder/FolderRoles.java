package dev.imapsync.folder;

import dev.imapsync.folder.MailFolder.RoleSource;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Roles for a whole folder list. Servers with SPECIAL-USE (RFC 6154) say which folder is
 * Sent, Trash and so on; for servers that mark none of their folders, the roles are guessed
 * from well-known names in many languages ({@code Sent Items}, {@code Gesendet},
 * {@code Éléments envoyés}, {@code Отправленные}, ...).
 *
 * <p>A guess is made only when no folder of the list carries a special-use attribute, so a
 * guess never overrides or adds to what a server said. Names are matched on the decoded last
 * part of top-level folders and of folders directly under {@code INBOX} (Courier and Cyrus
 * keep everything there, e.g. {@code INBOX.Sent}), ignoring case; a user folder deeper down,
 * such as {@code Clients/Archive}, is never guessed.
 */
final class FolderRoles {
    /** Roles that may be guessed from names; the others are only taken from the server. */
    private static final Map<String, FolderRole> WELL_KNOWN_NAMES = wellKnownNames();

    private FolderRoles() {
    }

    /**
     * The same folders, in the same order, with roles guessed from well-known names when the
     * server gave no special-use attribute on any folder of the list; otherwise the folders
     * unchanged. Give it the complete LIST answer, not a part of it.
     */
    static List<MailFolder> assign(List<MailFolder> folders) {
        Objects.requireNonNull(folders, "folders");
        List<MailFolder> copy = List.copyOf(folders);
        for (MailFolder folder : copy) {
            if (announcesSpecialUse(folder)) {
                return copy;
            }
        }
        List<MailFolder> result = new ArrayList<>(copy.size());
        for (MailFolder folder : copy) {
            Optional<FolderRole> guess = folder.hasRole(FolderRole.INBOX) ? Optional.empty() : guess(folder);
            if (guess.isPresent() && folder.roleSource() != RoleSource.SERVER) {
                EnumSet<FolderRole> roles = EnumSet.of(guess.get());
                result.add(folder.withRoles(roles, RoleSource.NAME));
            } else {
                result.add(folder);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** Whether the server marked this folder with a special-use attribute (INBOX's own mark aside). */
    static boolean announcesSpecialUse(MailFolder folder) {
        for (String attribute : folder.attributes()) {
            Optional<FolderRole> role = FolderRole.fromAttribute(attribute);
            if (role.isPresent() && role.get() != FolderRole.INBOX) {
                return true;
            }
        }
        return false;
    }

    /** The role a folder's name suggests, for folders at the top or directly under INBOX or Gmail's parent. */
    static Optional<FolderRole> guess(MailFolder folder) {
        Optional<String> parent = folder.parent();
        if (parent.isPresent()) {
            String p = parent.get();
            return MailFolder.isInboxName(p) || GmailLayout.isGmailParent(p)
                    ? roleOfName(folder.leafName()) : Optional.empty();
        }
        String name = folder.name();
        if (folder.delimiter().isEmpty()) {
            // no hierarchy: still tolerate the INBOX prefixes Courier and Cyrus use
            for (String prefix : List.of("INBOX.", "INBOX/")) {
                if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    name = name.substring(prefix.length());
                    break;
                }
            }
        }
        return roleOfName(ModifiedUtf7.decode(name));
    }

    /** The role a well-known folder name stands for ({@code Sent Items} is SENT), ignoring case. */
    static Optional<FolderRole> roleOfName(String decodedName) {
        return Optional.ofNullable(WELL_KNOWN_NAMES.get(normalize(decodedName)));
    }

    /** Name text for comparisons: composed Unicode, trimmed, lower case. */
    static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).strip().toLowerCase(Locale.ROOT);
    }

    private static Map<String, FolderRole> wellKnownNames() {
        Map<String, FolderRole> names = new HashMap<>();
        add(names, FolderRole.SENT,
                "Sent", "Sent Items", "Sent Messages", "Sent Mail", "Sent Mails", "Sent Email",
                "Gesendet", "Gesendete Elemente", "Gesendete Objekte", "Gesendete Nachrichten",
                "Envoyés", "Éléments envoyés", "Messages envoyés", "Courrier envoyé",
                "Enviados", "Elementos enviados", "Mensajes enviados", "Enviadas",
                "Itens enviados", "Mensagens enviadas", "E-mails enviados",
                "Posta inviata", "Inviata", "Inviati", "Elementi inviati",
                "Verzonden", "Verzonden items", "Verzonden berichten",
                "Skickat", "Skickade objekt", "Skickade meddelanden",
                "Sendt", "Sendte elementer", "Sendte meldinger", "Sendt post",
                "Lähetetyt", "Lähetetyt kohteet",
                "Wysłane", "Elementy wysłane",
                "Odeslané", "Odeslaná pošta", "Odoslané",
                "Elküldött", "Elküldött elemek",
                "Gönderilmiş Öğeler", "Gönderilenler", "Απεσταλμένα",
                "Отправленные", "Надіслані",
                "送信済み", "送信済みメール", "送信済みアイテム",
                "已发送", "已发送邮件", "已傳送", "寄件備份",
                "보낸편지함", "보낸 편지함");
        add(names, FolderRole.DRAFTS,
                "Drafts", "Draft", "Entwürfe", "Entwurf", "Brouillons", "Borradores", "Rascunhos", "Bozze",
                "Concepten", "Utkast", "Kladder", "Kladde", "Luonnokset", "Szkice", "Koncepty", "Rozpracované",
                "Piszkozatok", "Taslaklar", "Πρόχειρα", "Черновики", "Чернетки",
                "下書き", "草稿", "草稿箱", "임시보관함", "임시 보관함");
        add(names, FolderRole.TRASH,
                "Trash", "Deleted", "Deleted Items", "Deleted Messages", "Bin", "Rubbish",
                "Papierkorb", "Gelöschte Elemente", "Gelöschte Objekte", "Gelöscht",
                "Corbeille", "Éléments supprimés", "Messages supprimés",
                "Papelera", "Elementos eliminados", "Eliminados", "Lixeira", "Itens excluídos", "Itens eliminados",
                "Cestino", "Posta eliminata", "Elementi eliminati",
                "Prullenbak", "Verwijderde items", "Verwijderd",
                "Papperskorgen", "Papperskorg", "Borttagna objekt",
                "Papirkurv", "Slettet", "Slettede elementer", "Slettede objekter",
                "Roskakori", "Poistetut", "Poistetut kohteet",
                "Kosz", "Elementy usunięte", "Koš", "Odstraněná pošta", "Kuka", "Törölt elemek",
                "Çöp Kutusu", "Κάδος απορριμμάτων",
                "Корзина", "Удаленные", "Удалённые", "Кошик",
                "ゴミ箱", "削除済みアイテム", "已删除", "已删除邮件", "휴지통");
        add(names, FolderRole.JUNK,
                "Junk", "Spam", "Junk E-mail", "Junk Email", "Junk Mail", "Junk-E-Mail", "Bulk", "Bulk Mail",
                "Spamverdacht", "Courrier indésirable", "Indésirables", "Pourriel",
                "Correo no deseado", "Lixo eletrônico", "Posta indesiderata",
                "Ongewenste e-mail", "Ongewenst", "Skräppost", "Uønsket e-post", "Søppelpost", "Roskaposti",
                "Wiadomości-śmieci", "Nevyžádaná pošta", "Levélszemét", "Gereksiz E-posta",
                "Спам", "Нежелательная почта",
                "迷惑メール", "垃圾邮件", "垃圾郵件", "스팸메일함", "스팸");
        add(names, FolderRole.ARCHIVE,
                "Archive", "Archives", "Archiv", "Archivio", "Archivo", "Archief", "Arkiv", "Arkisto",
                "Archiwum", "Archívum", "Arquivo", "Arşiv", "Архив", "Архів", "アーカイブ", "归档", "存档");
        return Collections.unmodifiableMap(names);
    }

    private static void add(Map<String, FolderRole> names, FolderRole role, String... wellKnown) {
        for (String name : wellKnown) {
            FolderRole before = names.put(normalize(name), role);
            if (before != null && before != role) {
                throw new IllegalStateException("Folder name '" + name + "' is listed for " + before + " and " + role);
            }
        }
    }
}
