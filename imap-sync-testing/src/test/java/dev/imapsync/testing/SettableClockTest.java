package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SettableClockTest {
    private static final Instant START = Instant.parse("2026-11-01T12:00:00Z");

    @Test
    void standsStillUntilMoved() {
        SettableClock clock = SettableClock.at(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(START.plusSeconds(300));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(300));
        assertThat(clock.advance(Duration.ofSeconds(-30))).isEqualTo(START.plusSeconds(270));

        clock.set(START.minusSeconds(1));
        assertThat(clock.instant()).isEqualTo(START.minusSeconds(1));
    }

    @Test
    void staysInUtc() {
        SettableClock clock = SettableClock.at(START);

        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThatThrownBy(() -> clock.withZone(ZoneId.of("Europe/Berlin")))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("a SettableClock stays in UTC; convert the instants it gives instead");
        assertThat(clock).hasToString("SettableClock[2026-11-01T12:00:00Z]");
    }
}
