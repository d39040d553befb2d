package dev.imapsync.internal.transport;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;

/**
 * The one builder of {@link Failure}s: turns a failure kind and its technical detail into a
 * message naming the account, host, port and mode, and a hint a person can act on, aware of
 * the provider.
 */
public final class Failures {
    private static final String OAUTH2_HINT = "The OAuth2 access token was refused or could not be obtained: have the"
            + " user authorize the application again, and check that the token's scope includes IMAP (Gmail:"
            + " https://mail.google.com/, Microsoft: IMAP.AccessAsUser.All) and that the server offers XOAUTH2 or"
            + " OAUTHBEARER.";
    private static final String FOLDER_HINT = "The folder was deleted or renamed: list the folders again"
            + " (FolderSelector.recommend) and update the account's selection.";

    private Failures() {
    }

    /**
     * Describes a failure.
     *
     * @param kind     what went wrong
     * @param detail   the technical detail (never a secret)
     * @param account  the account concerned
     * @param endpoint where it happened
     * @param provider the provider, for provider-specific advice
     */
    public static Failure describe(FailureKind kind, String detail, ImapAccount account, Endpoint endpoint,
                                   MailProvider provider) {
        String message = message(account, endpoint, detail);
        if (kind == FailureKind.AUTH_FAILED && account.credentials() instanceof Credentials.OAuth2) {
            return new Failure(kind, message, OAUTH2_HINT);
        }
        if (kind == FailureKind.AUTH_REVOKED) {
            return new Failure(kind, message, "Reconnect this mailbox (" + account.id() + "): its owner must sign in"
                    + " to " + (provider == MailProvider.GENERIC ? "their mail provider" : provider.displayName()) + " again and allow access, because the permission given"
                    + " before was revoked or has expired (a changed password, access removed in the account's"
                    + " security settings, a refresh token unused for months). Saving the reconnected account"
                    + " starts its syncs again; until then none is tried.");
        }
        return new Failure(kind, message, hint(kind, endpoint, provider));
    }

    /**
     * Describes a failure whose hint only the caller can give (it knows the cause better than the
     * kind does: a sync that ran out of time in the host's matcher rather than on the server).
     */
    public static Failure describeWithHint(FailureKind kind, String detail, ImapAccount account, Endpoint endpoint,
                                           String hint) {
        return new Failure(kind, message(account, endpoint, detail), hint);
    }

    /**
     * Describes a chosen folder that cannot be synced (deleted, renamed, or no longer
     * selectable): a PROTOCOL_ERROR naming the folder, whose hint is to choose the folders again.
     *
     * @param folder  the folder's name as the user knows it
     * @param problem what is wrong with it, after its name: "does not exist (any more)"
     */
    public static Failure folderUnusable(ImapAccount account, Endpoint endpoint, String folder, String problem) {
        return new Failure(FailureKind.PROTOCOL_ERROR, message(account, endpoint, "folder " + folder + " " + problem),
                FOLDER_HINT);
    }

    /** {@code Account <id> at <endpoint>: <detail>.}, the detail ending as a sentence. */
    private static String message(ImapAccount account, Endpoint endpoint, String detail) {
        String sentence = detail.endsWith(".") || detail.endsWith("!") || detail.endsWith("?") ? detail : detail + ".";
        return "Account " + account.id() + " at " + endpoint + ": " + sentence;
    }

    static String hint(FailureKind kind, Endpoint endpoint, MailProvider provider) {
        String host = endpoint.host();
        switch (kind) {
            case AUTH_FAILED:
                return provider.authHint();
            case IMAP_DISABLED:
                return provider.imapDisabledHint();
            case AUTH_REVOKED:
                return "Reconnect this mailbox: its owner must sign in again and allow access.";
            case OAUTH_UNAVAILABLE:
                return "The OAuth 2.0 authorization server (the one that gives access tokens, or the one the mail"
                        + " server asks about them) could not be reached or failed: nothing is wrong with the account."
                        + " Nothing to do unless it lasts: the sync is retried with backoff. If it lasts, check the"
                        + " token endpoint's URL and this machine's network.";
            case OAUTH_MISCONFIGURED:
                return "The application's OAuth 2.0 client settings are wrong (the message says which: client id or"
                        + " secret, token endpoint, scope): fix them and save the account again; until then no sync"
                        + " is tried.";
            case TLS_UNTRUSTED:
                return "The certificate of " + host + " is not trusted, so nothing was sent. If this is your"
                        + " organization's server with its own certificate, get that certificate (PEM) from the"
                        + " administrator and trust it for this account only (--trust-cert FILE,"
                        + " ImapAccount.Builder.trustCertificatePem). Never turn verification off.";
            case TLS_HOSTNAME:
                return "The certificate is valid but not for " + host + ". Use the exact IMAP host name the"
                        + " provider documents (the one the certificate names), or have the server's certificate fixed.";
            case TLS_HANDSHAKE:
                return "This port may speak another mode: try ssl on port 993 or starttls on port 143."
                        + " If the mode is right, the server may only offer TLS older than 1.2, which is refused.";
            case STARTTLS_UNAVAILABLE:
                return "Use implicit TLS instead (ssl, usually port 993). If this server normally offers STARTTLS,"
                        + " a device between you and the server may be removing it: do not switch to cleartext.";
            case INSECURE_REFUSED:
                return "The server offers no encryption here, so the password would travel readable. Ask the"
                        + " provider for its TLS settings (ssl on 993, or starttls on 143). Only on a network you"
                        + " trust, allow insecure connections for this account (--allow-insecure, allowInsecure(true)).";
            case HOST_UNKNOWN:
                return "Check the spelling of " + host + "; for a well-known provider use its documented IMAP host"
                        + " (MailProvider.discover(email) lists candidates).";
            case CONNECTION_REFUSED:
                return "Check the port (993 for ssl, 143 for starttls are usual) and that an IMAP server runs on "
                        + host + "; a firewall may also block the port.";
            case TIMEOUT:
                return "The server or a firewall did not answer in time. Check host, port and network; a port that"
                        + " accepts but never speaks often expects the other mode (ssl vs starttls).";
            case CONNECTION_LOST:
                return "The connection broke in the middle of the sync (a network change, a server restart or the"
                        + " provider's limits). What was committed stays; the next sync goes on from there.";
            case THROTTLED:
                return "The server limits connections or traffic for this account: wait a few minutes before"
                        + " trying again, and close other mail programs that use this account.";
            case PROTOCOL_ERROR:
            default:
                return "The server did not speak IMAP as expected: check that " + host + ":" + endpoint.port()
                        + " is the IMAP server (not SMTP, POP3 or a web port); if it is, report the message to its"
                        + " administrator.";
        }
    }
}
