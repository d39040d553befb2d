package dev.imapsync.account;

import java.util.Locale;
import java.util.Objects;

/**
 * Where an IMAP server listens and how the connection is protected.
 *
 * @param host     host name or IP literal, never blank
 * @param port     1 to 65535
 * @param security how the connection is protected
 */
public record Endpoint(String host, int port, Security security) {

    /** Validates the parts; the host is kept without surrounding white space and in lower case. */
    public Endpoint {
        Objects.requireNonNull(security, "security");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Endpoint host is empty: give the IMAP server's host name, e.g. imap.example.com");
        }
        host = host.trim().toLowerCase(Locale.ROOT);
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal as URLs write it
        }
        if (host.length() > MAX_HOST || !host.codePoints().allMatch(Endpoint::isHostCharacter)) {
            throw new IllegalArgumentException("Endpoint host '" + printable(host) + "' is not a host name: give only"
                    + " the server's name, e.g. imap.example.com, or its IP address, without user, path or port"
                    + " (letters, digits, '.', '-', '_', ':' for IPv6; at most " + MAX_HOST + " characters)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Endpoint port " + port + " for " + host
                    + " is out of range: use 1-65535 (usually 993 for ssl, 143 for starttls)");
        }
    }

    /** The longest host name DNS allows. */
    private static final int MAX_HOST = 253;

    /** Letters and digits (of any script, for IDN), '.', '-', '_', and ':' and '%' of an IPv6 literal. */
    private static boolean isHostCharacter(int c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
    }

    /**
     * A setting's value for an error message: control characters shown as a backslash, u and four
     * hex digits, so a message (and the log line it ends in) stays one line; cut after 100
     * characters.
     */
    static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "… (" + value.length() + " characters)" : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** An endpoint on the usual port of the given mode. */
    public static Endpoint of(String host, Security security) {
        return new Endpoint(host, security.defaultPort(), security);
    }

    /** An endpoint on the given port. */
    public static Endpoint of(String host, int port, Security security) {
        return new Endpoint(host, port, security);
    }

    /** The same host and port with another security mode. */
    public Endpoint withSecurity(Security other) {
        return new Endpoint(host, port, other);
    }

    /** {@code host:port (mode)}, e.g. {@code imap.gmail.com:993 (ssl)}. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return h + ":" + port + " (" + security.cliName() + ")";
    }
}
