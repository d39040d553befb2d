package dev.imapsync.internal.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.message.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The parser's contract: its API, its limits, and what it does at and past each limit. */
class HeaderParserTest {

    private static byte[] bytes(String header) {
        return header.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theStandardParserHasTheDocumentedLimitsAndIsShared() {
        HeaderParser parser = HeaderParser.standard();

        assertThat(parser).isSameAs(HeaderParser.standard());
        assertThat(parser.maxHeaderBytes()).isEqualTo(65_536);
        assertThat(parser.maxAddresses()).isEqualTo(1_000);
        assertThat(parser.maxEncodedWordLength()).isEqualTo(1_000);
        assertThat(parser.maxReferences()).isEqualTo(100);
        assertThat(parser).hasToString(
                "HeaderParser{maxHeaderBytes=65536, maxAddresses=1000, maxEncodedWordLength=1000, maxReferences=100}");
    }

    @Test
    void aBuilderSetsEachLimitAndToBuilderKeepsThem() {
        HeaderParser parser = HeaderParser.builder()
                .maxHeaderBytes(4096)
                .maxAddresses(5)
                .maxEncodedWordLength(200)
                .maxReferences(3)
                .build();

        HeaderParser copy = parser.toBuilder().build();

        assertThat(copy.maxHeaderBytes()).isEqualTo(4096);
        assertThat(copy.maxAddresses()).isEqualTo(5);
        assertThat(copy.maxEncodedWordLength()).isEqualTo(200);
        assertThat(copy.maxReferences()).isEqualTo(3);
    }

    @Test
    void eachSetterRefusesAValueThatCannotWorkAndSaysWhatToFix() {
        HeaderParser.Builder builder = HeaderParser.builder();

        assertThatThrownBy(() -> builder.maxHeaderBytes(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxHeaderBytes must be at least 1024 (1 KiB), was 100; ordinary header blocks of the"
                        + " fields imap-sync reads are up to a few KiB");
        assertThatThrownBy(() -> builder.maxAddresses(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAddresses must be at least 1, was 0; a message needs room for its From address");
        assertThatThrownBy(() -> builder.maxEncodedWordLength(74)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEncodedWordLength must be at least 75 (the length RFC 2047 allows), was 74");
        assertThatThrownBy(() -> builder.maxReferences(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxReferences must be at least 1, was -1; keep at least the root of the thread");
    }

    @Test
    void nullAndRangesOutsideTheArrayAreTheOnlyThingsThatThrow() {
        HeaderParser parser = HeaderParser.standard();

        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> parser.parse(null, 0, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> parser.parse(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> parser.parse(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void anEmptyBlockGivesEmptyHeaders() {
        assertThat(HeaderParser.standard().parse(new byte[0])).isEqualTo(MessageHeaders.empty());
        assertThat(HeaderParser.standard().parse(bytes("\r\n"))).isEqualTo(MessageHeaders.empty());
        assertThat(HeaderParser.standard().parse(bytes("abc"), 1, 0)).isEqualTo(MessageHeaders.empty());
    }

    @Test
    void onlyTheGivenRangeIsRead() {
        byte[] buffer = bytes("Subject: before\r\nFrom: a@example.com\r\nSubject: after\r\n");

        MessageHeaders headers = HeaderParser.standard().parse(buffer, 17, 20);

        assertThat(headers.from()).containsExactly(EmailAddress.of("", "a@example.com"));
        assertThat(headers.subject()).isEmpty();
    }

    @Test
    void theResultListsCannotBeChanged() {
        MessageHeaders headers = HeaderParser.standard().parse(bytes("To: a@example.com, b@example.com\r\n"
                + "References: <a@x> <b@x> <c@x>\r\nFrom: c@example.com\r\nDate: nonsense\r\n"));

        assertThatThrownBy(() -> headers.to().add(EmailAddress.of("", "x@example.com")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.references().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.warnings().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bytesPastMaxHeaderBytesAreIgnoredFromTheLineTheLimitCuts() {
        HeaderParser parser = HeaderParser.builder().maxHeaderBytes(1024).build();
        String filler = "X-Filler: " + "x".repeat(990) + "\r\n"; // 1002 bytes
        String header = "From: a@example.com\r\n" + filler + "Subject: past the limit\r\n";

        MessageHeaders headers = parser.parse(bytes(header));

        assertThat(headers.from()).containsExactly(EmailAddress.of("", "a@example.com"));
        assertThat(headers.subject()).isEmpty();
        assertThat(headers.warnings()).containsExactly(
                "the header block is " + header.length() + " bytes; only the first 1024 were read");
    }

    @Test
    void addressesPastMaxAddressesAreSkippedButFromComesFirst() {
        HeaderParser parser = HeaderParser.builder().maxAddresses(10).build();
        String to = IntStream.range(0, 50).mapToObj(i -> "user" + i + "@example.com").collect(Collectors.joining(", "));
        String header = "To: " + to + "\r\nCc: cc@example.com\r\nFrom: Author <author@example.com>\r\n";

        MessageHeaders headers = parser.parse(bytes(header));

        assertThat(headers.from()).containsExactly(EmailAddress.of("Author", "author@example.com"));
        assertThat(headers.to()).hasSize(9);
        assertThat(headers.to().get(8).address()).isEqualTo("user8@example.com");
        assertThat(headers.cc()).isEmpty();
        assertThat(headers.warnings()).containsExactly("more than 10 addresses; the rest were skipped");
    }

    @Test
    void anEncodedWordLongerThanTheLimitIsKeptAsWritten() {
        HeaderParser parser = HeaderParser.builder().maxEncodedWordLength(80).build();
        String word = "=?utf-8?Q?" + "a".repeat(69) + "?="; // 81 bytes

        MessageHeaders headers = parser.parse(bytes("Subject: " + word + " =?utf-8?Q?ok?=\r\n"));

        assertThat(headers.subject()).isEqualTo(word + " ok");
        assertThat(headers.warnings()).containsExactly(
                "Subject: an encoded word of 81 bytes is longer than the limit of 80 bytes; kept as written");
    }

    @Test
    void referencesPastTheLimitKeepTheRootAndTheNewest() {
        HeaderParser parser = HeaderParser.builder().maxReferences(4).build();
        String references = IntStream.rangeClosed(1, 10).mapToObj(i -> "<id" + i + "@example.com>")
                .collect(Collectors.joining("\r\n "));

        MessageHeaders headers = parser.parse(bytes("References: " + references + "\r\n"));

        assertThat(headers.references()).containsExactly("id1@example.com", "id8@example.com", "id9@example.com",
                "id10@example.com");
        assertThat(headers.warnings()).containsExactly("References: 10 ids; kept the first and the last 3");
    }

    @Test
    void manyDuplicateReferencesAreDroppedInLinearTime() {
        String references = IntStream.range(0, 3_000).mapToObj(i -> "<id" + (i % 50) + "@example.com>")
                .collect(Collectors.joining(" "));

        MessageHeaders headers = HeaderParser.standard().parse(bytes("References: " + references + "\r\n"));

        assertThat(headers.references()).hasSize(50).startsWith("id0@example.com").endsWith("id49@example.com");
        assertThat(headers.warnings()).isEmpty();
    }

    @Test
    void warningsStopAtTwentyAndSayHowManyMoreThereWere() {
        String to = IntStream.range(0, 25).mapToObj(i -> "name" + i).collect(Collectors.joining(", "));

        MessageHeaders headers = HeaderParser.standard().parse(bytes("To: " + to + "\r\n"));

        assertThat(headers.warnings()).hasSize(21);
        assertThat(headers.warnings().get(0)).isEqualTo("To: \"name0\" is not an address (no @); skipped");
        assertThat(headers.warnings().get(20)).isEqualTo("… and 5 more warnings");
    }

    @Test
    void oneParserServesManyThreadsAtOnce() throws Exception {
        List<HeaderCorpus.Case> cases = HeaderCorpus.all();
        List<MessageHeaders> expected = cases.stream().map(c -> HeaderParser.standard().parse(c.block())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<MessageHeaders>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    List<MessageHeaders> results = new ArrayList<>();
                    for (int round = 0; round < 50; round++) {
                        results.clear();
                        for (HeaderCorpus.Case c : cases) {
                            results.add(HeaderParser.standard().parse(c.block()));
                        }
                    }
                    return results;
                }));
            }
            for (Future<List<MessageHeaders>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
