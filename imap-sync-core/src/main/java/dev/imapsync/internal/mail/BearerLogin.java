package dev.imapsync.internal.mail;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * The two SASL mechanisms that carry an OAuth 2.0 bearer token: Google's XOAUTH2 and the
 * standard OAUTHBEARER (RFC 7628). Builds the client's messages and reads the server's error
 * challenge; {@link BoundedImapProtocol#authenticateBearer} runs the exchange.
 */
enum BearerLogin {
    /** Google's mechanism: {@code user=U ^A auth=Bearer T ^A ^A}; offered by Gmail, Microsoft 365, Dovecot, Yahoo. */
    XOAUTH2 {
        @Override
        byte[] initialResponse(String user, String host, int port, String token) {
            return ascii("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
        }

        @Override
        byte[] errorAnswer() {
            // Google documents an empty response to the error challenge, after which it answers NO
            return new byte[0];
        }
    },
    /** RFC 7628: a GS2 header naming the user, then host, port and the bearer token. */
    OAUTHBEARER {
        @Override
        byte[] initialResponse(String user, String host, int port, String token) {
            return ascii("n,a=" + saslName(user) + ",\u0001host=" + host + "\u0001port=" + port
                    + "\u0001auth=Bearer " + token + "\u0001\u0001");
        }

        @Override
        byte[] errorAnswer() {
            // RFC 7628 3.2.3: a single %x01 ends the exchange, so the server sends its tagged NO
            return ascii("\u0001");
        }
    };

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]{0,100})\"");

    /** The client's first message, before base64. */
    abstract byte[] initialResponse(String user, String host, int port, String token);

    /** What the client answers to the server's error challenge, before base64. */
    abstract byte[] errorAnswer();

    /** The capability that announces this mechanism. */
    String capability() {
        return "AUTH=" + name();
    }

    /**
     * The mechanism to use with a server, if it offers either. XOAUTH2 comes first where both are
     * offered: Microsoft 365 offers only XOAUTH2, Gmail and Dovecot offer both, so XOAUTH2 is the
     * one path every large provider takes (and the bytes Gmail users sent before OAUTHBEARER was
     * supported stay the same). OAUTHBEARER is used where it is all a server offers, as Dovecot
     * 2.4 or other RFC 7628 servers configured for the standard mechanism alone.
     *
     * @param preferred the mechanism to use when the server offers both (XOAUTH2 in production)
     */
    static Optional<BearerLogin> choose(IMAPProtocol protocol, BearerLogin preferred) {
        BearerLogin other = preferred == XOAUTH2 ? OAUTHBEARER : XOAUTH2;
        if (protocol.hasCapability(preferred.capability())) {
            return Optional.of(preferred);
        }
        return protocol.hasCapability(other.capability()) ? Optional.of(other) : Optional.empty();
    }

    /**
     * The {@code status} of a server's error challenge (base64 JSON such as
     * {@code {"status":"invalid_token","scope":"..."}}), printable, or the empty string. The
     * challenge never holds the token.
     */
    static String errorStatus(String challenge) {
        try {
            String json = new String(Base64.getMimeDecoder().decode(challenge.trim()), StandardCharsets.UTF_8);
            Matcher m = STATUS.matcher(json);
            return m.find() ? m.group(1).replaceAll("[^\\x20-\\x7e]", "?") : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** RFC 5801's saslname: ',' and '=' escaped, so a user name cannot end the GS2 header early. */
    static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
