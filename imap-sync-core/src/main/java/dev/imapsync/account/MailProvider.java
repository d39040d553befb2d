package dev.imapsync.account;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Well-known mail providers: their IMAP endpoint, the domains they serve, and the advice a
 * person needs when logging in fails. {@link #GENERIC} stands for every other server.
 *
 * <p>A provider is recognized by the email domain ({@link #forEmailAddress}), by the server's
 * host name ({@link #forHost}: custom domains hosted at Office 365 or Google still get the
 * right rules) and by the server's capabilities ({@link #detect}); Gmail's folder layout is
 * recognized when folders are listed.
 */
public enum MailProvider {
    /** Gmail and Google Workspace. */
    GMAIL("Gmail", "imap.gmail.com",
            List.of("gmail.com", "googlemail.com"),
            List.of("imap.gmail.com", "imap.googlemail.com"),
            "Gmail accepts only an app password (Google Account > Security > 2-Step Verification > App passwords)"
                    + " or OAuth2; the normal password and 'less secure apps' no longer work.",
            "Turn on IMAP in Gmail: Settings > See all settings > Forwarding and POP/IMAP > Enable IMAP"
                    + " (in Google Workspace an administrator may also have to allow IMAP)."),
    /** Outlook.com, Hotmail and Microsoft 365 / Exchange Online. */
    OUTLOOK("Outlook / Microsoft 365", "outlook.office365.com",
            List.of("outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.fr",
                    "hotmail.de", "hotmail.it", "hotmail.es", "live.co.uk", "live.fr", "live.de", "outlook.de",
                    "outlook.fr", "outlook.es", "outlook.it"),
            List.of("outlook.office365.com", "outlook.office.com", "imap-mail.outlook.com", ".office365.com",
                    ".outlook.com"),
            "Microsoft has retired password (basic) authentication for Outlook.com and Exchange Online:"
                    + " connect with OAuth2 (XOAUTH2) instead of a password.",
            "IMAP may be switched off for this mailbox: in Outlook.com see Settings > Mail > Forwarding and IMAP;"
                    + " in Microsoft 365 an administrator enables IMAP per mailbox."),
    /** Yahoo Mail. */
    YAHOO("Yahoo Mail", "imap.mail.yahoo.com",
            List.of("yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
                    "yahoo.es", "yahoo.it", "yahoo.co.jp", "yahoo.com.br", "yahoo.ca", "yahoo.in"),
            List.of("imap.mail.yahoo.com", ".mail.yahoo.com"),
            "Yahoo needs an app password: Account Info > Account security > Generate app password.",
            "Yahoo refused IMAP access for this account: sign in on the web once to clear any security check,"
                    + " then use an app password."),
    /** iCloud Mail. */
    ICLOUD("iCloud Mail", "imap.mail.me.com",
            List.of("icloud.com", "me.com", "mac.com"),
            List.of("imap.mail.me.com", ".mail.me.com"),
            "iCloud needs an app-specific password (appleid.apple.com > Sign-In and Security >"
                    + " App-Specific Passwords); the user name is the iCloud address.",
            "Turn on iCloud Mail for this Apple ID (on an Apple device: Settings > iCloud > Mail)."),
    /** AOL Mail. */
    AOL("AOL Mail", "imap.aol.com",
            List.of("aol.com", "aim.com", "love.com", "games.com", "wow.com"),
            List.of("imap.aol.com", ".aol.com"),
            "AOL needs an app password: Account Info > Account security > Generate app password.",
            "AOL refused IMAP access for this account: sign in on the web once, then use an app password."),
    /** Zoho Mail. */
    ZOHO("Zoho Mail", "imap.zoho.com",
            List.of("zoho.com", "zohomail.com", "zoho.eu", "zohomail.eu"),
            List.of("imap.zoho.com", "imappro.zoho.com", "imap.zoho.eu", "imappro.zoho.eu", "imap.zoho.in",
                    ".zoho.com", ".zoho.eu", ".zoho.in"),
            "Check the password; with two-factor authentication Zoho needs an application-specific password"
                    + " (My Account > Security > App Passwords).",
            "Enable IMAP access in Zoho Mail: Settings > Mail Accounts > IMAP Access."),
    /** Fastmail. */
    FASTMAIL("Fastmail", "imap.fastmail.com",
            List.of("fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.us", "messagingengine.com"),
            List.of("imap.fastmail.com", ".fastmail.com", ".messagingengine.com"),
            "Fastmail needs an app password for IMAP: Settings > Privacy & Security > App passwords.",
            "The app password may lack IMAP access: create one with 'Mail (IMAP/POP/SMTP)' access."),
    /** GMX. */
    GMX("GMX", "imap.gmx.net",
            List.of("gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr"),
            List.of("imap.gmx.net", "imap.gmx.com", ".gmx.net", ".gmx.com"),
            "Check the password; with two-factor authentication GMX needs an application-specific password.",
            "Enable IMAP in GMX: E-Mail > Settings > POP3 & IMAP > allow access via POP3 and IMAP."),
    /** Yandex Mail. */
    YANDEX("Yandex Mail", "imap.yandex.com",
            List.of("yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua", "narod.ru"),
            List.of("imap.yandex.com", "imap.yandex.ru", ".yandex.net", ".yandex.ru", ".yandex.com"),
            "Yandex needs an app password for mail clients: Yandex ID > Security > App passwords.",
            "Enable access for mail clients in Yandex Mail: Settings > Email clients > allow IMAP."),
    /** Any other server. */
    GENERIC("IMAP server", null, List.of(), List.of(),
            "Check the user name (often the full email address) and the password; if they are right,"
                    + " the server may need an app password or an administrator may have to enable IMAP.",
            "Ask the mail administrator to enable IMAP access for this mailbox.");

    private final String displayName;
    private final String imapHost;
    private final List<String> domains;
    private final List<String> hostPatterns;
    private final String authHint;
    private final String imapDisabledHint;

    MailProvider(String displayName, String imapHost, List<String> domains, List<String> hostPatterns,
                 String authHint, String imapDisabledHint) {
        this.displayName = displayName;
        this.imapHost = imapHost;
        this.domains = domains;
        this.hostPatterns = hostPatterns;
        this.authHint = authHint;
        this.imapDisabledHint = imapDisabledHint;
    }

    /** A name to show a person, e.g. {@code Gmail}. */
    public String displayName() {
        return displayName;
    }

    /** The provider's IMAP endpoint (implicit TLS on 993), empty for {@link #GENERIC}. */
    public Optional<Endpoint> endpoint() {
        return imapHost == null ? Optional.empty()
                : Optional.of(Endpoint.of(imapHost, Security.SSL_TLS));
    }

    /** Email domains this provider serves (its own; custom domains are found by host). */
    public List<String> domains() {
        return domains;
    }

    /** What to do when the server rejects the credentials. */
    public String authHint() {
        return authHint;
    }

    /** What to do when the server says IMAP is not enabled for the account. */
    public String imapDisabledHint() {
        return imapDisabledHint;
    }

    /** The provider that serves this email address's domain, or {@link #GENERIC}. */
    public static MailProvider forEmailAddress(String emailAddress) {
        return forDomain(domainOf(emailAddress));
    }

    /** The provider that serves this email domain, or {@link #GENERIC}. */
    public static MailProvider forDomain(String domain) {
        String d = normalizeDomain(domain);
        for (MailProvider p : values()) {
            if (p.domains.contains(d)) {
                return p;
            }
        }
        return GENERIC;
    }

    /**
     * The provider that runs this IMAP host, or {@link #GENERIC}. Recognizes custom domains
     * hosted by a provider through the host they point to (e.g. {@code outlook.office365.com}).
     */
    public static MailProvider forHost(String host) {
        String h = normalizeDomain(host);
        for (MailProvider p : values()) {
            for (String pattern : p.hostPatterns) {
                if (pattern.startsWith(".") ? h.endsWith(pattern) : h.equals(pattern)) {
                    return p;
                }
            }
        }
        return GENERIC;
    }

    /**
     * The provider that a server is, judged by its host and its capabilities: Gmail announces
     * {@code X-GM-EXT-1} whatever host name points to it.
     */
    public static MailProvider detect(String host, Collection<String> capabilities) {
        for (String capability : capabilities) {
            if ("X-GM-EXT-1".equalsIgnoreCase(capability)) {
                return GMAIL;
            }
        }
        return forHost(host);
    }

    /**
     * Candidate endpoints for an email address, best first: the provider's own endpoint when
     * the domain is known, then the usual guesses {@code imap.<domain>} and
     * {@code mail.<domain>} (implicit TLS on 993; probing also tries STARTTLS on 143).
     *
     * @throws IllegalArgumentException if the text is not an email address
     */
    public static List<Endpoint> discover(String emailAddress) {
        String domain = domainOf(emailAddress);
        List<Endpoint> candidates = new ArrayList<>();
        forDomain(domain).endpoint().ifPresent(candidates::add);
        for (String guess : List.of("imap." + domain, "mail." + domain)) {
            Endpoint e = Endpoint.of(guess, Security.SSL_TLS);
            if (!candidates.contains(e)) {
                candidates.add(e);
            }
        }
        return List.copyOf(candidates);
    }

    private static String domainOf(String emailAddress) {
        Objects.requireNonNull(emailAddress, "emailAddress");
        int at = emailAddress.lastIndexOf('@');
        if (at <= 0 || at == emailAddress.length() - 1) {
            throw new IllegalArgumentException("'" + emailAddress
                    + "' is not an email address: give it as name@domain");
        }
        return normalizeDomain(emailAddress.substring(at + 1));
    }

    private static String normalizeDomain(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return d; // not a valid IDN: compare as written
        }
    }
}
