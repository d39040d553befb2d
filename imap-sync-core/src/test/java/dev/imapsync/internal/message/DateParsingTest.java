package dev.imapsync.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Date forms mail carries, one per line: what each reads as, and what is refused. */
class DateParsingTest {

    private static MessageHeaders parseDate(String value) {
        return HeaderParser.standard().parse(("Date: " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Mon, 3 Jun 2024 10:15:42 +0200              | 2024-06-03T08:15:42Z
            Mon, 03 Jun 2024 10:15:42 -0000             | 2024-06-03T10:15:42Z
            3 Jun 2024 10:15:42 +0200                   | 2024-06-03T08:15:42Z
            Mon, 3 Jun 2024 10:15 +0200                 | 2024-06-03T08:15:00Z
            Mon, 3 Jun 24 10:15:42 +0200                | 2024-06-03T08:15:42Z
            Thu, 3 Jun 99 10:15:42 +0000                | 1999-06-03T10:15:42Z
            Thu, 3 Jun 49 10:15:42 +0000                | 2049-06-03T10:15:42Z
            Thu, 3 Jun 104 10:15:42 +0000               | 2004-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 UT                 | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 GMT                | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 UTC                | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 Z                  | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 EST                | 2024-06-03T15:15:42Z
            Mon, 3 Jun 2024 10:15:42 EDT                | 2024-06-03T14:15:42Z
            Mon, 3 Jun 2024 10:15:42 CST                | 2024-06-03T16:15:42Z
            Mon, 3 Jun 2024 10:15:42 CDT                | 2024-06-03T15:15:42Z
            Mon, 3 Jun 2024 10:15:42 MST                | 2024-06-03T17:15:42Z
            Mon, 3 Jun 2024 10:15:42 MDT                | 2024-06-03T16:15:42Z
            Mon, 3 Jun 2024 10:15:42 PST                | 2024-06-03T18:15:42Z
            Mon, 3 Jun 2024 10:15:42 pdt                | 2024-06-03T17:15:42Z
            Mon, 3 Jun 2024 10:15:42 CET                | 2024-06-03T09:15:42Z
            Mon, 3 Jun 2024 10:15:42 CEST               | 2024-06-03T08:15:42Z
            Mon, 3 Jun 2024 10:15:42 A                  | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 M                  | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 Y                  | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 +0000 (UTC)        | 2024-06-03T10:15:42Z
            Mon, 3 Jun 2024 10:15:42 -0700 (PDT)        | 2024-06-03T17:15:42Z
            Mon, 3 Jun 2024 10:15:42 +0200 CEST         | 2024-06-03T08:15:42Z
            Mon, 3 Jun 2024 10:00:00 GMT+02:00          | 2024-06-03T08:00:00Z
            Mon, 3 Jun 2024 10:00:00 GMT-0500           | 2024-06-03T15:00:00Z
            Mon, 3 Jun 2024 10:00:00 UTC+5              | 2024-06-03T05:00:00Z
            Mon, 3 Jun 2024 10:00:00 +02:00             | 2024-06-03T08:00:00Z
            Mon, 3 Jun 2024 10:00:00 +0530              | 2024-06-03T04:30:00Z
            2024-06-03T10:00:00Z                        | 2024-06-03T10:00:00Z
            2024-06-03T10:00:00+02:00                   | 2024-06-03T08:00:00Z
            2024-06-03T10:00:00.123-07:00               | 2024-06-03T17:00:00Z
            2024-06-03 10:00:00 +0200                   | 2024-06-03T08:00:00Z
            Mon Jun 3 10:00:00 CEST 2024                | 2024-06-03T08:00:00Z
            'Jun 3, 2024 10:00 AM +0000'                | 2024-06-03T10:00:00Z
            'Jun 3, 2024 10:00 PM +0000'                | 2024-06-03T22:00:00Z
            Mon, 3 Jun 2024 12:30 AM +0000              | 2024-06-03T00:30:00Z
            Mon, 3 Jun 2024 12:30 PM +0000              | 2024-06-03T12:30:00Z
            03-Jun-2024 10:00:00 +0000                  | 2024-06-03T10:00:00Z
            Mon, 3 June 2024 10:00:00 +0000             | 2024-06-03T10:00:00Z
            Mon, 3 JUN 2024 10:00:00 +0000              | 2024-06-03T10:00:00Z
            Fri, 3 Jun 2024 10:00:00 +0000              | 2024-06-03T10:00:00Z
            Mon,3 Jun 2024 10:00:00 +0000               | 2024-06-03T10:00:00Z
            '  Mon,   3   Jun   2024   10:00:00   +0000   ' | 2024-06-03T10:00:00Z
            Mon, 3 Jun 2024 10:00:60 +0000              | 2024-06-03T10:00:59Z
            Mon, 3 Jun 2024 23:59:59 -1200              | 2024-06-04T11:59:59Z
            Mon, 3 Jun 2024 00:00:00 +1400              | 2024-06-02T10:00:00Z
            Tue, 29 Feb 2000 12:00:00 +0000             | 2000-02-29T12:00:00Z
            Fr, 3 Mai 2024 10:00:00 +0200               | 2024-05-03T08:00:00Z
            Thu, 1 Jan 1970 00:00:00 +0000              | 1970-01-01T00:00:00Z
            Fri, 31 Dec 1965 23:59:59 +0000             | 1965-12-31T23:59:59Z
            """)
    void reads(String value, String instant) {
        MessageHeaders headers = parseDate(value);

        assertThat(headers.date()).contains(Instant.parse(instant));
        assertThat(headers.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1}, with a warning")
    @CsvSource(delimiter = '|', textBlock = """
            Mon, 3 Jun 2024 10:00:00                    | 2024-06-03T10:00:00Z | Date: "Mon, 3 Jun 2024 10:00:00" has no time zone; read as UTC
            Mon Jun  3 10:00:00 2024                    | 2024-06-03T10:00:00Z | Date: "Mon Jun 3 10:00:00 2024" has no time zone; read as UTC
            Mon, 3 Jun 2024 10:00:00 XYZ                | 2024-06-03T10:00:00Z | Date: "Mon, 3 Jun 2024 10:00:00 XYZ" has no time zone; read as UTC
            Mon, 3 Jun 2024 10:00:00 +9999              | 2024-06-03T10:00:00Z | Date: "Mon, 3 Jun 2024 10:00:00 +9999" has no time zone; read as UTC
            Mon, 3 Jun 2024                             | 2024-06-03T00:00:00Z | Date: "Mon, 3 Jun 2024" has no time of day; read as midnight
            """)
    void readsWithAWarning(String value, String instant, String warning) {
        MessageHeaders headers = parseDate(value);

        assertThat(headers.date()).contains(Instant.parse(instant));
        assertThat(headers.warnings()).containsExactly(warning);
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            sometime next week
            Mon, 3 Jun 10:00:00 +0000
            31 Feb 2024 10:00:00 +0000
            29 Feb 2023 10:00:00 +0000
            31 Apr 2024 10:00:00 +0000
            0 Jun 2024 10:00:00 +0000
            Mon, 3 Foo 2024 10:00:00 +0000
            03/06/2024 10:00
            Mon, 3 Jun 2024 24:00:00 +0000
            Mon, 3 Jun 2024 10:60:00 +0000
            Mon, 3 Jun 2024 10: +0000
            1717409742
            Mon, 3 Jun 12345 10:00:00 +0000
            2024-13-03T10:00:00Z
            2024-06-T10:00:00Z
            """)
    void refuses(String value) {
        MessageHeaders headers = parseDate(value);

        assertThat(headers.date()).isEmpty();
        assertThat(headers.warnings()).containsExactly("Date: cannot read " + Text.excerpt(
                value.getBytes(StandardCharsets.UTF_8), 0, value.length()) + "; the date is left empty");
    }
}
