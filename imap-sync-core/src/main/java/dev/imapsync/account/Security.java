package dev.imapsync.account;

import java.util.Locale;

/** How the connection to the IMAP server is protected. */
public enum Security {
    /** TLS from the first byte (implicit TLS, usually port 993). */
    SSL_TLS("ssl", 993),
    /** A plaintext connection upgraded with STARTTLS before anything secret is sent (usually port 143). */
    STARTTLS("starttls", 143),
    /** No encryption at all. Only used when an account explicitly allows insecure connections. */
    NONE("none", 143);

    private final String cliName;
    private final int defaultPort;

    Security(String cliName, int defaultPort) {
        this.cliName = cliName;
        this.defaultPort = defaultPort;
    }

    /** The short lower-case name used on the command line and in JSON: {@code ssl}, {@code starttls}, {@code none}. */
    public String cliName() {
        return cliName;
    }

    /** The port this mode is usually served on. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Whether this mode encrypts the connection. */
    public boolean isEncrypted() {
        return this != NONE;
    }

    /**
     * Parses {@code ssl}/{@code tls}, {@code starttls} or {@code none} (any case, or the enum
     * names themselves).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Security parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "ssl": case "tls": case "ssl_tls": case "imaps": return SSL_TLS;
            case "starttls": return STARTTLS;
            case "none": case "plain": case "cleartext": return NONE;
            default:
                throw new IllegalArgumentException(
                        "Unknown security mode '" + text + "': use ssl, starttls or none");
        }
    }
}
