package dev.imapsync.account;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * How an account authenticates: a password (LOGIN / AUTHENTICATE PLAIN) or an OAuth 2.0 access
 * token (AUTHENTICATE XOAUTH2 or OAUTHBEARER). Neither form prints its secret.
 */
public sealed interface Credentials permits Credentials.Password, Credentials.OAuth2 {

    /** The user name the server knows the mailbox by (often the email address). */
    String user();

    /** A user name and password (for Gmail and iCloud, an app password). */
    static Credentials password(String user, String password) {
        return new Password(user, Secret.of(password));
    }

    /**
     * OAuth 2.0: the host application supplies a current access token each time imap-sync
     * connects (it refreshes it as needed), asked for only once the server has shown that it
     * takes one. The token is only ever sent with AUTHENTICATE XOAUTH2 or OAUTHBEARER (RFC
     * 7628); a server that offers neither is refused. The supplier reports why it has no token
     * by throwing {@link AccessTokenException}: a revoked grant ends as AUTH_REVOKED (no retries
     * until the account is saved again), an unreachable authorization server is retried.
     */
    static Credentials oauth2(String user, Supplier<Secret> accessTokens) {
        return new OAuth2(user, accessTokens);
    }

    /**
     * Password credentials.
     *
     * @param user     the login name
     * @param password the password, never printed
     */
    record Password(String user, Secret password) implements Credentials {
        /** Validates that both parts are present. */
        public Password {
            user = requireUser(user);
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * OAuth 2.0 (XOAUTH2 or OAUTHBEARER) credentials.
     *
     * @param user         the login name
     * @param accessTokens supplies a valid access token on each connect; must be thread-safe
     */
    record OAuth2(String user, Supplier<Secret> accessTokens) implements Credentials {
        /** Validates that both parts are present. */
        public OAuth2 {
            user = requireUser(user);
            Objects.requireNonNull(accessTokens, "accessTokens");
        }

        @Override
        public String toString() {
            return "OAuth2[user=" + user + ", accessTokens=****]";
        }
    }

    private static String requireUser(String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("The user name is empty: give the login name, usually the email address");
        }
        // a CR, LF or NUL would end or split an IMAP command or the AUTHENTICATE PLAIN message
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("The user name '" + Endpoint.printable(user) + "' holds a control"
                    + " character (line break, NUL, …): give the login name alone, usually the email address");
        }
        if (user.length() > 1024) {
            throw new IllegalArgumentException("The user name is " + user.length() + " characters long: give the login"
                    + " name, at most 1024 characters, usually the email address");
        }
        return user.trim();
    }
}
