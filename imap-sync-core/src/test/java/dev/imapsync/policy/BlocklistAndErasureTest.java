package dev.imapsync.policy;

import static dev.imapsync.policy.Headers.facts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Blocked addresses and domains, erased people: any participant keeps the whole message out. */
class BlocklistAndErasureTest {

    @Test
    void aBlockedDomainKeepsOutItsMailAndItsSubdomainsInAnyRole() {
        BlocklistPolicy rule = new BlocklistPolicy(List.of(BlockEntry.domain("clinic.example")));

        assertThat(rule.decide(facts("From: Dr. Who <dr@clinic.example>", "To: owner@acme.example")))
                .isEqualTo(Verdict.exclude(Verdict.BLOCKED));
        assertThat(rule.decide(facts("From: owner@acme.example", "To: anna@client.example",
                "Cc: lab@results.Clinic.example"))).isEqualTo(Verdict.exclude(Verdict.BLOCKED));
        assertThat(rule.decide(facts("From: x@otherclinic.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.record());
    }

    @Test
    void anAddressEntryBlocksThatAddressOnlyAndAnAccountsEntryOnlyThatAccount() {
        BlocklistPolicy rule = new BlocklistPolicy(List.of(BlockEntry.address("Private@Home.example"),
                BlockEntry.domain("rival.example").forAccount("acct-2")));

        assertThat(rule.decide(facts("From: private@home.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.exclude(Verdict.BLOCKED));
        assertThat(rule.decide(facts("From: other@home.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.record());
        // the entry is acct-2's; the facts are acct-1's
        assertThat(rule.decide(facts("From: ceo@rival.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.record());
    }

    @Test
    void anErasedPersonIsKeptOutByTheHashOfTheAddress() {
        PrivacyRules rules = new PrivacyRules(List.of(), Set.of(PrivacyRules.addressHash("anna@client.example")),
                Set.of());
        ErasedAddressPolicy rule = new ErasedAddressPolicy(rules);

        assertThat(rule.decide(facts("From: owner@acme.example", "To: tom@client.example",
                "Cc: \"Anna S.\" <Anna@Client.example>"))).isEqualTo(Verdict.exclude(Verdict.ERASED));
        assertThat(rule.decide(facts("From: tom@client.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.record());
        assertThat(new ErasedAddressPolicy(PrivacyRules.none()).decide(facts("From: anna@client.example")))
                .isEqualTo(Verdict.record());
    }
}
