package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger looks = new AtomicInteger();

        Await.until("the third look", Duration.ofSeconds(10), () -> looks.incrementAndGet() >= 3);

        assertThat(looks).hasValue(3);
    }

    @Test
    void returnsTheValueThatWasAccepted() {
        AtomicInteger counter = new AtomicInteger();

        int seen = Await.until("the counter reaches 4", Duration.ofSeconds(10), counter::incrementAndGet, n -> n >= 4);

        assertThat(seen).isEqualTo(4);
    }

    @Test
    void failsAfterTheTimeoutSayingWhatWasAwaitedAndWhatWasLastSeen() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> Await.until("the count reaches 5", Duration.ofMillis(200), () -> 2, n -> n >= 5))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Timed out after PT0.2S waiting until the count reaches 5; last seen: 2");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
        assertThatThrownBy(() -> Await.until("never", Duration.ZERO, () -> false))
                .hasMessage("Timed out after PT0S waiting until never");
    }

    @Test
    void stopsWhenInterruptedAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Await.until("never", Duration.ofSeconds(10), () -> false))
                    .isInstanceOf(AssertionError.class).hasMessage("Interrupted while waiting until never");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void refusesANegativeTimeout() {
        assertThatThrownBy(() -> Await.until("x", Duration.ofSeconds(-1), () -> true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("atMost must be zero or positive, not PT-1S");
    }
}
