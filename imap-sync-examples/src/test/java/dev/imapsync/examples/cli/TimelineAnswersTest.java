package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.store.FolderCheckpoint;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.store.SyncBatch;
import dev.imapsync.store.SyncedMessage;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@code history} and {@code contacts} print for a timeline, in JSON and text: read from
 * the in-memory store, the reference of every TimelineStore, so the shapes are checked whatever
 * database the commands read.
 */
class TimelineAnswersTest {
    private static final String DRAFTS_RAW = "Entw&APw-rfe";
    private static final String DRAFTS = "Entw\u00FCrfe";
    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
    private static final ContactRef CLIENT = ContactRef.of("c-17");

    private final InMemorySyncStore store = new InMemorySyncStore();

    /** Sam writes to the client and cc's Alex; both accounts hold the message, Sam's in a German Drafts folder. */
    private void twoAccountsHoldOneMessage() {
        SyncedMessage sent = new SyncedMessage(new MessageKey("mid:quote@acme.example"), DRAFTS_RAW, 7, T0,
                EmailAddress.of("Sam Seller", "sam@acme.example"), "Quote", 2_000, Direction.OUTBOUND,
                Optional.of("1800"));
        SyncedMessage received = new SyncedMessage(sent.key(), "INBOX", 42, T0, sent.sender(), sent.subject(), 2_000,
                Direction.INBOUND, Optional.empty());
        SyncedMessage reply = new SyncedMessage(new MessageKey("mid:reply@client.example"), "INBOX", 43,
                T0.plusSeconds(3600), EmailAddress.of("", "maria@client.example"), "Re: Quote", 1_000,
                Direction.INBOUND, Optional.of("ref:quote@acme.example"), Optional.of(new MessagePreview(
                        "Thanks Sam, the quote is fine; the signed order is attached.", true,
                        List.of(new Attachment("2", "Order 4471.pdf", "application/pdf", 48_213, false, Optional.empty()),
                                new Attachment("3", "logo.png", "image/png", 1_024, true, Optional.of("logo@client"))),
                        false, false, Optional.empty())));
        store.commit("sam", batch(sent, Set.of("sam@acme.example"), activity(sent, ParticipantRole.TO)));
        store.commit("alex", batch(received, Set.of("alex@acme.example"), activity(received, ParticipantRole.TO),
                activity(received, ParticipantRole.CC)));
        store.commit("alex", batch(reply, Set.of("alex@acme.example"), activity(reply, ParticipantRole.FROM)));
    }

    @Test
    void historyJsonHasOneEntryPerMessageWithEveryAccountAndTheNextCursor() throws IOException {
        twoAccountsHoldOneMessage();
        TimelinePage page = store.timeline(TimelineQuery.forContact(CLIENT.id()).pageSize(1));
        TimelinePage last = store.timeline(TimelineQuery.forContact(CLIENT.id()).pageSize(1)
                .after(page.next().orElseThrow()));

        JsonNode first = new ObjectMapper().readTree(Json.write(Json.timeline(CLIENT.id(), page)));
        JsonNode second = new ObjectMapper().readTree(Json.write(Json.timeline(CLIENT.id(), last)));

        assertThat(first.get("contactId").asText()).isEqualTo("c-17");
        assertThat(first.get("next").asText()).isEqualTo(page.next().orElseThrow());
        JsonNode reply = first.get("entries").get(0);
        assertThat(reply.get("messageKey").asText()).isEqualTo("mid:reply@client.example");
        assertThat(reply.get("direction").asText()).isEqualTo("INBOUND");
        assertThat(reply.get("roles").toString()).isEqualTo("[\"from\"]");
        // it answers the quote: it joins the quote's thread
        assertThat(reply.get("threadId").asText()).isEqualTo("1800");
        assertThat(reply.get("preview").asText()).isEqualTo("Thanks Sam, the quote is fine; the signed order is"
                + " attached.");
        assertThat(reply.get("previewTruncated").asBoolean()).isTrue();
        assertThat(reply.get("encrypted").asBoolean()).isFalse();
        assertThat(reply.get("attachments").toString()).isEqualTo("[{\"name\":\"Order 4471.pdf\","
                + "\"type\":\"application/pdf\",\"size\":48213,\"inline\":false,\"part\":\"2\",\"contentId\":null},"
                + "{\"name\":\"logo.png\",\"type\":\"image/png\",\"size\":1024,\"inline\":true,\"part\":\"3\","
                + "\"contentId\":\"logo@client\"}]");
        assertThat(second.get("next").isNull()).isTrue();
        JsonNode quote = second.get("entries").get(0);
        assertThat(quote.get("date").asText()).isEqualTo("2024-03-01T09:00:00Z");
        assertThat(quote.get("subject").asText()).isEqualTo("Quote");
        assertThat(quote.get("from").asText()).isEqualTo("sam@acme.example");
        assertThat(quote.get("fromName").asText()).isEqualTo("Sam Seller");
        assertThat(quote.get("direction").asText()).isEqualTo("OUTBOUND");
        assertThat(quote.get("roles").toString()).isEqualTo("[\"to\",\"cc\"]");
        assertThat(quote.get("threadId").asText()).isEqualTo("1800");
        assertThat(quote.get("preview").isNull()).as("recorded without a preview").isTrue();
        assertThat(quote.get("attachments").toString()).isEqualTo("[]");
        assertThat(quote.get("accounts").toString()).isEqualTo("[{\"accountId\":\"alex\",\"folder\":\"INBOX\","
                + "\"folderDisplayName\":\"INBOX\",\"uid\":42,\"uidValidity\":1},{\"accountId\":\"sam\",\"folder\":\"" + DRAFTS_RAW
                + "\",\"folderDisplayName\":\"" + DRAFTS + "\",\"uid\":7,\"uidValidity\":1}]");
    }

    @Test
    void historyTextShowsOneLinePerEntryWithDecodedFoldersAndHowToGoOn() {
        twoAccountsHoldOneMessage();
        TimelinePage page = store.timeline(TimelineQuery.forContact(CLIENT.id()));
        TimelinePage first = store.timeline(TimelineQuery.forContact(CLIENT.id()).pageSize(1));

        assertThat(text(out -> Text.printTimeline(out, CLIENT.id(), page)).lines()).containsExactly(
                "2024-03-01T10:00:00Z  INBOUND  from      INBOX                maria@client.example"
                        + "           Re: Quote",
                "    Thanks Sam, the quote is fine; the signed order is attached.…",
                "    attachments: Order 4471.pdf",
                "2024-03-01T09:00:00Z  OUTBOUND to,cc     INBOX [alex], " + DRAFTS + " [sam] \"Sam Seller\""
                        + " <sam@acme.example> Quote");
        assertThat(text(out -> Text.printTimeline(out, CLIENT.id(), first)).lines())
                .hasSize(4).last().isEqualTo("More: add --before " + first.next().orElseThrow());
        assertThat(text(out -> Text.printTimeline(out, "c-none",
                store.timeline(TimelineQuery.forContact("c-none"))))).isEqualTo("No history for contact c-none."
                + System.lineSeparator());
    }

    @Test
    void contactsAnswersSummariesBusiestFirst() throws IOException {
        twoAccountsHoldOneMessage();

        JsonNode json = new ObjectMapper().readTree(Json.write(Json.contacts(store.busiest(10))));

        assertThat(json.toString()).isEqualTo("[{\"contactId\":\"c-17\",\"messages\":2,"
                + "\"lastInbound\":\"2024-03-01T10:00:00Z\",\"lastOutbound\":\"2024-03-01T09:00:00Z\"}]");
        assertThat(text(out -> Text.printContacts(out, store.busiest(10))).lines()).containsExactly(
                "c-17                                  2 messages  last inbound 2024-03-01T10:00:00Z,"
                        + " last outbound 2024-03-01T09:00:00Z");
        assertThat(text(out -> Text.printContacts(out, List.of()))).startsWith("No contact has any mail yet.");
    }

    private static SyncBatch batch(SyncedMessage m, Set<String> own, ContactActivity... activities) {
        return new SyncBatch(m.folder(), List.of(m), List.of(activities),
                new FolderCheckpoint(m.folder(), 1, m.uid(), OptionalLong.empty()), own);
    }

    private static ContactActivity activity(SyncedMessage m, ParticipantRole role) {
        return new ContactActivity(m.key(), CLIENT, role, m.direction(), m.date(), m.subject(), m.from(), m.folder(),
                m.threadId());
    }

    private static String text(java.util.function.Consumer<PrintStream> print) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
