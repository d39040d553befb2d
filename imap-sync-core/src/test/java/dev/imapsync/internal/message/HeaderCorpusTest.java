package dev.imapsync.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the header corpus ({@code src/test/resources/headers/*.txt}, format in
 * {@link HeaderCorpus}) parses to exactly the result written beside it.
 */
class HeaderCorpusTest {
    private static final HeaderParser PARSER = HeaderParser.standard();

    static List<HeaderCorpus.Case> cases() {
        return HeaderCorpus.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesAsExpected(HeaderCorpus.Case c) {
        MessageHeaders headers = PARSER.parse(c.block());

        assertThat(HeaderCorpus.render(headers)).as(c.toString()).containsExactlyElementsOf(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesTheSameFromTheMiddleOfABuffer(HeaderCorpus.Case c) {
        byte[] buffer = new byte[c.block().length + 20];
        java.util.Arrays.fill(buffer, (byte) 'X');
        System.arraycopy(c.block(), 0, buffer, 7, c.block().length);

        assertThat(PARSER.parse(buffer, 7, c.block().length)).isEqualTo(PARSER.parse(c.block()));
    }

    @Test
    void theCorpusIsNotEmpty() {
        assertThat(HeaderCorpus.files()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(cases()).hasSizeGreaterThan(100);
    }
}
