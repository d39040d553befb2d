package dev.imapsync.examples.demo;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.testing.GreenMailTls;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

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
        // a newsletter as mailing services send it: the privacy defaults keep it out (bulk mail)
        n += add(server, user, "INBOX", ago(now, 12, 6), "\"ACME Newsletter\" <news@newsletter.example>", USER, "",
                "Your weekly digest", "<m3@newsletter.example>", "", "List-Id: Weekly digest <digest.newsletter.example>",
                "List-Unsubscribe: <https://newsletter.example/unsubscribe?u=sam>", "Precedence: bulk");
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
                           String to, String cc, String subject, String messageId, String inReplyTo,
                           String... otherHeaders) {
        server.append(user, folder, message(from, to, cc, subject, messageId, inReplyTo, date, otherHeaders), date);
        return 1;
    }

    private static String message(String from, String to, String cc, String subject, String messageId,
                                  String inReplyTo, Instant date, String... otherHeaders) {
        StringBuilder m = new StringBuilder();
        for (String header : otherHeaders) {
            m.append(header).append('\n');
        }
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
        m.append("MIME-Version: 1.0\n");
        String text = BODIES.getOrDefault(messageId, "Hello,\n\nsee above.\n");
        String attachment = ATTACHMENTS.get(messageId);
        if (attachment == null) {
            m.append("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n").append(text);
            return m.toString();
        }
        // a text and a (small, made-up) PDF: the timeline lists it without downloading it
        m.append("Content-Type: multipart/mixed; boundary=\"demo-part\"\n\n");
        m.append("--demo-part\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n");
        m.append(text).append("\n--demo-part\nContent-Type: application/pdf; name=\"").append(attachment).append("\"\n");
        m.append("Content-Disposition: attachment; filename=\"").append(attachment).append("\"\n");
        m.append("Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK\n");
        m.append("--demo-part--\n");
        return m.toString();
    }

    /** What the messages say, by Message-ID: replies quote what they answer, as mail clients do. */
    private static final Map<String, String> BODIES = Map.ofEntries(
            Map.entry("<m1@kunde.example>", "Guten Tag Herr Seller,\n\nfür die Messe in München im März brauchen wir"
                    + " ein Angebot über 12 Stände mit Strom und WLAN. Können Sie uns bis Freitag ein Angebot"
                    + " schicken?\n\nMit freundlichen Grüßen\nMaria Schmidt\n"),
            Map.entry("<s1@acme.example>", "Hallo Frau Schmidt,\n\ngern: das Angebot kommt am Donnerstag. Jean Dupont"
                    + " aus Lyon ist in Kopie, er organisiert den Aufbau.\n\nSam\n\nOn Monday Maria Schmidt wrote:\n"
                    + "> für die Messe in München im März brauchen wir ein Angebot\n"),
            Map.entry("<m2@client.example>", "Bonjour Sam,\n\nla réunion de lancement aura lieu mardi à 10h dans nos"
                    + " bureaux de Lyon. Pouvez-vous confirmer votre présence ?\n\nCordialement,\nJean\n"),
            Map.entry("<s2@acme.example>", "Hi Priya,\n\nattached is the second draft of the contract, with the"
                    + " payment terms we discussed (30 days net) and the new delivery schedule.\n\nBest,\nSam\n"),
            Map.entry("<m4@partner.example>", "Sam, the draft looks good. Legal asks for one change in section 4"
                    + " (liability cap); Maria is in copy for the German version.\n\nPriya\n\n-----Original"
                    + " Message-----\nFrom: Sam Seller\nSent: Monday\nSubject: Contract draft v2\n\nattached is the"
                    + " second draft\n"),
            Map.entry("<m5@mail.gmail.com>", "Hello,\n\ncould you send me a quote for 40 units of the X200, delivered"
                    + " to Bristol before the end of the month?\n\nThanks,\nTom\n-- \nTom Baker, Baker & Sons\n"),
            Map.entry("<s4@acme.example>", "Hi Tom,\n\n40 units of the X200 come to 18,400 EUR with delivery to"
                    + " Bristol in two weeks; the quote is attached to our portal.\n\nSam\n\n> could you send me a"
                    + " quote for 40 units\n"),
            Map.entry("<s5@acme.example>", "Dear all,\n\nyou are invited to our product webinar on Thursday at 15:00"
                    + " CET: the new X300 line, prices for 2027 and your questions.\n\nSam and Alex\n"),
            Map.entry("<m6@nordicdesign.example>", "Thanks Sam, I'll join, and so will two designers from our"
                    + " Stockholm office.\n\nEmma\n"),
            Map.entry("<m7@haddad-logistics.example>", "Hello Sam, hello Alex,\n\norder 4471 is delayed at the port of"
                    + " Rotterdam; the new delivery date is next Wednesday. The delivery note is attached.\n\nOmar\n"),
            Map.entry("<x1@acme.example>", "Thanks Omar, Wednesday works for us. Please send the tracking number"
                    + " when you have it.\n\nAlex\n"),
            Map.entry("<m8@mobile.example>", "お支払いを確認しました。ありがとうございます。\nPayment received,"
                    + " thank you!\n\nSent from my phone\n"));

    /** The messages that carry an attachment, by Message-ID: its file name. */
    private static final Map<String, String> ATTACHMENTS = Map.of(
            "<s2@acme.example>", "Contract draft v2.pdf",
            "<m7@haddad-logistics.example>", "delivery-note-4471.pdf");
}
