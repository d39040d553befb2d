package dev.imapsync.policy;

import static dev.imapsync.policy.Headers.facts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.MailProvider;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chain of rules: order, the first exclusion decides, bulk marks survive; the public provider list. */
class PoliciesTest {
    private static final PrivacyRules RULES = new PrivacyRules(List.of(BlockEntry.domain("clinic.example")),
            Set.of(PrivacyRules.addressHash("gone@client.example")), Set.of("colleague@acme.example"));

    private static MessagePolicy standard(PrivacySettings settings, MessagePolicy... host) {
        return Policies.standard(settings, RULES, Set.of("owner@acme.example"), Set.of("acme.example"),
                List.of(host));
    }

    @Test
    void theRulesRunInTheDocumentedOrderAndTheFirstExclusionDecides() {
        MessagePolicy rules = standard(PrivacySettings.defaults());

        // erased before blocked, blocked before internal, internal before bulk
        assertThat(rules.decide(facts("From: gone@client.example", "To: dr@clinic.example")).rule())
                .isEqualTo(Verdict.ERASED);
        assertThat(rules.decide(facts("From: dr@clinic.example", "To: owner@acme.example", "List-Id: <x>")).rule())
                .isEqualTo(Verdict.BLOCKED);
        assertThat(rules.decide(facts("From: colleague@acme.example", "To: owner@acme.example", "List-Id: <x>"))
                .rule()).isEqualTo(Verdict.INTERNAL);
        assertThat(rules.decide(facts("From: news@vendor.example", "To: owner@acme.example", "List-Id: <x>"))
                .rule()).isEqualTo(Verdict.BULK);
        assertThat(rules.decide(facts("From: anna@client.example", "To: owner@acme.example")))
                .isEqualTo(Verdict.record());
    }

    @Test
    void settingsTurnTheInternalAndBulkRulesOffButNeverTheBlocklist() {
        MessagePolicy rules = standard(PrivacySettings.defaults().withRecordInternal(true)
                .withBulkMail(BulkMail.RECORD));

        assertThat(rules.decide(facts("From: colleague@acme.example", "To: owner@acme.example", "List-Id: <x>")))
                .isEqualTo(Verdict.record());
        assertThat(rules.decide(facts("From: dr@clinic.example", "To: owner@acme.example")).rule())
                .isEqualTo(Verdict.BLOCKED);
    }

    @Test
    void anAccountsDeclaredDomainsAreInternalToo() {
        MessagePolicy rules = standard(PrivacySettings.defaults().withInternalDomains(Set.of("acme-labs.example")));

        assertThat(rules.decide(facts("From: lab@acme-labs.example", "To: owner@acme.example")).rule())
                .isEqualTo(Verdict.INTERNAL);
    }

    @Test
    void aBulkMarkSurvivesUnlessALaterRuleExcludes() {
        MessagePolicy neverHr = m -> m.from().stream().anyMatch(a -> a.normalized().endsWith("@hr.example"))
                ? Verdict.exclude("hr") : Verdict.record();
        MessagePolicy rules = standard(PrivacySettings.defaults().withBulkMail(BulkMail.FLAG), neverHr);

        assertThat(rules.decide(facts("From: news@vendor.example", "To: owner@acme.example", "List-Id: <x>")))
                .isEqualTo(Verdict.recordAsBulk());
        assertThat(rules.decide(facts("From: news@hr.example", "To: owner@acme.example", "List-Id: <x>")))
                .isEqualTo(Verdict.exclude("hr"));
    }

    @Test
    void aRuleThatAnswersNullFailsLoudly() {
        MessagePolicy rules = Policies.chain(List.of(m -> Verdict.record(), m -> null));

        assertThatThrownBy(() -> rules.decide(facts("From: a@b.example"))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("answered null");
    }

    @Test
    void publicProvidersAreKnownWithTheirCountryVariantsAndEveryMailProviderDomainIsOne() {
        assertThat(List.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.co.uk", "live.de", "yahoo.com.br",
                "gmx.de", "web.de", "proton.me", "yandex.ru", "mail.ru", "qq.com", "163.com", "icloud.com", "aol.com"))
                .allSatisfy(d -> assertThat(PublicMailDomains.isPublic(d)).as(d).isTrue());
        assertThat(List.of("acme.example", "mail.gmail.com", "hotmail.example.com", "gmail.company.com", ""))
                .allSatisfy(d -> assertThat(PublicMailDomains.isPublic(d)).as(d).isFalse());
        for (MailProvider p : MailProvider.values()) {
            assertThat(p.domains()).allSatisfy(d -> assertThat(PublicMailDomains.isPublic(d))
                    .as(p + " serves " + d + ": add it to PublicMailDomains").isTrue());
        }
    }
}
