package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the demo records: the CRM contacts' timelines (which messages, which direction and
 * roles, held by which of the two reps), the messages that belong to no contact, the statuses,
 * and a second sync that adds nothing. Read from {@code demo --json}, which the demo prints
 * after its last step.
 */
class DemoCommandTest {
    private static JsonNode demo;

    @BeforeAll
    static void runDemo() throws IOException {
        demo = runJson();
    }

    private static JsonNode runJson() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImapSyncCli.run(new String[] {"demo", "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Each contact's timeline as "DIRECTION ROLES where: subject" lines, newest first; where is
     * Sam's folder, with the colleague's copy in brackets ("Sent (+demo-alex INBOX)"), or only the
     * colleague's ("demo-alex Sent").
     */
    private static Map<String, List<String>> histories(JsonNode json) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (JsonNode contact : json.get("contacts")) {
            List<String> lines = new ArrayList<>();
            for (JsonNode e : contact.get("history")) {
                List<String> roles = new ArrayList<>();
                e.get("roles").forEach(r -> roles.add(r.asText().toUpperCase(Locale.ROOT)));
                lines.add(e.get("direction").asText() + " " + String.join("+", roles) + " " + where(e.get("accounts"))
                        + ": " + e.get("subject").asText());
            }
            byName.put(contact.get("name").asText(), lines);
        }
        return byName;
    }

    private static String where(JsonNode accounts) {
        String sams = null;
        List<String> others = new ArrayList<>();
        for (JsonNode a : accounts) {
            if (a.get("accountId").asText().equals("demo-sam")) {
                sams = a.get("folder").asText();
            } else {
                others.add(a.get("accountId").asText() + " " + a.get("folder").asText());
            }
        }
        if (sams == null) {
            return String.join(", ", others);
        }
        return others.isEmpty() ? sams : sams + " (+" + String.join(", ", others) + ")";
    }

    @Test
    void opensTheNewestEmailOfTheFirstContactWithMailLiveFromTheMailbox() {
        JsonNode opened = demo.get("opened");
        JsonNode newest = demo.get("contacts").get(0).get("history").get(0);
        assertThat(opened.get("messageKey").asText()).isEqualTo(newest.get("messageKey").asText());
        assertThat(opened.get("subject").asText()).isEqualTo(newest.get("subject").asText());
        // the whole text, opened live, holds what the sync recorded as its preview (the preview
        // collapses whitespace and leaves out the "Sent from my phone" line)
        String text = opened.get("text").asText();
        assertThat(text).contains("Sent from my phone");
        assertThat(text.replaceAll("\\s+", " ")).contains(newest.get("preview").asText());
        assertThat(newest.get("preview").asText()).isNotBlank();
        assertThat(names(opened.get("attachments"))).isEqualTo(names(newest.get("attachments")));
        assertThat(opened.get("folder").asText()).isEqualTo(newest.get("accounts").get(0).get("folder").asText());
    }

    private static List<String> names(JsonNode attachments) {
        List<String> names = new ArrayList<>();
        attachments.forEach(a -> names.add(a.get("name").asText()));
        return names;
    }

    @Test
    void everyCrmContactGetsExactlyTheMailThatMentionsIt() {
        Map<String, List<String>> histories = histories(demo);

        assertThat(histories).containsOnlyKeys("Akiko Tanaka", "David Kim", "Emma Johansson", "Jean Dupont",
                "Lucas Oliveira", "Maria Schmidt", "Omar Haddad", "Priya Patel", "Sofia Rossi", "Tom Baker");
        assertThat(histories.get("Maria Schmidt")).containsExactly(
                "INBOUND CC INBOX: Re: Contract draft v2",
                "OUTBOUND TO Sent: Re: Angebot für die Messe in München",
                "INBOUND FROM INBOX: Angebot für die Messe in München");
        // Jean wrote from his second address (crm_contact_email)
        assertThat(histories.get("Jean Dupont")).containsExactly(
                "INBOUND FROM INBOX: Réunion de lancement",
                "OUTBOUND CC Sent: Re: Angebot für die Messe in München");
        // Priya's address arrived in capitals; the CRM stores it in mixed case
        assertThat(histories.get("Priya Patel")).containsExactly(
                "INBOUND FROM INBOX: Re: Contract draft v2",
                "OUTBOUND TO Sent: Contract draft v2");
        // tom.baker+quotes@gmail.com belongs to tom.baker@gmail.com
        assertThat(histories.get("Tom Baker")).containsExactly(
                "OUTBOUND TO Sent: Re: Quote request: 40 units",
                "INBOUND FROM INBOX: Quote request: 40 units");
        // sent from the team address (an alias of the account): outbound, though in INBOX
        assertThat(histories.get("David Kim")).containsExactly("OUTBOUND TO INBOX: Your Acme account is ready");
        // second address, stored as Akiko.T@mobile.example
        assertThat(histories.get("Akiko Tanaka")).containsExactly("INBOUND FROM INBOX: Payment confirmation");
        assertThat(histories.get("Sofia Rossi")).isEmpty();
    }

    @Test
    void aMessageToSeveralContactsIsInEachOfTheirHistories() {
        Map<String, List<String>> histories = histories(demo);
        String invitation = "OUTBOUND TO Sent (+demo-alex INBOX): Invitation: Acme product webinar";

        assertThat(histories.get("Lucas Oliveira")).containsExactly(invitation);
        assertThat(histories.get("Emma Johansson")).containsExactly(
                "INBOUND FROM INBOX: Re: Invitation: Acme product webinar", invitation);
        assertThat(histories.get("Omar Haddad")).containsExactly(
                "OUTBOUND TO demo-alex Sent: Re: Delivery delayed: order 4471",
                "INBOUND FROM INBOX (+demo-alex INBOX): Delivery delayed: order 4471", invitation);
        List<String> keys = new ArrayList<>();
        for (JsonNode contact : demo.get("contacts")) {
            for (JsonNode e : contact.get("history")) {
                if (e.get("subject").asText().equals("Invitation: Acme product webinar")) {
                    keys.add(e.get("messageKey").asText());
                }
            }
        }
        assertThat(keys).hasSize(3).containsOnly(keys.get(0));
    }

    @Test
    void aMessageBothRepsHoldIsOneEntryListingBothAccounts() {
        JsonNode lucas = null;
        for (JsonNode contact : demo.get("contacts")) {
            if (contact.get("name").asText().equals("Lucas Oliveira")) {
                lucas = contact;
            }
        }

        assertThat(lucas).isNotNull();
        assertThat(lucas.get("messages").asInt()).isEqualTo(1);
        assertThat(lucas.get("lastInbound").isNull()).isTrue();
        JsonNode invitation = lucas.get("history").get(0);
        assertThat(invitation.get("messageKey").asText()).isEqualTo("mid:s5@acme.example");
        assertThat(invitation.get("fromName").asText()).isEqualTo("Sam Seller");
        assertThat(invitation.get("accounts").findValuesAsText("accountId")).containsExactly("demo-alex", "demo-sam");
        assertThat(invitation.get("accounts").findValuesAsText("folder")).containsExactly("INBOX", "Sent");
    }

    @Test
    void contactsMailShowsItsPreviewAndAttachmentsAndRepliesShareTheThread() {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode contact : demo.get("contacts")) {
            for (JsonNode e : contact.get("history")) {
                byKey.put(e.get("messageKey").asText(), e);
            }
        }

        JsonNode contract = byKey.get("mid:s2@acme.example");
        assertThat(contract.get("preview").asText()).startsWith("Hi Priya, attached is the second draft of the"
                + " contract");
        assertThat(contract.get("attachments").findValuesAsText("name")).containsExactly("Contract draft v2.pdf");
        JsonNode answer = byKey.get("mid:m4@partner.example");
        assertThat(answer.get("preview").asText()).as("Outlook's quoted original is dropped")
                .startsWith("Sam, the draft looks good.").doesNotContain("Original Message");
        assertThat(answer.get("threadId").asText()).isEqualTo(contract.get("threadId").asText())
                .isEqualTo("ref:s2@acme.example");
        assertThat(byKey.get("mid:m8@mobile.example").get("preview").asText()).startsWith("お支払いを確認しました");
        assertThat(byKey.get("mid:m7@haddad-logistics.example").get("attachments").findValuesAsText("name"))
                .containsExactly("delivery-note-4471.pdf");
    }

    @Test
    void theNewsletterAndTheColleaguesInternalMailAreReadButKeptOutByThePrivacyDefaults() {
        // bulk mail (List-Id) and mail among colleagues only (acme.example, the account's own domain)
        // are not recorded at all, so they are not among the messages read for no contact either
        assertThat(demo.get("unmatched")).isEmpty();
        assertThat(demo.get("contacts").toString()).doesNotContain("Your weekly digest")
                .doesNotContain("Pipeline review")
                // Junk and Drafts are not in the recommended selection
                .doesNotContain("You have won").doesNotContain("Follow-up (draft)");
    }

    @Test
    void theSyncReportsCountWhatTheTimelinesShow() {
        JsonNode sync = demo.get("sync");
        JsonNode colleague = demo.get("syncColleague");
        int entries = 0;
        int messages = 0;
        for (JsonNode contact : demo.get("contacts")) {
            entries += contact.get("history").size();
            messages += contact.get("messages").asInt();
        }

        assertThat(sync.get("status").asText()).isEqualTo("OK");
        assertThat(sync.get("folders").findValuesAsText("name")).containsExactly("INBOX", "Sent");
        assertThat(sync.get("fetched").asInt()).isEqualTo(14);
        assertThat(sync.get("matched").asInt()).isEqualTo(12);
        // Sam's 16 entries, each a (contact, message) of its own
        assertThat(sync.get("activities").asInt()).isEqualTo(16);
        assertThat(colleague.get("status").asText()).isEqualTo("OK");
        assertThat(colleague.get("fetched").asInt()).isEqualTo(3);
        assertThat(colleague.get("activities").asInt()).isEqualTo(5);
        // of the colleague's 5, only the reply to Omar is a message Sam does not hold
        assertThat(entries).isEqualTo(16 + 1).isEqualTo(messages);
        assertThat(demo.get("folders").get("recommended").toString()).isEqualTo("[\"INBOX\",\"Sent\"]");
    }

    @Test
    void theSecondSyncFetchesNothingAndAddsNothing() {
        JsonNode again = demo.get("syncAgain");

        assertThat(again.get("status").asText()).isEqualTo("OK");
        assertThat(again.get("fetched").asInt()).isZero();
        assertThat(again.get("activities").asInt()).isZero();
        assertThat(again.get("folders").findValuesAsText("upToDate")).containsOnly("true");
    }

    @Test
    void theStatusAndTheProbesAreThere() {
        assertThat(demo.get("status").findValuesAsText("accountId")).containsExactly("demo-alex", "demo-sam");
        assertThat(demo.get("status").findValuesAsText("status")).containsOnly("OK");
        assertThat(demo.get("status").get(1).get("lastSyncedAt").isNull()).isFalse();
        assertThat(demo.get("probe").get("endpoint").get("security").asText()).isEqualTo("ssl");
        assertThat(demo.get("wrongPassword").get("failure").get("kind").asText()).isEqualTo("AUTH_FAILED");
        assertThat(demo.get("untrustedCertificate").get("failure").get("kind").asText()).isEqualTo("TLS_UNTRUSTED");
        assertThat(demo.toString()).doesNotContain("demo-password-not-secret").doesNotContain("demo-password-of-alex");
    }

    @Test
    void runsAgainTheSameWay() throws IOException {
        JsonNode second = runJson();

        assertThat(histories(second)).isEqualTo(histories(demo));
        assertThat(second.get("sync").get("activities").asInt()).isEqualTo(16);
        assertThat(second.get("syncAgain").get("activities").asInt()).isZero();
    }
}
