package dev.imapsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.testing.contract.TimelineStoreContract;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The {@link TimelineStore} contract on the in-memory store, plus the form of its cursors. */
class InMemoryTimelineStoreTest extends TimelineStoreContract<InMemorySyncStore> {
    @Override
    protected InMemorySyncStore newStore() {
        return new InMemorySyncStore();
    }

    @Test
    void writesTheLastEntrysDateAndKeyIntoTheCursor() {
        commit(ACCOUNT, INBOX, numbered(1, 3), ANN, ParticipantRole.TO);

        String next = store.timeline(TimelineQuery.forContact(ANN.id()).pageSize(2)).next().orElseThrow();

        assertThat(new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8))
                .isEqualTo("v1|" + dateOf(2).getEpochSecond() + "|0|" + key(2));
    }

    @Test
    void saysWhatToDoWithACursorItDidNotMake() {
        assertThatThrownBy(() -> store.timeline(TimelineQuery.forContact(ANN.id()).after("bm9wZQ")))
                .hasMessage("The timeline cursor 'bm9wZQ' was not made by this store: pass back the next cursor of"
                        + " the page before as it is, or read the first page without one");
    }
}
