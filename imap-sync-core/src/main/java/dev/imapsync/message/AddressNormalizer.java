package dev.imapsync.message;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The one definition of a normalized email address, shared by the header parser, the contact
 * matchers and the stores: trimmed, NFC, the local part case-folded, the domain case-folded
 * and in its ASCII (punycode) form, without a trailing dot.
 */
final class AddressNormalizer {
    private AddressNormalizer() {
    }

    /** The normalized form of an address; text without {@code @} is only trimmed and case-folded. */
    static String normalize(String address) {
        String ascii = normalizeAscii(address);
        if (ascii != null) {
            return ascii;
        }
        String a = Normalizer.normalize(address.trim(), Normalizer.Form.NFC);
        int at = a.lastIndexOf('@');
        if (at < 0) {
            return a.toLowerCase(Locale.ROOT);
        }
        String local = a.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = a.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        try {
            domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // not a valid IDN: keep the case-folded Unicode form so it still matches itself
        }
        return local + "@" + domain;
    }

    /**
     * The same result for an all-ASCII address without the Unicode machinery (NFC and IDN leave
     * ASCII as it is), and without allocating when the address is already normalized; {@code null}
     * for anything else. The sync normalizes every address of every message.
     */
    private static String normalizeAscii(String address) {
        int length = address.length();
        int at = -1;
        boolean upper = false;
        for (int i = 0; i < length; i++) {
            char c = address.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (c == '@') {
                at = i;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            }
        }
        if (at < 0 || length == 0 || address.charAt(0) <= ' ' || address.charAt(length - 1) <= ' '
                || address.charAt(length - 1) == '.') {
            return null; // trimming, a trailing dot, no '@': let the general path decide
        }
        return upper ? address.toLowerCase(Locale.ROOT) : address;
    }
}
