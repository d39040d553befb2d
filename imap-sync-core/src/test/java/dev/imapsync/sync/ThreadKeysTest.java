package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which thread key a message gets, server threads first, else its root Message-ID. */
class ThreadKeysTest {
    private static MessageHeaders headers(String... lines) {
        byte[] block = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return HeaderParser.standard().parse(block, 0, block.length);
    }

    @Test
    void gmailsThreadWinsThenTheServersThreadId() {
        MessageHeaders h = headers("Message-ID: <b@x.example>", "References: <a@x.example>");

        assertThat(ThreadKeys.of(1278455344230334865L, "T1", h)).contains("gm:1278455344230334865");
        assertThat(ThreadKeys.of(-1, "T64b478a75b7ea9bd", h)).contains("tid:T64b478a75b7ea9bd");
    }

    @Test
    void elseTheRootIsTheFirstReferenceThenInReplyToThenTheOwnId() {
        assertThat(ThreadKeys.of(-1, null, headers("Message-ID: <c@x.example>", "In-Reply-To: <b@x.example>",
                "References: <a@x.example> <b@x.example>"))).contains("ref:a@x.example");
        assertThat(ThreadKeys.of(-1, null, headers("Message-ID: <c@x.example>", "In-Reply-To: <b@x.example>")))
                .contains("ref:b@x.example");
        assertThat(ThreadKeys.of(-1, null, headers("Message-ID: <a@x.example>"))).contains("ref:a@x.example");
        assertThat(ThreadKeys.of(-1, null, headers("Subject: no ids at all"))).isEmpty();
    }

    @Test
    void aReplyAndTheMessageItAnswersShareTheKey() {
        assertThat(ThreadKeys.of(-1, null, headers("Message-ID: <q@client.example>")))
                .isEqualTo(ThreadKeys.of(-1, null, headers("Message-ID: <r@acme.example>",
                        "In-Reply-To: <q@client.example>", "References: <q@client.example>")));
    }
}
