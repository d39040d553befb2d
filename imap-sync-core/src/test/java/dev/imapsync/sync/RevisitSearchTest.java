package dev.imapsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.policy.BlockEntry;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UID SEARCH of a revisit after an unblock, as sent. */
class RevisitSearchTest {
    private static final LocalDate SINCE = LocalDate.of(2026, 9, 8);

    @Test
    void oneEntrySearchesItsFourAddressFieldsUpToTheCheckpointInTheWindow() {
        assertThat(RevisitSearch.criteria(List.of(BlockEntry.domain("Clinic.example")), 4711, SINCE))
                .isEqualTo("UID 1:4711 SINCE 8-Sep-2026 OR FROM clinic.example OR TO clinic.example"
                        + " OR CC clinic.example BCC clinic.example");
    }

    @Test
    void severalEntriesAreJoinedWithOrInPrefixFormWithoutParentheses() {
        String criteria = RevisitSearch.criteria(List.of(BlockEntry.address("a@x.example"),
                BlockEntry.domain("y.example"), BlockEntry.address("b@z.example")), 9, SINCE);

        assertThat(criteria).isEqualTo("UID 1:9 SINCE 8-Sep-2026"
                + " OR OR FROM a@x.example OR TO a@x.example OR CC a@x.example BCC a@x.example"
                + " OR OR FROM y.example OR TO y.example OR CC y.example BCC y.example"
                + " OR FROM b@z.example OR TO b@z.example OR CC b@z.example BCC b@z.example");
        assertThat(criteria).doesNotContain("(", ")");
    }

    @Test
    void aValueThatIsNoAtomIsQuotedAndOneThatIsNotAsciiReadsTheWholeWindow() {
        assertThat(RevisitSearch.criteria(List.of(BlockEntry.address("\"odd name\"@x.example")), 3, SINCE))
                .contains("FROM \"\\\"odd name\\\"@x.example\"");
        assertThat(RevisitSearch.criteria(List.of(BlockEntry.domain("bücher.example")), 3, SINCE))
                .isEqualTo("UID 1:3 SINCE 8-Sep-2026");
    }
}
