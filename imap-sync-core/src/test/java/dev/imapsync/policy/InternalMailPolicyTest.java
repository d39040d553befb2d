package dev.imapsync.policy;

import static dev.imapsync.policy.Headers.facts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Internal mail: every participant inside the company; a public provider is never the company. */
class InternalMailPolicyTest {
    private static final InternalMailPolicy ACME = new InternalMailPolicy(Set.of("owner@acme.example"),
            Set.of("acme.example"));

    @Test
    void aThreadAmongColleaguesIsInternal() {
        MessageFacts m = facts("From: Owner <owner@acme.example>", "To: Lena <lena@acme.example>",
                "Cc: boss@ACME.example, ops@eu.acme.example", "Subject: Re: team lunch");

        assertThat(ACME.decide(m)).isEqualTo(Verdict.exclude(Verdict.INTERNAL));
    }

    @Test
    void oneOutsideParticipantAnywhereMakesItExternal() {
        assertThat(ACME.decide(facts("From: owner@acme.example", "To: lena@acme.example",
                "Cc: Anna <anna@client.example>"))).isEqualTo(Verdict.record());
        assertThat(ACME.decide(facts("From: owner@acme.example", "To: lena@acme.example",
                "Bcc: anna@client.example"))).isEqualTo(Verdict.record());
        assertThat(ACME.decide(facts("From: lena@acme.example", "Sender: assistant@agency.example",
                "To: owner@acme.example"))).isEqualTo(Verdict.record());
        assertThat(ACME.decide(facts("From: someone@notacme.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.record());
    }

    @Test
    void aMessageWithoutParticipantsIsNotInternal() {
        assertThat(ACME.decide(facts("Subject: no addresses", "To: undisclosed-recipients:;")))
                .isEqualTo(Verdict.record());
    }

    @Test
    void twoGmailUsersAreNotColleaguesUnlessBothAreConnectedAccounts() {
        assertThat(InternalMailPolicy.ownDomain("Owner.Name@Gmail.com")).isEmpty();
        assertThat(InternalMailPolicy.ownDomain("me@hotmail.co.uk")).isEmpty();
        assertThat(InternalMailPolicy.ownDomain("owner@Acme.Example")).contains("acme.example");
        assertThat(InternalMailPolicy.ownDomain("not an address")).isEmpty();

        InternalMailPolicy gmailAccount = new InternalMailPolicy(Set.of("owner@gmail.com", "partner@outlook.com"),
                Set.of());
        assertThat(gmailAccount.decide(facts("From: owner@gmail.com", "To: friend@gmail.com")))
                .isEqualTo(Verdict.record());
        assertThat(gmailAccount.decide(facts("From: owner@gmail.com", "To: partner@outlook.com")))
                .isEqualTo(Verdict.exclude(Verdict.INTERNAL));
    }
}
