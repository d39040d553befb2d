package dev.imapsync.internal.content;

/**
 * PGP inline armour in a text part (RFC 4880 section 6.2, 7): an encrypted message has no
 * preview; a clear-signed one is previewed without the armour lines and the signature.
 */
enum PgpArmour {
    NONE, ENCRYPTED, SIGNED;

    /** How far into the text the armour is looked for: after a greeting at most. */
    private static final int LOOK = 1024;
    private static final String MESSAGE = "-----BEGIN PGP MESSAGE-----";
    private static final String SIGNED_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    static PgpArmour of(String text) {
        String head = text.length() > LOOK ? text.substring(0, LOOK) : text;
        if (head.contains(MESSAGE)) {
            return ENCRYPTED;
        }
        if (head.contains(SIGNED_MESSAGE)) {
            return SIGNED;
        }
        return NONE;
    }

    /** The signed text: after the armour header block, before the signature, dash-escaping undone. */
    static String unwrapSigned(String text) {
        int start = text.indexOf(SIGNED_MESSAGE);
        int p = text.indexOf('\n', start);
        if (p < 0) {
            return "";
        }
        p++;
        // armour headers ("Hash: SHA256") up to the first empty line
        while (p < text.length()) {
            int eol = text.indexOf('\n', p);
            String line = (eol < 0 ? text.substring(p) : text.substring(p, eol)).strip();
            p = eol < 0 ? text.length() : eol + 1;
            if (line.isEmpty()) {
                break;
            }
        }
        int sig = text.indexOf(SIGNATURE, p);
        String body = sig < 0 ? text.substring(p) : text.substring(p, sig);
        StringBuilder out = new StringBuilder(body.length());
        for (String line : body.split("\n", -1)) {
            out.append(line.startsWith("- ") ? line.substring(2) : line).append('\n');
        }
        return out.toString();
    }
}
