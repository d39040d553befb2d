package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void withoutJitterTheDelayDoublesUpToTheCap() {
        Backoff backoff = Backoff.standard().withJitter(0);
        SplittableRandom random = new SplittableRandom(1);

        assertThat(backoff.delay(1, random)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(2, random)).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.delay(3, random)).isEqualTo(Duration.ofMinutes(4));
        assertThat(backoff.delay(6, random)).isEqualTo(Duration.ofMinutes(32));
        assertThat(backoff.delay(7, random)).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.delay(1_000, random)).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.delay(Integer.MAX_VALUE, random)).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.delay(0, random)).as("below 1 counts as 1").isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theStandardJitterSpreadsEachDelayWithinTwentyPercent() {
        Backoff backoff = Backoff.standard();
        SplittableRandom random = new SplittableRandom(7);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Duration first = backoff.delay(1, random);
            assertThat(first).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
            seen.add(first);
            assertThat(backoff.delay(3, random)).isBetween(Duration.ofSeconds(192), Duration.ofSeconds(288));
            assertThat(backoff.delay(50, random)).as("at the cap, spread around it")
                    .isBetween(Duration.ofMinutes(48), Duration.ofMinutes(72));
        }
        assertThat(seen).as("spread, not one value").hasSizeGreaterThan(400);
    }

    @Test
    void growsMonotonicallyBeforeJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 3.0, 0);
        SplittableRandom random = new SplittableRandom(3);
        assertThat(backoff.delay(1, random)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(2, random)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(3, random)).isEqualTo(Duration.ofSeconds(90));
        assertThat(backoff.delay(4, random)).isEqualTo(Duration.ofSeconds(270));
        assertThat(backoff.delay(5, random)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofHours(1), 2, 0.2))
                .hasMessageContaining("initial delay PT0S is not positive");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMinutes(10), Duration.ofMinutes(1)))
                .hasMessageContaining("below the initial delay");
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 0.5, 0.2))
                .hasMessageContaining("multiplier 0.5");
        assertThatThrownBy(() -> Backoff.standard().withJitter(1.0)).hasMessageContaining("jitter 1.0 is out of range");
        assertThatThrownBy(() -> Backoff.standard().withJitter(Double.NaN)).hasMessageContaining("out of range");
    }
}
