package dev.imapsync.policy;

import static dev.imapsync.policy.Headers.facts;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bulk and automated mail as real senders write it, and the ordinary mail that must not look like it. */
class BulkMailPolicyTest {
    private static final BulkMailPolicy SKIP = new BulkMailPolicy(BulkMail.SKIP);

    @Test
    void aMailchimpNewsletterIsBulk() {
        MessageFacts m = facts("From: Fabrikam News <news@fabrikam.example>",
                "To: <owner@acme.example>",
                "Subject: Our spring catalogue is here",
                "List-Unsubscribe: <https://fabrikam.us1.list-manage.com/unsubscribe?u=8f2a&id=41c2>,",
                " <mailto:unsubscribe-mc.us1_8f2a.41c2-b9@unsubscribe.mailchimpapp.net?subject=unsubscribe>",
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                "List-Id: 8f2a41c2b9mcsv.net <8f2a41c2b9.mcsv.net>",
                "Precedence: bulk",
                "Date: Mon, 7 Dec 2026 09:00:00 +0000",
                "Message-ID: <0.1.2.abc@mail1.mcsv.net>");

        assertThat(BulkMailPolicy.isBulk(m)).isTrue();
        assertThat(SKIP.decide(m)).isEqualTo(Verdict.exclude(Verdict.BULK));
        assertThat(m.header("List-Unsubscribe")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("<https://fabrikam.us1.list-manage.com/").contains(", <mailto:").doesNotContain("\r\n"));
    }

    @Test
    void aSendGridMailingWithOnlyListUnsubscribeIsBulk() {
        MessageFacts m = facts("From: Contoso Billing <billing@contoso.example>",
                "To: owner@acme.example",
                "Subject: Your December statement",
                "List-Unsubscribe: <mailto:unsubscribe@sendgrid.net?subject=uns-7f2e>");

        assertThat(BulkMailPolicy.isBulk(m)).isTrue();
    }

    @Test
    void googleGroupsAndMailmanListsAreBulk() {
        MessageFacts groups = facts("From: Lena Fischer <lena@client.example>",
                "To: sales-team@client.example",
                "Subject: [sales-team] Pricing for Q3",
                "List-ID: <sales-team.client.example>",
                "Precedence: list",
                "Mailing-list: list sales-team@client.example; contact sales-team+owners@client.example");
        MessageFacts mailman = facts("From: dev@lists.example.org",
                "To: dev@lists.example.org",
                "Subject: [Dev] release 2.4",
                "Precedence: list");

        assertThat(BulkMailPolicy.isBulk(groups)).isTrue();
        assertThat(BulkMailPolicy.isBulk(mailman)).isTrue();
    }

    @Test
    void outOfOfficeRepliesOfExchangeOutlookAndGmailAreBulk() {
        MessageFacts exchange = facts("From: Tom Weber <tom@fabrikam.example>",
                "To: Owner <owner@acme.example>",
                "Subject: Automatic reply: Contract renewal",
                "Auto-Submitted: auto-generated",
                "X-Auto-Response-Suppress: All",
                "Thread-Topic: Contract renewal");
        MessageFacts german = facts("From: Jörg Müller <joerg@kunde.example>",
                "To: owner@acme.example",
                "Subject: Automatische Antwort: Angebot");
        MessageFacts legacyExchange = facts("From: Peter Meyer <peter@contoso.example>",
                "To: owner@acme.example",
                "Subject: Out of Office AutoReply: Invoice 4711");
        MessageFacts gmailVacation = facts("From: Anna Schmidt <anna.schmidt@gmail.com>",
                "To: owner@acme.example",
                "Subject: Re: Quote for 200 units",
                "Auto-Submitted: auto-replied");
        MessageFacts weakSubjectWithSuppress = facts("From: ceo@contoso.example",
                "To: owner@acme.example",
                "Subject: Out of the office until Monday",
                "X-Auto-Response-Suppress: All");

        assertThat(BulkMailPolicy.isBulk(exchange)).isTrue();
        assertThat(BulkMailPolicy.isBulk(german)).isTrue();
        assertThat(BulkMailPolicy.isBulk(legacyExchange)).isTrue();
        assertThat(BulkMailPolicy.isBulk(gmailVacation)).isTrue();
        assertThat(BulkMailPolicy.isBulk(weakSubjectWithSuppress)).isTrue();
    }

    @Test
    void bouncesAndOtherAutomatedMailAreBulk() {
        MessageFacts postfixBounce = facts("From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)",
                "To: owner@acme.example",
                "Subject: Undelivered Mail Returned to Sender",
                "Auto-Submitted: auto-replied");
        MessageFacts notification = facts("From: Calendar <calendar-notification@contoso.example>",
                "To: owner@acme.example",
                "Subject: Reminder: Kickoff @ Thu 10 Dec 2026 10:00",
                "Auto-Submitted: auto-generated (reminder); x=1");
        MessageFacts vacationProgram = facts("From: sam@client.example",
                "To: owner@acme.example",
                "Subject: Re: hello",
                "X-Autoreply: yes",
                "Precedence: auto_reply");
        MessageFacts autorespond = facts("From: sales@contoso.example", "To: owner@acme.example",
                "Subject: Thanks for writing", "X-Autorespond: Thanks for writing");

        assertThat(BulkMailPolicy.isBulk(postfixBounce)).isTrue();
        assertThat(BulkMailPolicy.isBulk(notification)).isTrue();
        assertThat(BulkMailPolicy.isBulk(vacationProgram)).isTrue();
        assertThat(BulkMailPolicy.isBulk(autorespond)).isTrue();
    }

    @Test
    void personalMailIsNotBulkEvenWithHeadersThatProveNothing() {
        MessageFacts outlookReply = facts("From: Tom Weber <tom@fabrikam.example>",
                "To: owner@acme.example",
                "Subject: Re: Out of office plans for the team offsite",
                "X-Auto-Response-Suppress: DR, RN, NRN, OOF");
        MessageFacts explicitlyNo = facts("From: anna@client.example", "To: owner@acme.example",
                "Subject: Quote", "Auto-Submitted: no", "X-Autoreply: no");
        MessageFacts calendarInvitation = facts("From: Anna Schmidt <anna@client.example>",
                "Sender: Google Calendar <calendar-notification@google.com>",
                "To: owner@acme.example",
                "Subject: Invitation: Kickoff @ Thu Dec 10, 2026 10am - 11am (CET) (owner@acme.example)");
        MessageFacts plain = facts("From: anna@client.example", "To: owner@acme.example",
                "Subject: Out of office next week? Let's meet before");

        assertThat(BulkMailPolicy.isBulk(outlookReply)).isFalse();
        assertThat(BulkMailPolicy.isBulk(explicitlyNo)).isFalse();
        assertThat(BulkMailPolicy.isBulk(calendarInvitation)).isFalse();
        assertThat(BulkMailPolicy.isBulk(plain)).isFalse();
        assertThat(SKIP.decide(plain)).isEqualTo(Verdict.record());
    }

    @Test
    void theSettingDecidesWhatHappensToBulkMail() {
        MessageFacts newsletter = facts("From: news@fabrikam.example", "To: owner@acme.example",
                "List-Id: <news.fabrikam.example>");

        assertThat(new BulkMailPolicy(BulkMail.SKIP).decide(newsletter).excludes()).isTrue();
        assertThat(new BulkMailPolicy(BulkMail.FLAG).decide(newsletter)).isEqualTo(Verdict.recordAsBulk());
        assertThat(new BulkMailPolicy(BulkMail.RECORD).decide(newsletter)).isEqualTo(Verdict.record());
    }
}
