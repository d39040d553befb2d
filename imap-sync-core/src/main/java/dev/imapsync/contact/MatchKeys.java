package dev.imapsync.contact;

import dev.imapsync.message.EmailAddress;

/**
 * The keys {@link InMemoryContactMatcher} files addresses under: the normalized address and,
 * with Gmail canonicalization, Gmail's own notion of "the same mailbox".
 */
final class MatchKeys {
    private static final String GMAIL = "@gmail.com";
    private static final String GOOGLEMAIL = "@googlemail.com";

    private MatchKeys() {
    }

    /** The key of any address, normalized or not. */
    static String of(String address, boolean gmailCanonicalization) {
        // a normalized Gmail address with dots or a tag needs only canonicalizing, which is cheap
        String normalized = isKey(address, false) ? address : EmailAddress.normalize(address);
        return gmailCanonicalization ? gmailCanonical(normalized) : normalized;
    }

    /**
     * Whether {@code text} is certainly its own key, so that a miss on it is final; false when
     * unsure. Runs on every miss, so it only scans the characters: printable ASCII without
     * upper case and not ending in a dot is left alone by {@link EmailAddress#normalize} (the IDN
     * step keeps an ASCII domain as it is).
     */
    static boolean isKey(String text, boolean gmailCanonicalization) {
        int length = text.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            // branches, not bit tricks: normalized text takes none of them, so they are predicted
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7F || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        if (text.charAt(length - 1) == '.') {
            return false;
        }
        if (gmailCanonicalization) {
            if (text.endsWith(GOOGLEMAIL)) {
                return false;
            }
            if (text.endsWith(GMAIL)) {
                int localEnd = length - GMAIL.length();
                for (int i = 0; i < localEnd; i++) {
                    char c = text.charAt(i);
                    if (c == '.' || c == '+') {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Gmail ignores dots in the local part and everything from a {@code +}, and treats
     * googlemail.com as gmail.com; other domains are left as they are.
     */
    static String gmailCanonical(String normalized) {
        int at = normalized.lastIndexOf('@');
        if (at < 0) {
            return normalized;
        }
        String domain = normalized.substring(at);
        if (!domain.equals(GMAIL) && !domain.equals(GOOGLEMAIL)) {
            return normalized;
        }
        String local = normalized.substring(0, at);
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        return local.replace(".", "") + GMAIL;
    }

    /**
     * Why {@code address} (trimmed) is not a plain email address, or null when it is one. Only
     * the mistakes people make in contact lists are caught, not every RFC 5322 rule.
     */
    static String problem(String address) {
        int at = address.lastIndexOf('@');
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "it contains a space";
            }
            if (c == '<' || c == '>' || c == '"' || c == ',' || c == ';') {
                return "it contains '" + c + "'";
            }
        }
        if (at < 0) {
            return "it has no @";
        }
        if (at == 0) {
            return "nothing comes before the @";
        }
        if (at == address.length() - 1) {
            return "no domain follows the @";
        }
        return null;
    }
}
