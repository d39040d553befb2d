package dev.imapsync.examples.demo;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.testing.GreenMailTls;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Small but realistic mailboxes on an embedded GreenMail: a sales rep's INBOX and Sent folder,
 * and a colleague's, who was in copy of some of the rep's mail and answers a customer himself.
 * Customers write in several languages (encoded subjects), reply with colleagues in copy, one
 * writes from a {@code +tag} address and one from a second address, the rep writes to several
 * customers at once and sometimes from the team address ({@link #ALIAS}); a newsletter and a
 * colleague's note belong to no customer. The folders a real account has (Junk, Drafts, Trash,
 * Archive) hold a message each, which a sync of the recommended folders leaves alone. The
 * colleague ({@link #COLLEAGUE}) holds two of the rep's messages too (the same Message-IDs): a
 * contact's timeline shows each of them once, held by both accounts.
 *
 * <p>The customers are those of {@link CrmDatabase#CONTACTS}.
 */
public final class DemoMailbox {
    /** The demo user's login and address. */
    public static final String USER = "sam.seller@acme.example";
    /** The sales team's shared address, which Sam also writes from: mail from it is outbound. */
    public static final String ALIAS = "sales@acme.example";
    /** The demo user's password (made up; it only exists inside the demo's GreenMail). */
    public static final String PASSWORD = "demo-password-not-secret";
    /** The colleague's login and address: a second sales rep whose mailbox the CRM syncs too. */
    public static final String COLLEAGUE = "alex.kowalski@acme.example";
    /** The colleague's password (made up, like {@link #PASSWORD}). */
    public static final String COLLEAGUE_PASSWORD = "demo-password-of-alex";

    private static final String SAM = "Sam Seller <" + USER + ">";
    private static final String ALEX = "Alex Kowalski <" + COLLEAGUE + ">";
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private DemoMailbox() {
    }

    /**
     * Fills the server with the demo user's mailbox and the colleague's; returns the number of
     * messages stored, in both.
     */
    public static int fill(GreenMailTls server) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        return fillSam(server, now) + fillAlex(server, now);
    }

    private static int fillSam(GreenMailTls server, Instant now) {
        GreenMailUser user = server.addUser(USER, PASSWORD);
        int n = 0;
        n += add(server, user, "INBOX", ago(now, 20, 9), "\"Maria Schmidt\" <maria.schmidt@kunde.example>", USER, "",
                "=?UTF-8?Q?Angebot_f=C3=BCr_die_Messe_in_M=C3=BCnchen?=", "<m1@kunde.example>", "");
        n += add(server, user, "Sent", ago(now, 19, 14), SAM, "\"Maria Schmidt\" <maria.schmidt@kunde.example>",
                "\"Jean Dupont\" <jean.dupont@client.example>",
                "Re: =?UTF-8?Q?Angebot_f=C3=BCr_die_Messe_in_M=C3=BCnchen?=", "<s1@acme.example>", "<m1@kunde.example>");
        // Jean writes from his second address
        n += add(server, user, "INBOX", ago(now, 15, 8), "Jean Dupont <j.dupont@client.example>", USER, "",
                "=?ISO-8859-1?Q?R=E9union_de_lancement?=", "<m2@client.example>", "");
        n += add(server, user, "INBOX", ago(now, 12, 6), "\"ACME Newsletter\" <news@newsletter.example>", USER, "",
                "Your weekly digest", "<m3@newsletter.example>", "");
        n += add(server, user, "Sent", ago(now, 10, 11), SAM, "priya.patel@partner.example", "",
                "Contract draft v2", "<s2@acme.example>", "");
        // from the team address, with Sam in Bcc: it lands in INBOX, and is still outbound
        n += add(server, user, "INBOX", ago(now, 9, 10), "Acme Sales <" + ALIAS + ">",
                "David Kim <david.kim@kimelec.example>", "", "Your Acme account is ready", "<s3@acme.example>", "");
        // Priya's mail client writes her address in capitals
        n += add(server, user, "INBOX", ago(now, 8, 16), "Priya Patel <PRIYA.PATEL@Partner.Example>", USER,
                "maria.schmidt@kunde.example", "Re: Contract draft v2", "<m4@partner.example>", "<s2@acme.example>");
        // a Gmail sub-address: the CRM knows tom.baker@gmail.com
        n += add(server, user, "INBOX", ago(now, 7, 9), "Tom Baker <tom.baker+quotes@gmail.com>", USER, "",
                "Quote request: 40 units", "<m5@mail.gmail.com>", "");
        n += add(server, user, "Sent", ago(now, 6, 15), SAM, "Tom Baker <tom.baker@gmail.com>", "",
                "Re: Quote request: 40 units", "<s4@acme.example>", "<m5@mail.gmail.com>");
        // one message to three customers, a colleague in copy
        n += add(server, user, "Sent", ago(now, 5, 10), SAM,
                "lucas@oliveira-foods.example, Emma Johansson <emma.johansson@nordicdesign.example>,"
                        + " omar.haddad@haddad-logistics.example", ALEX,
                "Invitation: Acme product webinar", "<s5@acme.example>", "");
        n += add(server, user, "INBOX", ago(now, 4, 8), "Emma Johansson <emma.johansson@nordicdesign.example>", USER,
                "", "Re: Invitation: Acme product webinar", "<m6@nordicdesign.example>", "<s5@acme.example>");
        n += add(server, user, "INBOX", ago(now, 3, 13), "Omar Haddad <omar.haddad@haddad-logistics.example>", USER,
                ALEX, "Delivery delayed: order 4471", "<m7@haddad-logistics.example>", "");
        // Akiko writes from her phone, her second address
        n += add(server, user, "INBOX", ago(now, 2, 7), "=?UTF-8?B?55Sw5Lit5piO5a2Q?= <akiko.t@mobile.example>", USER,
                "", "Payment confirmation", "<m8@mobile.example>", "");
        n += add(server, user, "INBOX", ago(now, 1, 12), ALEX, USER, "", "Pipeline review on Friday",
                "<i1@acme.example>", "");
        // outside the recommended folders
        n += add(server, user, "Junk", ago(now, 1, 3), "winner@lottery.example", USER, "", "You have won!!!",
                "<j1@lottery.example>", "");
        n += add(server, user, "Drafts", now, SAM, "jean.dupont@client.example", "", "Follow-up (draft)",
                "<d1@acme.example>", "");
        server.append(user, "Trash", message(ALEX, USER, "", "Deleted note", "<t1@acme.example>", "",
                now.minus(Duration.ofDays(30))));
        server.append(user, "Archive", message(ALEX, USER, "", "Archived note", "<a1@acme.example>", "",
                now.minus(Duration.ofDays(60))));
        return n + 2;
    }

    /** Alex was in copy of Sam's webinar invitation and of Omar's note, and answers Omar himself. */
    private static int fillAlex(GreenMailTls server, Instant now) {
        GreenMailUser user = server.addUser(COLLEAGUE, COLLEAGUE_PASSWORD);
        int n = 0;
        // the very messages Sam holds: the same Message-IDs, the same dates
        n += add(server, user, "INBOX", ago(now, 5, 10), SAM,
                "lucas@oliveira-foods.example, Emma Johansson <emma.johansson@nordicdesign.example>,"
                        + " omar.haddad@haddad-logistics.example", ALEX,
                "Invitation: Acme product webinar", "<s5@acme.example>", "");
        n += add(server, user, "INBOX", ago(now, 3, 13), "Omar Haddad <omar.haddad@haddad-logistics.example>", USER,
                ALEX, "Delivery delayed: order 4471", "<m7@haddad-logistics.example>", "");
        n += add(server, user, "Sent", ago(now, 3, 15), ALEX, "Omar Haddad <omar.haddad@haddad-logistics.example>",
                "", "Re: Delivery delayed: order 4471", "<x1@acme.example>", "<m7@haddad-logistics.example>");
        return n;
    }

    /** {@code days} ago at {@code hour} o'clock UTC. */
    private static Instant ago(Instant now, int days, int hour) {
        return now.minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(hour));
    }

    private static int add(GreenMailTls server, GreenMailUser user, String folder, Instant date, String from,
                           String to, String cc, String subject, String messageId, String inReplyTo) {
        server.append(user, folder, message(from, to, cc, subject, messageId, inReplyTo, date), date);
        return 1;
    }

    private static String message(String from, String to, String cc, String subject, String messageId,
                                  String inReplyTo, Instant date) {
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append('\n');
        m.append("To: ").append(to).append('\n');
        if (!cc.isEmpty()) {
            m.append("Cc: ").append(cc).append('\n');
        }
        m.append("Subject: ").append(subject).append('\n');
        m.append("Date: ").append(RFC_5322.format(date)).append('\n');
        m.append("Message-ID: ").append(messageId).append('\n');
        if (!inReplyTo.isEmpty()) {
            m.append("In-Reply-To: ").append(inReplyTo).append('\n');
            m.append("References: ").append(inReplyTo).append('\n');
        }
        m.append("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nHello,\n\nsee above.\n");
        return m.toString();
    }
}
