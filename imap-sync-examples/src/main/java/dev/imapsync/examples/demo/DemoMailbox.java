package dev.imapsync.examples.demo;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.testing.GreenMailTls;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A small but realistic mailbox on an embedded GreenMail: a sales rep's INBOX and Sent folder
 * with customers writing in several languages, encoded subjects, replies and a newsletter,
 * plus the folders a real account has (Drafts, Trash, Junk, Archive).
 */
public final class DemoMailbox {
    /** The demo user's login and address. */
    public static final String USER = "sam.seller@acme.example";
    /** The demo user's password (made up; it only exists inside the demo's GreenMail). */
    public static final String PASSWORD = "demo-password-not-secret";

    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private DemoMailbox() {
    }

    /** Fills the server with the demo user's mailbox; returns the number of messages stored. */
    public static int fill(GreenMailTls server) {
        GreenMailUser user = server.addUser(USER, PASSWORD);
        Instant now = Instant.now();
        int n = 0;
        n += add(server, user, "INBOX", now.minus(Duration.ofDays(12)), "\"Maria Schmidt\" <maria.schmidt@kunde.example>",
                USER, "", "=?UTF-8?Q?Angebot_f=C3=BCr_die_Messe_in_M=C3=BCnchen?=", "<m1@kunde.example>", "");
        n += add(server, user, "Sent", now.minus(Duration.ofDays(11)), "\"Sam Seller\" <" + USER + ">",
                "\"Maria Schmidt\" <maria.schmidt@kunde.example>", "\"Jean Dupont\" <jean.dupont@client.example>",
                "Re: =?UTF-8?Q?Angebot_f=C3=BCr_die_Messe_in_M=C3=BCnchen?=", "<s1@acme.example>", "<m1@kunde.example>");
        n += add(server, user, "INBOX", now.minus(Duration.ofDays(9)), "Jean Dupont <jean.dupont@client.example>",
                USER, "", "=?ISO-8859-1?Q?R=E9union_de_lancement?=", "<m2@client.example>", "");
        n += add(server, user, "INBOX", now.minus(Duration.ofDays(6)), "\"ACME Newsletter\" <news@newsletter.example>",
                USER, "", "Your weekly digest", "<m3@newsletter.example>", "");
        n += add(server, user, "Sent", now.minus(Duration.ofDays(4)), "Sam Seller <" + USER + ">",
                "priya.patel@partner.example", "", "Contract draft v2", "<s2@acme.example>", "");
        n += add(server, user, "INBOX", now.minus(Duration.ofDays(2)), "Priya Patel <priya.patel@partner.example>",
                USER, "maria.schmidt@kunde.example", "Re: Contract draft v2", "<m4@partner.example>", "<s2@acme.example>");
        n += add(server, user, "Junk", now.minus(Duration.ofDays(1)), "winner@lottery.example", USER, "",
                "You have won!!!", "<j1@lottery.example>", "");
        n += add(server, user, "Drafts", now, "Sam Seller <" + USER + ">", "jean.dupont@client.example", "",
                "Follow-up (draft)", "<d1@acme.example>", "");
        server.append(user, "Trash", message("Old <old@acme.example>", USER, "", "Deleted note",
                "<t1@acme.example>", "", now.minus(Duration.ofDays(30))));
        server.append(user, "Archive", message("Old <old@acme.example>", USER, "", "Archived note",
                "<a1@acme.example>", "", now.minus(Duration.ofDays(60))));
        return n + 2;
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
