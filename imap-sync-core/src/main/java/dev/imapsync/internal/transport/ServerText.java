package dev.imapsync.internal.transport;

import java.util.Locale;

/** Recognizes what server response texts mean, across providers. */
public final class ServerText {
    private ServerText() {
    }

    /** The server asks us to slow down: too many connections, bandwidth or quota limits, backoff. */
    public static boolean isThrottling(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        return t.contains("[OVERQUOTA]") || t.contains("TOO MANY SIMULTANEOUS") || t.contains("TOO MANY CONNECTIONS")
                || t.contains("[LIMIT]") || t.contains("SUGGESTED BACKOFF") || t.contains("[THROTTLED]")
                || t.contains("BANDWIDTH LIMIT") || t.contains("RATE LIMIT") || t.contains("TRY AGAIN LATER");
    }

    /**
     * The server says the credentials may be right but IMAP is not enabled for the account
     * (Gmail's {@code [ALERT] ... not enabled for IMAP use}, Outlook's "IMAP is disabled", …).
     */
    public static boolean isImapDisabled(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        return t.contains("NOT ENABLED FOR IMAP") || t.contains("IMAP ACCESS IS DISABLED")
                || t.contains("IMAP IS DISABLED") || t.contains("IMAP ACCESS DISABLED")
                || t.contains("IMAP NOT ENABLED") || t.contains("ENABLE IMAP")
                || t.contains("IMAP USE IS DISABLED");
    }
}
