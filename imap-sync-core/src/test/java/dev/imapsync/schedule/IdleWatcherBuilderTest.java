package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The watcher's settings and its reconnect backoff. */
class IdleWatcherBuilderTest {
    private static final Duration BASE = Duration.ofSeconds(30);

    @Test
    void everySettingIsCheckedWithAMessageThatNamesIt() {
        java.time.Duration forever = java.time.Duration.ofSeconds(Long.MAX_VALUE);
        for (Duration d : java.util.List.of(Duration.ZERO, Duration.ofMinutes(29), forever)) {
            assertThatThrownBy(() -> IdleWatcher.builder().reissueAfter(d)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reissueAfter").hasMessageContaining("under 29 minutes");
        }
        assertThatThrownBy(() -> IdleWatcher.builder().reconnectBackoff(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnectBackoff")
                .hasMessageContaining("positive");
        for (Duration d : java.util.List.of(Duration.ZERO, Duration.ofDays(2), forever)) {
            assertThatThrownBy(() -> IdleWatcher.builder().closeTimeout(d)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("closeTimeout").hasMessageContaining("at most 1 hour");
        }
        for (String prefix : java.util.List.of("", " ", "idle-\n", "idle-\0")) {
            assertThatThrownBy(() -> IdleWatcher.builder().threadNamePrefix(prefix))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threadNamePrefix");
        }
    }

    @Test
    void theCallbackIsRequired() {
        assertThatThrownBy(() -> IdleWatcher.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("onNewMail");
    }

    @Test
    void reissueMustStayUnder29Minutes() {
        IdleWatcher.Builder b = IdleWatcher.builder().onNewMail(id -> { });
        assertThatThrownBy(() -> b.reissueAfter(Duration.ofMinutes(29))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 2177");
        assertThatThrownBy(() -> b.reissueAfter(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.reconnectBackoff(Duration.ofMinutes(11))).isInstanceOf(IllegalArgumentException.class);
        b.reissueAfter(Duration.ofMinutes(28)).reconnectBackoff(Duration.ofMillis(1)).build().close();
        assertThat(IdleWatcher.DEFAULT_REISSUE_AFTER).isLessThan(IdleWatcher.MAX_REISSUE_AFTER);
    }

    @Test
    void backoffDoublesPerFailureAndIsCappedAtTenMinutes() {
        assertThat(backoff(BASE, 1, 1.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff(BASE, 2, 1.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff(BASE, 3, 1.0)).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff(BASE, 6, 1.0)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff(BASE, 1_000, 1.0)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff(Duration.ofMinutes(10), 40, 1.0)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void backoffJitterOnlyShortensByAtMostAFifth() {
        assertThat(backoff(BASE, 1, 0.0)).isEqualTo(Duration.ofSeconds(24));
        assertThat(backoff(BASE, 2, 0.5)).isEqualTo(Duration.ofSeconds(54));
        assertThat(backoff(BASE, 20, 0.0)).isEqualTo(Duration.ofMinutes(8));
    }

    /** The watcher's reconnect wait for a random draw of {@code random} (0 to 1). */
    private static Duration backoff(Duration base, int failures, double random) {
        return IdleWatcher.reconnectBackoff(base).delay(failures, new RandomGenerator() {
            @Override
            public double nextDouble() {
                return random;
            }

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("the backoff draws doubles only");
            }
        });
    }

    @Test
    void closeWithoutWatchesIsQuickAndSafeTwice() {
        IdleWatcher watcher = IdleWatcher.builder().onNewMail(id -> { }).build();
        watcher.close();
        watcher.close();
        assertThat(watcher.watchedAccounts()).isEmpty();
        assertThat(watcher.unwatch("nobody")).isFalse();
    }
}
