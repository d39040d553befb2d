package dev.imapsync.folder;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gmail's folder layout: labels as folders, and the system folders under {@code [Gmail]}, or
 * {@code [Google Mail]} for accounts opened in Germany and the UK, whose names follow the
 * account's language ({@code [Google Mail]/Alle Nachrichten}).
 */
final class GmailLayout {
    private GmailLayout() {
    }

    /**
     * Whether a folder list is Gmail's: true when a {@code [Gmail]} or {@code [Google Mail]}
     * parent holds the All Mail folder ({@code \All}, or XLIST's {@code \AllMail}). This
     * recognizes Gmail behind any host name, and a folder list recorded without the server's
     * capabilities.
     */
    static boolean looksLikeGmail(List<MailFolder> folders) {
        Objects.requireNonNull(folders, "folders");
        for (MailFolder folder : folders) {
            boolean all = folder.hasRole(FolderRole.ALL) || folder.attributes().stream()
                    .anyMatch(a -> FolderRole.fromAttribute(a).filter(FolderRole.ALL::equals).isPresent());
            Optional<String> parent = folder.parent();
            if (all && parent.isPresent() && isGmailParent(parent.get())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a raw name is Gmail's parent of system folders. */
    static boolean isGmailParent(String rawName) {
        return "[Gmail]".equals(rawName) || "[Google Mail]".equals(rawName);
    }
}
