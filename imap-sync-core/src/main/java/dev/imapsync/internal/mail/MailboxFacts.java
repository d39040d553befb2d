package dev.imapsync.internal.mail;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.MailFolder;
import java.util.ArrayList;
import java.util.List;

/** What a logged-in connection tells about a mailbox: its folders with roles, and its provider. */
public final class MailboxFacts {
    private MailboxFacts() {
    }

    /** The listed folders as {@link MailFolder}s, with roles from special-use or well-known names. */
    public static List<MailFolder> folders(List<ListedFolder> listed) {
        List<MailFolder> folders = new ArrayList<>(listed.size());
        for (ListedFolder f : listed) {
            if (f.rawName().isEmpty()) {
                continue; // no mailbox has an empty name: a broken or hostile LIST line, which must not stop the sync
            }
            folders.add(MailFolder.fromList(f.rawName(), f.delimiter(), f.attributes()));
        }
        return FolderSelector.assignRoles(folders);
    }

    /**
     * The provider, the one place it is judged: by the host or the capabilities
     * ({@link MailProvider#detect}), then by Gmail's folder layout, then by the email address's
     * domain. Before login, or before the folders are listed, pass what is known so far (empty
     * lists): the answer is then the best guess for hints.
     *
     * @param endpoint     where the mailbox is (its host counts, not its port or mode)
     * @param capabilities the server's capabilities, or none yet
     * @param folders      the listed folders, or none yet
     */
    public static MailProvider provider(ImapAccount account, Endpoint endpoint, List<String> capabilities,
                                        List<MailFolder> folders) {
        MailProvider byServer = MailProvider.detect(endpoint.host(), capabilities);
        if (byServer != MailProvider.GENERIC) {
            return byServer;
        }
        if (FolderSelector.looksLikeGmail(folders)) {
            return MailProvider.GMAIL;
        }
        return account.emailAddress().isEmpty() ? MailProvider.GENERIC
                : MailProvider.forEmailAddress(account.emailAddress());
    }
}
