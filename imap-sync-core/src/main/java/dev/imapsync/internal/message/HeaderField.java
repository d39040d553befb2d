package dev.imapsync.internal.message;

/**
 * The header fields the parser reads, in the order their addresses are taken when the address
 * budget runs short: who wrote a message matters more than who else received it.
 */
enum HeaderField {
    FROM("From"),
    SENDER("Sender"),
    REPLY_TO("Reply-To"),
    TO("To"),
    CC("Cc"),
    BCC("Bcc"),
    SUBJECT("Subject"),
    DATE("Date"),
    MESSAGE_ID("Message-ID"),
    IN_REPLY_TO("In-Reply-To"),
    REFERENCES("References");

    /** The name as mail programs usually write it, for warnings. */
    final String displayName;

    HeaderField(String displayName) {
        this.displayName = displayName;
    }

    /**
     * The field named by {@code b[start, end)}, compared without regard to ASCII case, or
     * {@code null} for any other field. Dispatches on the length first, so the fields a server
     * adds or a raw block carries are skipped after one or two byte comparisons.
     */
    static HeaderField identify(byte[] b, int start, int end) {
        switch (end - start) {
            case 2:
                if (matches(b, start, "to")) {
                    return TO;
                }
                return matches(b, start, "cc") ? CC : null;
            case 3:
                return matches(b, start, "bcc") ? BCC : null;
            case 4:
                if (matches(b, start, "from")) {
                    return FROM;
                }
                return matches(b, start, "date") ? DATE : null;
            case 6:
                return matches(b, start, "sender") ? SENDER : null;
            case 7:
                return matches(b, start, "subject") ? SUBJECT : null;
            case 8:
                return matches(b, start, "reply-to") ? REPLY_TO : null;
            case 10:
                if (matches(b, start, "message-id")) {
                    return MESSAGE_ID;
                }
                return matches(b, start, "references") ? REFERENCES : null;
            case 11:
                return matches(b, start, "in-reply-to") ? IN_REPLY_TO : null;
            default:
                return null;
        }
    }

    /** Whether {@code b} at {@code start} spells {@code lowerCase} (letters and '-' only) in any case. */
    private static boolean matches(byte[] b, int start, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            char expected = lowerCase.charAt(i);
            int actual = b[start + i];
            if (expected == '-' ? actual != '-' : (actual | 0x20) != expected) {
                return false;
            }
        }
        return true;
    }
}
