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
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
            throw new IllegalArgumentException("Endpoint host '" + host
                    + "' is not a host name: give only the server's name, e.g. imap.example.com, without user or path");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Endpoint port " + port + " for " + host
                    + " is out of range: use 1-65535 (usually 993 for ssl, 143 for starttls)");
        }
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
