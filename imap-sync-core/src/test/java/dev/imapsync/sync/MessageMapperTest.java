package dev.imapsync.sync;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.store.SyncedMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whose history a message is on, and in which role: above all the Sender, who sent a message on
 * the From's behalf (an assistant for their boss). The boss (From) has it as FROM; the assistant
 * (Sender) too, but only as a known contact; the Sender never takes the From's place.
 */
class MessageMapperTest {
    private static final String OWNER = "owner@acme.example";
    private static final String BOSS = "boss@client.example";
    private static final String ASSISTANT = "assistant@client.example";

    private static final Map<String, List<ContactRef>> BOTH_KNOWN = Map.of(
            BOSS, List.of(ContactRef.of("c-boss")), ASSISTANT, List.of(ContactRef.of("c-assistant")));
    private static final Map<String, List<ContactRef>> ONLY_BOSS_KNOWN = Map.of(BOSS, List.of(ContactRef.of("c-boss")));

    private final MessageMapper inbox = new MessageMapper(Set.of(OWNER), "INBOX", false);

    @Test
    void aMessageSentOnBehalfOfTheBossIsOnTheBossesHistoryAndOnTheKnownAssistantsAsFrom() {
        MessageHeaders h = headers("From: Boss <" + BOSS + ">", "Sender: Assistant <" + ASSISTANT + ">",
                "To: " + OWNER);

        MessageMapper.Mapped mapped = inbox.map(List.of(parsed(1, h)), BOTH_KNOWN);

        assertThat(mapped.activities()).extracting(a -> a.contact().id(), ContactActivity::role,
                ContactActivity::direction, ContactActivity::from).containsExactly(
                tuple("c-boss", ParticipantRole.FROM, Direction.INBOUND, BOSS),
                tuple("c-assistant", ParticipantRole.FROM, Direction.INBOUND, BOSS));
        assertThat(mapped.messages()).extracting(SyncedMessage::from).containsExactly(BOSS);
        assertThat(mapped.matchedMessages()).isEqualTo(1);
    }

    @Test
    void anUnknownSenderAddsNothingAndNeverReplacesFrom() {
        MessageHeaders h = headers("From: " + BOSS, "Sender: " + ASSISTANT, "To: " + OWNER);

        MessageMapper.Mapped mapped = inbox.map(List.of(parsed(1, h)), ONLY_BOSS_KNOWN);

        assertThat(mapped.activities()).extracting(a -> a.contact().id(), ContactActivity::role)
                .containsExactly(tuple("c-boss", ParticipantRole.FROM));
    }

    @Test
    void aKnownSenderAloneMakesTheMessageMatched() {
        MessageHeaders h = headers("From: stranger@elsewhere.example", "Sender: " + ASSISTANT, "To: " + OWNER);

        MessageMapper.Mapped mapped = inbox.map(List.of(parsed(1, h)), BOTH_KNOWN);

        assertThat(mapped.activities()).extracting(a -> a.contact().id(), ContactActivity::role)
                .containsExactly(tuple("c-assistant", ParticipantRole.FROM));
        assertThat(mapped.matchedMessages()).isEqualTo(1);
    }

    @Test
    void aContactInBothFromAndSenderHasOneEntry() {
        MessageHeaders h = headers("From: " + BOSS, "Sender: " + BOSS.toUpperCase(java.util.Locale.ROOT),
                "To: " + OWNER);

        MessageMapper.Mapped mapped = inbox.map(List.of(parsed(1, h)), BOTH_KNOWN);

        assertThat(mapped.activities()).extracting(a -> a.contact().id(), ContactActivity::role)
                .containsExactly(tuple("c-boss", ParticipantRole.FROM));
    }

    @Test
    void whatTheOwnerSentOnSomeoneElsesBehalfIsOutbound() {
        MessageHeaders h = headers("From: " + BOSS, "Sender: " + OWNER, "To: " + ASSISTANT);

        MessageMapper.Mapped mapped = inbox.map(List.of(parsed(1, h)), BOTH_KNOWN);

        assertThat(mapped.activities()).extracting(a -> a.contact().id(), ContactActivity::role,
                ContactActivity::direction).containsExactly(
                tuple("c-boss", ParticipantRole.FROM, Direction.OUTBOUND),
                tuple("c-assistant", ParticipantRole.TO, Direction.OUTBOUND));
    }

    @Test
    void theSendersAddressIsAskedOfTheMatcherWithTheOthers() {
        Set<String> asked = new HashSet<>();

        MessageMapper.addAddresses(asked, headers("From: " + BOSS, "Sender: Assistant <" + ASSISTANT + ">",
                "To: " + OWNER, "Cc: cc@client.example"));

        assertThat(asked).containsExactlyInAnyOrder(BOSS, ASSISTANT, OWNER, "cc@client.example");
    }

    private static MessageHeaders headers(String... fields) {
        String block = String.join("\r\n", fields) + "\r\nSubject: on behalf\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000"
                + "\r\nMessage-ID: <on-behalf@client.example>\r\n\r\n";
        return HeaderParser.standard().parse(block.getBytes(UTF_8));
    }

    private static MessageMapper.Parsed parsed(long uid, MessageHeaders headers) {
        return new MessageMapper.Parsed(uid, -1, 900, headers, -1, -1);
    }
}
