package dev.imapsync.internal.transport;

import java.util.Locale;

/** Recognizes what server response texts mean, across providers. */
public final class ServerText {
    private ServerText() {
    }

    /**
     * Server text made fit to show a person: control characters (a binary greeting, a TLS record
     * on a plaintext port) become '?', and at most 200 characters are kept.
     */
    public static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || c == '\ufffd' ? '?' : c);
        }
        return out.toString().strip();
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
