package dev.imapsync.policy;

import java.util.Set;

/**
 * The domains of public mail providers (gmail.com, outlook.com, yahoo.*, …): the one list in
 * imap-sync of domains whose users are strangers to each other. A connected account at such a
 * domain does not make the domain internal: two Gmail users are not colleagues.
 *
 * <p>{@link dev.imapsync.account.MailProvider} knows the providers' endpoints by domain; every
 * domain it lists is public here too (a test keeps the two in step).
 */
public final class PublicMailDomains {
    /** Domains named exactly. */
    private static final Set<String> DOMAINS = Set.of(
            // Google
            "gmail.com", "googlemail.com",
            // Microsoft (the country variants of hotmail, live, outlook and msn are families below)
            "passport.com", "windowslive.com",
            // Apple
            "icloud.com", "me.com", "mac.com",
            // Yahoo, AOL (Yahoo's) and their brands
            "ymail.com", "rocketmail.com", "aol.com", "aim.com", "love.com", "games.com", "wow.com",
            "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "comcast.net",
            // Proton, Tutanota, Fastmail, Zoho, Hey
            "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de", "tuta.io",
            "tutamail.com", "fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.us",
            "messagingengine.com", "zoho.com", "zohomail.com", "zoho.eu", "zohomail.eu", "hey.com",
            // Europe
            "web.de", "freenet.de", "t-online.de", "arcor.de", "posteo.de", "posteo.net", "mailbox.org",
            "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it", "virgilio.it",
            "tiscali.it", "alice.it", "seznam.cz", "centrum.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl",
            "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com", "telenet.be", "skynet.be",
            "bluewin.ch", "kpnmail.nl", "ziggo.nl", "home.nl", "planet.nl", "abv.bg", "mail.ee",
            // Russia and around
            "mail.ru", "inbox.ru", "list.ru", "bk.ru", "ya.ru", "narod.ru", "rambler.ru", "ukr.net",
            // Asia, Americas
            "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com",
            "aliyun.com", "naver.com", "hanmail.net", "daum.net", "rediffmail.com", "uol.com.br", "bol.com.br",
            "terra.com.br", "ig.com.br", "mail.com", "email.com", "usa.com", "inbox.com", "hushmail.com",
            "gmx.com");

    /**
     * Families: a provider's name followed by any country suffix, such as {@code hotmail.co.uk},
     * {@code yahoo.com.br}, {@code gmx.de}, {@code yandex.ru}.
     */
    private static final Set<String> FAMILIES = Set.of("hotmail", "live", "outlook", "msn", "yahoo", "gmx",
            "yandex");

    private PublicMailDomains() {
    }

    /**
     * Whether a domain (as {@link PrivacySettings#domain} gives it: lower case) is a public mail
     * provider's. Subdomains do not count: {@code mail.example.gmail.com} is no provider's.
     */
    public static boolean isPublic(String domain) {
        if (domain == null || domain.isEmpty()) {
            return false;
        }
        if (DOMAINS.contains(domain)) {
            return true;
        }
        int dot = domain.indexOf('.');
        if (dot <= 0 || !FAMILIES.contains(domain.substring(0, dot))) {
            return false;
        }
        // the rest is a country suffix: one or two short labels (de, com, co.uk, com.br)
        String suffix = domain.substring(dot + 1);
        int second = suffix.indexOf('.');
        return second < 0 ? isLabel(suffix) : isLabel(suffix.substring(0, second))
                && suffix.indexOf('.', second + 1) < 0 && isLabel(suffix.substring(second + 1));
    }

    private static boolean isLabel(String s) {
        if (s.length() < 2 || s.length() > 3) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 'a' || s.charAt(i) > 'z') {
                return false;
            }
        }
        return true;
    }
}
